import { useId } from 'react';
import type { DiagnoseSpec, DiagnosisDrop, DiagnosisFinding, DiagnosisResult } from '../analysis-types';
import { runDiagnosis } from '../api';
import { NumberInput } from '../components/controls';
import { ResultArea } from '../components/result-area';
import { fmtInt, fmtPct } from '../format';
import { useUrlState } from '../router';
import type { FunnelSpec } from '../types';
import { useAsync } from '../use-async';

/** The panel's options, kept in the URL (`diagnose=`) beside the funnel's `q`. */
interface DiagnoseOptions {
  isOpen: boolean;
  dimensions?: string;
  minSegmentSize?: number;
  compareAt?: string;
}

/** The diagnosis request for a funnel: its steps, window and range (breakdown and persons are the funnel page's). */
export function diagnoseSpecOf(funnel: FunnelSpec, o: Omit<DiagnoseOptions, 'isOpen'>): DiagnoseSpec {
  const { breakdown: _b, persons: _p, trendInterval: _t, ...rest } = funnel;
  const dimensions = (o.dimensions ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)
    .map((property) => ({ property }));
  return {
    funnel: rest,
    ...(dimensions.length ? { dimensions } : {}),
    ...(o.minSegmentSize ? { minSegmentSize: o.minSegmentSize } : {}),
    ...(o.compareAt ? { compareAt: o.compareAt } : {}),
  };
}

/** p-values as the summary states them: "< 0.001" or three decimals. */
function fmtP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function Drop({ label, drop, testId }: { label: string; drop: DiagnosisDrop; testId: string }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {drop.fromEvent} → {drop.toEvent}: <span data-testid={`${testId}-lost`}>{fmtInt(drop.lost)}</span>{' '}
        lost (<span data-testid={`${testId}-rate`}>{fmtPct(drop.rate)}</span>)
      </dd>
    </div>
  );
}

function since(f: DiagnosisFinding): string {
  if (!f.since) return '—';
  return `${f.since.date} (${f.since.method === 'appeared' ? 'appeared' : 'rate dropped'})`;
}

