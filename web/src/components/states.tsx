import type { ReactNode } from 'react';
import { ApiError } from '../api';

/** A spinner with text, announced politely to screen readers. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** Nothing to show, and what to do about it. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <div className="state state-empty" data-state="empty">
      {children}
    </div>
  );
}

/** A failed request: the server's code and message, never a blank chart. */
export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="state state-error" role="alert" data-state="error">
      <strong>{code ? `${code}: ` : 'Error: '}</strong>
      <span className="error-message">{error.message}</span>
      {onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
