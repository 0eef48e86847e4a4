import { useEffect, useRef, useState } from 'react';

/** The state of a request: what the loading, empty and error views are chosen from. */
export type AsyncState<T> =
  | { status: 'idle'; data?: undefined; error?: undefined }
  | { status: 'loading'; data?: T | undefined; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; data?: T | undefined; error: Error };

/**
 * Runs `load` whenever `key` changes (after `debounceMs`, so typing in a builder does not fire a
 * query per keystroke), aborts the previous request, and keeps the last data while reloading.
 * A null key means "nothing to run" (an incomplete builder).
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string | null,
  options: { debounceMs?: number; refreshMs?: number } = {},
): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: key === null ? 'idle' : 'loading' });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const { debounceMs = 0, refreshMs } = options;
  const stateRef = useRef(state);
  stateRef.current = state;

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick re-runs the same key on purpose
  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ status: 'loading', data: s.data }));
    const run = () =>
      loadRef.current(controller.signal).then(
        (data) => {
          if (!controller.signal.aborted) setState({ status: 'ready', data });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          const err = error instanceof Error ? error : new Error(String(error));
          setState((s) => ({ status: 'error', data: s.data, error: err }));
        },
      );
    const timer = window.setTimeout(run, debounceMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key, tick, debounceMs]);

  useEffect(() => {
    if (!refreshMs || key === null) return;
    const timer = window.setInterval(() => {
      // A refusal (4xx: no scope, bad filter) will not change by asking again: wait for the user.
      const last = stateRef.current;
      const status = last.status === 'error' ? (last.error as { status?: unknown }).status : undefined;
      const isRefused = typeof status === 'number' && status >= 400 && status < 500;
      if (document.visibilityState === 'visible' && !isRefused) setTick((t) => t + 1);
    }, refreshMs);
    return () => window.clearInterval(timer);
  }, [refreshMs, key]);

  return { ...state, reload: () => setTick((t) => t + 1) };
}
