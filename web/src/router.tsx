/**
 * A small client router over the History API: pages are paths (served by the server as
 * index.html), and each view keeps its state in the query string so that a URL can be shared.
 */
import {
  type AnchorHTMLAttributes,
  type MouseEvent,
  useCallback,
  useMemo,
  useSyncExternalStore,
} from 'react';
import type { SpecKind } from './types';

const NAVIGATE_EVENT = 'pathwise:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

const currentUrl = () => `${window.location.pathname}${window.location.search}`;

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const url = useSyncExternalStore(subscribe, currentUrl);
  const u = new URL(url, window.location.origin);
  return { path: u.pathname, search: u.searchParams };
}

/** Goes to a URL of the app; `replace` edits the current history entry (typing in a builder). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentUrl()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** An in-app link: a real anchor (keyboard, new tab) that navigates without a reload. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { href, onClick, ...rest } = props;
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

/** A URL with query parameters; undefined values are left out. */
export function urlWith(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, v);
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

function parseJson<T>(raw: string | null, fallback: T): T {
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

/**
 * A view's state as JSON in the query parameter `name` (default `q`): read on every render,
 * written with replaceState so typing does not flood the history.
 */
export function useUrlState<T>(fallback: T, name = 'q'): [T, (next: T) => void] {
  const { search, path } = useLocation();
  const raw = search.get(name);
  // Parsed once per distinct text: the value keeps its identity while the URL does not change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fallback is read only when raw is absent
  const value = useMemo(() => parseJson(raw, fallback), [raw]);
  const set = useCallback(
    (next: T) => {
      const params = new URLSearchParams(window.location.search);
      params.set(name, JSON.stringify(next));
      navigate(`${path}?${params}`, { replace: true });
    },
    [name, path],
  );
  return [value, set];
}

/** One plain query parameter (text), written like useUrlState. */
export function useUrlParam(name: string): [string | null, (next: string | null) => void] {
  const { search, path } = useLocation();
  const set = useCallback(
    (next: string | null) => {
      const params = new URLSearchParams(window.location.search);
      if (next === null || next === '') params.delete(name);
      else params.set(name, next);
      const text = params.toString();
      navigate(text ? `${path}?${text}` : path, { replace: true });
    },
    [name, path],
  );
  return [search.get(name), set];
}

/** The page that edits a spec of this kind. */
export const PAGE_OF_KIND: Readonly<Record<SpecKind, string>> = {
  funnel: '/funnels',
  trends: '/trends',
  retention: '/retention',
  paths: '/paths',
  sessions: '/sessions',
};
