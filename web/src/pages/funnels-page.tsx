import { useId } from 'react';
import { BreakdownInput, isBreakdownComplete } from '../components/breakdown-input';
import { CatalogLists, DateRangePicker, EventInput, NumberInput, Select } from '../components/controls';
import { isFilterComplete, SpecFilter } from '../components/filter-editor';
import { isEmptyResult, ResultArea, useInsightQuery } from '../components/result-area';
import { SaveInsight } from '../components/save-insight';
import { StepList } from '../components/step-list';
import { useUrlParam, useUrlState } from '../router';
import type { FunnelSpec } from '../types';
import { FunnelView } from '../views/funnel-view';
import { DiagnosePanel } from './diagnose-panel';
import { FunnelPersons } from './funnel-persons';

const DEFAULT: FunnelSpec = {
  kind: 'funnel',
  steps: [{ event: '' }, { event: '' }],
  mode: 'ordered',
  windowSec: 14 * 86_400,
  dateRange: { last: '30d' },
};

const UNITS = [
  ['60', 'minutes'],
  ['3600', 'hours'],
  ['86400', 'days'],
] as const;

/** The conversion window as a number and a unit (the spec keeps seconds). */
function WindowInput({ sec, onChange }: { sec: number; onChange: (sec: number) => void }) {
  const unit = sec % 86_400 === 0 ? 86_400 : sec % 3600 === 0 ? 3600 : 60;
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>Conversion window</label>
      <input
        id={id}
        type="number"
        min={1}
        className="number-input"
        value={Math.round(sec / unit)}
        onChange={(e) => onChange(Math.max(1, Number(e.target.value) || 1) * unit)}
      />
      <Select
        label="Window unit"
        hideLabel
        value={String(unit) as (typeof UNITS)[number][0]}
        options={UNITS}
        onChange={(u) => onChange(Math.round(sec / unit) * Number(u))}
      />
    </span>
  );
}

function Exclusions({ spec, set }: { spec: FunnelSpec; set: (s: FunnelSpec) => void }) {
  const list = spec.exclusions ?? [];
  const n = spec.steps.length;
  const update = (next: NonNullable<FunnelSpec['exclusions']>) => {
    const { exclusions: _, ...rest } = spec;
    set(next.length ? { ...rest, exclusions: next } : rest);
  };
  const stepOptions = spec.steps.map((_, i) => [String(i + 1), `step ${i + 1}`] as const);
  return (
    <fieldset className="exclusions">
      <legend>Exclusions</legend>
      <ul aria-label="Exclusion steps">
        {list.map((x, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: exclusions are positions
          <li key={i} className="exclusion">
            <EventInput
              label={`Exclusion ${i + 1} event`}
              value={x.event}
              onChange={(event) => update(list.map((y, j) => (j === i ? { ...y, event } : y)))}
            />
            <Select
              label="between"
              value={String(x.fromStep ?? 1)}
              options={stepOptions.slice(0, -1)}
              onChange={(v) => update(list.map((y, j) => (j === i ? { ...y, fromStep: Number(v) } : y)))}
            />
            <Select
              label="and"
              value={String(x.toStep ?? n)}
              options={stepOptions.slice(1)}
              onChange={(v) => update(list.map((y, j) => (j === i ? { ...y, toStep: Number(v) } : y)))}
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove exclusion ${i + 1}`}
              onClick={() => update(list.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={() => update([...list, { event: '' }])}>
        + Add exclusion
      </button>
    </fieldset>
  );
}

/** The spec to run, or null while a step, filter or breakdown is unfinished. */
export function runnableFunnel(spec: FunnelSpec): FunnelSpec | null {
  const isComplete =
    spec.steps.length >= 2 &&
    spec.steps.every((s) => s.event.trim() !== '' && isFilterComplete(s.where)) &&
    (spec.exclusions ?? []).every((x) => x.event.trim() !== '') &&
    isFilterComplete(spec.where) &&
    isBreakdownComplete(spec.breakdown);
  return isComplete ? spec : null;
}

function Options({ spec, set }: { spec: FunnelSpec; set: (s: FunnelSpec) => void }) {
  return (
    <div className="options-row">
      <Select
        label="Order"
        value={spec.mode ?? 'ordered'}
        options={[
          ['ordered', 'in order'],
          ['strict', 'strict order'],
          ['unordered', 'any order'],
        ]}
        onChange={(mode) => {
          const { exclusions: _, ...rest } = spec;
          set(mode === 'ordered' ? { ...spec, mode } : { ...rest, mode });
        }}
      />
      <WindowInput
        sec={spec.windowSec ?? 14 * 86_400}
        onChange={(windowSec) => set({ ...spec, windowSec })}
      />
      <Select
        label="Count"
        value={spec.countBy ?? 'person'}
        options={[
          ['person', 'persons'],
          ['session', 'sessions'],
        ]}
        onChange={(countBy) => set({ ...spec, countBy })}
      />
      <DateRangePicker value={spec.dateRange} onChange={(dateRange) => set({ ...spec, dateRange })} />
      <BreakdownInput
        value={spec.breakdown}
        onChange={(breakdown) => {
          const { breakdown: _, ...rest } = spec;
          set(breakdown ? { ...rest, breakdown } : rest);
        }}
      />
      {spec.breakdown && (
        <NumberInput
          label="Values"
          min={1}
          max={50}
          value={spec.breakdown.limit}
          onChange={(limit) =>
            spec.breakdown && set({ ...spec, breakdown: { ...spec.breakdown, ...(limit ? { limit } : {}) } })
          }
        />
      )}
    </div>
  );
}

/** Funnels: the step builder, options, the result, and the persons of a picked step. */
export function FunnelsPage() {
  const [spec, set] = useUrlState<FunnelSpec>(DEFAULT);
  const [persons, setPersons] = useUrlParam('persons');
  const runnable = runnableFunnel(spec);
  const state = useInsightQuery(runnable);
  return (
    <div className="insight-page">
      <h1>Funnel</h1>
      <CatalogLists />
      <form className="builder" aria-label="Funnel builder" onSubmit={(e) => e.preventDefault()}>
        <StepList
          steps={spec.steps}
          onChange={(steps) => set({ ...spec, steps })}
          noun="Step"
          idPrefix="funnel-step"
          isOrdered
          minSteps={2}
        />
        <Options spec={spec} set={set} />
        <SpecFilter spec={spec} set={set} />
        {(spec.mode ?? 'ordered') === 'ordered' && <Exclusions spec={spec} set={set} />}
      </form>
      <SaveInsight spec={spec} isDisabled={!runnable} />
      <ResultArea
        state={state}
        idle="Pick an event for every step (at least two) to see the funnel."
        isEmpty={isEmptyResult}
        empty="Nobody did the first step in this range."
      >
        {(result) => (
          <FunnelView result={result} onPick={(step, status) => setPersons(`${step}:${status}`)} />
        )}
      </ResultArea>
      {runnable && persons && (
        <FunnelPersons spec={runnable} pick={persons} onClose={() => setPersons(null)} />
      )}
      <DiagnosePanel funnel={runnable} />
    </div>
  );
}
