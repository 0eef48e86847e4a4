import { BreakdownInput, isBreakdownComplete } from '../components/breakdown-input';
import { CatalogLists, DateRangePicker, EventInput, Select } from '../components/controls';
import { FilterEditor, isFilterComplete, SpecFilter } from '../components/filter-editor';
import { isEmptyResult, ResultArea, useInsightQuery } from '../components/result-area';
import { SaveInsight } from '../components/save-insight';
import { useUrlParam, useUrlState } from '../router';
import type { Interval, TrendsMath, TrendsSeries, TrendsSpec } from '../types';
import { TrendsView } from '../views/trends-view';

const DEFAULT: TrendsSpec = {
  kind: 'trends',
  series: [{ event: '' }],
  interval: 'day',
  dateRange: { last: '30d' },
};

const MATHS: readonly (readonly [TrendsMath, string])[] = [
  ['total', 'total events'],
  ['unique_persons', 'unique persons'],
  ['unique_sessions', 'unique sessions'],
  ['dau', 'daily active'],
  ['wau', 'weekly active'],
  ['mau', 'monthly active'],
  ['per_person_avg', 'events per person'],
  ['sum', 'sum of property'],
  ['avg', 'average of property'],
  ['min', 'min of property'],
  ['max', 'max of property'],
  ['median', 'median of property'],
  ['p90', 'p90 of property'],
  ['p99', 'p99 of property'],
];
const NEEDS_PROPERTY = new Set<TrendsMath>(['sum', 'avg', 'min', 'max', 'median', 'p90', 'p99']);

const letter = (i: number) => String.fromCharCode(65 + i);

function SeriesRow({
  series,
  index,
  onChange,
  onRemove,
  canRemove,
}: {
  series: TrendsSeries;
  index: number;
  onChange: (s: TrendsSeries) => void;
  onRemove: () => void;
  canRemove: boolean;
}) {
  const name = `Series ${letter(index)}`;
  const math = series.math ?? 'total';
  return (
    <li className="step" data-series={letter(index)}>
      <div className="step-head">
        <span className="step-number">{letter(index)}</span>
        <EventInput
          label={`${name} event`}
          value={series.event}
          onChange={(event) => onChange({ ...series, event })}
        />
        <Select
          label={`${name} math`}
          hideLabel
          value={math}
          options={MATHS}
          onChange={(m) => {
            const { property, ...rest } = series;
            onChange(
              NEEDS_PROPERTY.has(m) ? { ...rest, math: m, property: property ?? '' } : { ...rest, math: m },
            );
          }}
        />
        {NEEDS_PROPERTY.has(math) && (
          <input
            aria-label={`${name} property`}
            placeholder="numeric property"
            list="pw-properties"
            value={series.property ?? ''}
            onChange={(e) => onChange({ ...series, property: e.target.value })}
          />
        )}
        <button
          type="button"
          className="icon-button"
          aria-label={`Remove ${name}`}
          disabled={!canRemove}
          onClick={onRemove}
        >
          ×
        </button>
      </div>
      <FilterEditor
        label={`${name} filter`}
        value={series.where}
        onChange={(where) => {
          const { where: _, ...rest } = series;
          onChange(where ? { ...rest, where } : rest);
        }}
      />
    </li>
  );
}

function runnable(spec: TrendsSpec): TrendsSpec | null {
  const ok =
    spec.series.every(
      (s) =>
        s.event.trim() !== '' &&
        isFilterComplete(s.where) &&
        (!NEEDS_PROPERTY.has(s.math ?? 'total') || (s.property ?? '').trim() !== ''),
    ) &&
    isFilterComplete(spec.where) &&
    isBreakdownComplete(spec.breakdown);
  if (!ok) return null;
  if (spec.formula !== undefined && spec.formula.trim() === '') {
    const { formula: _, ...rest } = spec;
    return rest;
  }
  return spec;
}

function Options({ spec, set }: { spec: TrendsSpec; set: (s: TrendsSpec) => void }) {
  return (
    <div className="options-row">
      <DateRangePicker value={spec.dateRange} onChange={(dateRange) => set({ ...spec, dateRange })} />
      <Select<Interval>
        label="Interval"
        value={spec.interval ?? 'day'}
        options={[
          ['hour', 'hour'],
          ['day', 'day'],
          ['week', 'week'],
          ['month', 'month'],
        ]}
        onChange={(interval) => set({ ...spec, interval })}
      />
      <BreakdownInput
        value={spec.breakdown}
        onChange={(breakdown) => {
          const { breakdown: _, ...rest } = spec;
          set(breakdown ? { ...rest, breakdown } : rest);
        }}
      />
      <span className="field">
        <input
          id="trends-compare"
          type="checkbox"
          checked={spec.compare ?? false}
          onChange={(e) => set({ ...spec, compare: e.target.checked })}
        />
        <label htmlFor="trends-compare">Compare to previous period</label>
      </span>
      <span className="field">
        <label htmlFor="trends-formula">Formula</label>
        <input
          id="trends-formula"
          placeholder="e.g. A / B"
          value={spec.formula ?? ''}
          onChange={(e) => set({ ...spec, formula: e.target.value.toUpperCase() })}
        />
      </span>
    </div>
  );
}

/** Trends: series builder, interval, range, breakdown, compare; line or bar chart and the values. */
export function TrendsPage() {
  const [spec, set] = useUrlState<TrendsSpec>(DEFAULT);
  const [chartParam, setChart] = useUrlParam('chart');
  const chart = chartParam === 'bar' ? 'bar' : 'line';
  const run = runnable(spec);
  const state = useInsightQuery(run);
  const setSeries = (series: TrendsSeries[]) => set({ ...spec, series });
  return (
    <div className="insight-page">
      <h1>Trends</h1>
      <CatalogLists />
      <form className="builder" aria-label="Trends builder" onSubmit={(e) => e.preventDefault()}>
        <div className="step-list">
          <ul aria-label="Series">
            {spec.series.map((s, i) => (
              <SeriesRow
                // biome-ignore lint/suspicious/noArrayIndexKey: series are named by position (A, B, …)
                key={i}
                series={s}
                index={i}
                canRemove={spec.series.length > 1}
                onChange={(next) => setSeries(spec.series.map((x, j) => (j === i ? next : x)))}
                onRemove={() => setSeries(spec.series.filter((_, j) => j !== i))}
              />
            ))}
          </ul>
          <button
            type="button"
            className="add-button"
            disabled={spec.series.length >= 26}
            onClick={() => setSeries([...spec.series, { event: '' }])}
          >
            + Add series
          </button>
        </div>
        <Options spec={spec} set={set} />
        <SpecFilter spec={spec} set={set} />
        <Select
          label="Chart"
          value={chart}
          options={[
            ['line', 'line'],
            ['bar', 'bar'],
          ]}
          onChange={(c) => setChart(c === 'line' ? null : c)}
        />
      </form>
      <SaveInsight spec={spec} isDisabled={!run} />
      <ResultArea state={state} idle="Pick an event for every series." isEmpty={isEmptyResult}>
        {(result) => <TrendsView result={result} chart={chart} />}
      </ResultArea>
    </div>
  );
}
