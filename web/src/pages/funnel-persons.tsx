import { useEffect, useRef, useState } from 'react';
import { ResultArea, useInsightQuery } from '../components/result-area';
import { fmtTime } from '../format';
import { Link } from '../router';
import type { FunnelSpec } from '../types';

const PAGE = 50;

/** The persons (or sessions) who converted to a step or dropped before it: `pick` is "2:dropped". */
export function FunnelPersons({
  spec,
  pick,
  onClose,
}: {
  spec: FunnelSpec;
  pick: string;
  onClose: () => void;
}) {
  const [stepText, status] = pick.split(':');
  const step = Number(stepText);
  const [offset, setOffset] = useState(0);
  const isValid = Number.isInteger(step) && step >= 1 && (status === 'converted' || status === 'dropped');
  const query: FunnelSpec | null = isValid
    ? { ...spec, persons: { step, status: status as 'converted' | 'dropped', limit: PAGE, offset } }
    : null;
  const state = useInsightQuery(query, 0);
  const isSession = spec.countBy === 'session';
  const heading = useRef<HTMLHeadingElement>(null);
  // The list opens below the chart: bring it into view and move focus to it (again on a new pick).
  // biome-ignore lint/correctness/useExhaustiveDependencies: pick is the trigger, not an input
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, [pick]);
  return (
    <section className="panel persons-panel" aria-label="Persons of a funnel step">
      <header className="panel-head">
        <h2 ref={heading} tabIndex={-1}>
          {isSession ? 'Sessions' : 'Persons'} who {status === 'dropped' ? 'dropped off before' : 'reached'}{' '}
          step {step}
        </h2>
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </header>
      <ResultArea state={state} isEmpty={(r) => (r.persons?.total ?? 0) === 0} empty="Nobody here.">
        {(r) => (
          <>
            <p className="muted" data-testid="persons-total">
              {r.persons?.total} in all; showing {offset + 1}–{offset + (r.persons?.items.length ?? 0)}
            </p>
            <table className="data-table" aria-label="Step persons">
              <thead>
                <tr>
                  <th scope="col">{isSession ? 'Session' : 'Person'}</th>
                  <th scope="col">Steps reached</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {r.persons?.items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      {isSession ? p.id : <Link href={`/people/${encodeURIComponent(p.id)}`}>{p.id}</Link>}
                    </td>
                    <td className="num">{p.stepsReached}</td>
                    <td>{fmtTime(p.startedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="pager">
              <button
                type="button"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Previous
              </button>
              <button
                type="button"
                disabled={offset + PAGE >= (r.persons?.total ?? 0)}
                onClick={() => setOffset(offset + PAGE)}
              >
                Next
              </button>
            </div>
          </>
        )}
      </ResultArea>
    </section>
  );
}
