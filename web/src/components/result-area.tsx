import type { ReactNode } from 'react';
import { runQuery } from '../api';
import type { AnyResult, AnySpec, ResultOf } from '../types';
import { type AsyncState, useAsync } from '../use-async';
import { Empty, ErrorBox, Loading } from './states';

/** Runs a spec through POST /api/query whenever it changes (debounced); null: nothing to run yet. */
export function useInsightQuery<S extends AnySpec>(
  spec: S | null,
  debounceMs = 350,
): AsyncState<ResultOf<S['kind']>> & { reload: () => void } {
  const key = spec ? JSON.stringify(spec) : null;
  return useAsync((signal) => runQuery(spec as S, signal), key, { debounceMs });
}

/** True when a result has nothing to draw. */
export function isEmptyResult(r: AnyResult): boolean {
  switch (r.kind) {
    case 'funnel':
      return (r.steps[0]?.count ?? 0) === 0;
    case 'trends':
      return r.series.every((l) => l.total === 0);
    case 'retention':
      return r.cohorts.length === 0;
    case 'paths':
      return r.units === 0;
    case 'sessions':
      return r.sessions === 0;
  }
}

/**
 * The loading, empty, error and ready states of a query, in one place. While a new answer is
 * on its way the previous one stays visible (dimmed); an error replaces the chart.
 */
export function ResultArea<T>({
  state,
  idle,
  isEmpty,
  empty,
  children,
}: {
  state: AsyncState<T> & { reload: () => void };
  idle?: ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { status, data } = state;
  const shown = status === 'error' ? undefined : data;
  const isBlank = shown !== undefined && isEmpty?.(shown) === true;
  const label = status === 'ready' && isBlank ? 'empty' : status;
  return (
    <section
      className="result-area"
      data-status={label}
      aria-busy={status === 'loading'}
      aria-label="Results"
    >
      {status === 'idle' && <Empty>{idle ?? 'Complete the builder to see results.'}</Empty>}
      {status === 'error' && <ErrorBox error={state.error} onRetry={state.reload} />}
      {status === 'loading' && shown === undefined && <Loading label="Running query…" />}
      {shown !== undefined &&
        (isBlank ? (
          <Empty>{empty ?? 'No data for this query in the selected range.'}</Empty>
        ) : (
          <div className={status === 'loading' ? 'stale' : undefined}>{children(shown)}</div>
        ))}
    </section>
  );
}
