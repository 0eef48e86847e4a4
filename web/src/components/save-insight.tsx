import { useEffect, useId, useState } from 'react';
import { readInsight, saveInsight } from '../api';
import { useUrlParam } from '../router';
import type { AnySpec } from '../types';

/**
 * Saves the view's spec as an insight (or updates the one it was opened from; its id is the
 * `insight` URL parameter).
 */
export function SaveInsight({ spec, isDisabled }: { spec: AnySpec; isDisabled?: boolean }) {
  const [insightId, setInsightId] = useUrlParam('insight');
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const [isBusy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    if (!insightId) return;
    const controller = new AbortController();
    readInsight(insightId, controller.signal).then(
      (i) => setName(i.name),
      () => undefined,
    );
    return () => controller.abort();
  }, [insightId]);

  const save = async (asNew: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      const saved = await saveInsight(
        { name: name.trim(), spec },
        asNew ? undefined : (insightId ?? undefined),
      );
      setInsightId(saved.insightId);
      setMessage({ text: `Saved “${saved.name}”`, isError: false });
    } catch (err) {
      setMessage({ text: err instanceof Error ? err.message : String(err), isError: true });
    } finally {
      setBusy(false);
    }
  };

  const canSave = !isDisabled && !isBusy && name.trim() !== '';
  return (
    <form
      className="save-insight"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave) void save(!insightId);
      }}
    >
      <label htmlFor={id}>Insight name</label>
      <input id={id} value={name} placeholder="Name this insight" onChange={(e) => setName(e.target.value)} />
      <button type="submit" disabled={!canSave}>
        {insightId ? 'Update' : 'Save'}
      </button>
      {insightId && (
        <button type="button" disabled={!canSave} onClick={() => void save(true)}>
          Save as new
        </button>
      )}
      {message && (
        <span
          role={message.isError ? 'alert' : 'status'}
          className={message.isError ? 'error-text' : 'ok-text'}
        >
          {message.text}
        </span>
      )}
    </form>
  );
}