function Findings({ findings }: { findings: DiagnosisFinding[] }) {
  return (
    <table className="data-table" aria-label="Flagged segments" data-testid="diagnose-segments">
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Segment</th>
          <th scope="col">Entrants</th>
          <th scope="col">Conversion</th>
          <th scope="col">Everyone else</th>
          <th scope="col">Worse by</th>
          <th scope="col">People lost</th>
          <th scope="col">Adjusted p</th>
          <th scope="col">Since</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f, i) => (
          <tr key={`${f.step}:${f.label}`} data-testid={`diagnose-segment-${i + 1}`}>
            <td>
              {f.fromEvent} → {f.toEvent}
            </td>
            <th scope="row" data-testid="segment-label">
              {f.label}
            </th>
            <td className="num" data-testid="segment-entrants">
              {fmtInt(f.entrants)}
            </td>
            <td className="num" data-testid="segment-rate">
              {fmtPct(f.rate)}
            </td>
            <td className="num" data-testid="segment-rest-rate">
              {fmtPct(f.restRate)}
            </td>
            <td className="num">
              {f.rateRatio !== null ? `${f.rateRatio.toFixed(1)}x` : f.rate === 0 ? '∞' : '—'}
            </td>
            <td className="num" data-testid="segment-lost">
              {fmtInt(Math.round(f.peopleLost))}
            </td>
            <td className="num" data-testid="segment-p">
              {fmtP(f.adjustedPValue)}
            </td>
            <td data-testid="segment-since">{since(f)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DiagnosisView({ result }: { result: DiagnosisResult }) {
  return (
    <div className="diagnosis">
      {result.biggestDrop && (
        <dl className="kpis">
          <Drop label="Biggest drop (people)" drop={result.biggestDrop.byPeople} testId="drop-people" />
          <Drop label="Biggest drop (rate)" drop={result.biggestDrop.byRate} testId="drop-rate" />
        </dl>
      )}
      <ul className="summary-lines" aria-label="Summary">
        {result.summary.lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <h3>Segments that convert worse</h3>
      {result.segments.length === 0 ? (
        <p className="state state-empty" data-testid="diagnose-no-segments">
          No segment converts significantly worse than everyone else ({fmtInt(result.tested.segments)}{' '}
          segments tested at a false discovery rate of {result.settings.fdr}, at least{' '}
          {fmtInt(result.settings.minSegmentSize)} entrants each).
        </p>
      ) : (
        <Findings findings={result.segments} />
      )}
      <p className="muted">
        Dimensions: {result.settings.dimensions.join(', ')}. Conversion within{' '}
        {Math.round(result.settings.horizonSec / 3600)} h of a step; Benjamini–Hochberg over{' '}
        {fmtInt(result.tested.segments)} tests.
      </p>
    </div>
  );
}

/**
 * Funnel diagnostics for the funnel being built: biggest drop, segments that convert worse than
 * everyone else (with significance) and since when. Runs on request: a diagnosis costs several
 * funnel queries.
 */
export function DiagnosePanel({ funnel }: { funnel: FunnelSpec | null }) {
  const [o, set] = useUrlState<DiagnoseOptions>({ isOpen: false }, 'diagnose');
  const compareId = useId();
  const isUnordered = funnel?.mode === 'unordered';
  const spec = funnel && o.isOpen && !isUnordered ? diagnoseSpecOf(funnel, o) : null;
  const state = useAsync(
    (signal) => runDiagnosis(spec as DiagnoseSpec, signal),
    spec && JSON.stringify(spec),
    {
      debounceMs: 350,
    },
  );
  return (
    <section className="diagnose-panel" aria-labelledby="diagnose-title">
      <div className="panel-head">
        <h2 id="diagnose-title">Diagnose</h2>
        <button
          type="button"
          aria-expanded={o.isOpen}
          disabled={!funnel}
          onClick={() => set({ ...o, isOpen: !o.isOpen })}
        >
          {o.isOpen ? 'Hide diagnosis' : 'Diagnose this funnel'}
        </button>
      </div>
      {o.isOpen && (
        <>
          <form
            className="options-row builder"
            aria-label="Diagnosis options"
            onSubmit={(e) => e.preventDefault()}
          >
            <span className="field">
              <label htmlFor={`${compareId}-dims`}>Extra dimensions</label>
              <input
                id={`${compareId}-dims`}
                placeholder="plan, method"
                value={o.dimensions ?? ''}
                onChange={(e) => set({ ...o, dimensions: e.target.value })}
              />
            </span>
            <NumberInput
              label="Minimum segment size"
              min={5}
              value={o.minSegmentSize}
              onChange={(minSegmentSize) => {
                const { minSegmentSize: _, ...rest } = o;
                set(minSegmentSize && minSegmentSize >= 5 ? { ...rest, minSegmentSize } : rest);
              }}
            />
            <span className="field">
              <label htmlFor={`${compareId}-at`}>Compare before and after</label>
              <input
                id={`${compareId}-at`}
                type="date"
                value={o.compareAt ?? ''}
                onChange={(e) => {
                  const { compareAt: _, ...rest } = o;
                  set(e.target.value ? { ...rest, compareAt: e.target.value } : rest);
                }}
              />
            </span>
          </form>
          {isUnordered ? (
            <p className="state state-empty">
              Diagnosis needs an ordered or strict funnel: an unordered one has no step times.
            </p>
          ) : (
            <ResultArea
              state={state}
              idle="Pick an event for every step to diagnose the funnel."
              isEmpty={(r) => (r.funnel[0]?.count ?? 0) === 0}
              empty="Nobody did the first step in this range."
            >
              {(result) => <DiagnosisView result={result} />}
            </ResultArea>
          )}
        </>
      )}
    </section>
  );
}
