import { CatalogLists, DateRangePicker, NumberInput, Select } from '../components/controls';
import { isFilterComplete } from '../components/filter-editor';
import { isEmptyResult, ResultArea, useInsightQuery } from '../components/result-area';
import { SaveInsight } from '../components/save-insight';
import { StepList } from '../components/step-list';
import { useUrlState } from '../router';
import type { EventStep, RetentionSpec } from '../types';
import { RetentionView } from '../views/retention-view';

const DEFAULT: RetentionSpec = {
  kind: 'retention',
  start: [{ event: '' }],
  return: [{ event: '' }],
  period: 'day',
  periods: 7,
  dateRange: { last: '30d' },
};

const isComplete = (steps: EventStep[]) =>
  steps.length > 0 && steps.every((s) => s.event.trim() !== '' && isFilterComplete(s.where));

/** Retention: start and return events (any of each), period, cohort type; heatmap and curve. */
export function RetentionPage() {
  const [spec, set] = useUrlState<RetentionSpec>(DEFAULT);
  const run = isComplete(spec.start) && isComplete(spec.return) ? spec : null;
  const state = useInsightQuery(run);
  return (
    <div className="insight-page">
      <h1>Retention</h1>
      <CatalogLists />
      <form className="builder" aria-label="Retention builder" onSubmit={(e) => e.preventDefault()}>
        <div className="two-col">
          <fieldset>
            <legend>Start: any of</legend>
            <StepList
              steps={spec.start}
              onChange={(start) => set({ ...spec, start })}
              noun="Start event"
              idPrefix="ret-start"
            />
          </fieldset>
          <fieldset>
            <legend>Return: any of</legend>
            <StepList
              steps={spec.return}
              onChange={(ret) => set({ ...spec, return: ret })}
              noun="Return event"
              idPrefix="ret-return"
            />
          </fieldset>
        </div>
        <div className="options-row">
          <DateRangePicker value={spec.dateRange} onChange={(dateRange) => set({ ...spec, dateRange })} />
          <Select
            label="Period"
            value={spec.period ?? 'day'}
            options={[
              ['day', 'day'],
              ['week', 'week'],
              ['month', 'month'],
            ]}
            onChange={(period) => set({ ...spec, period })}
          />
          <NumberInput
            label="Periods"
            min={1}
            max={400}
            value={spec.periods}
            onChange={(periods) => set(periods ? { ...spec, periods } : { ...spec })}
          />
          <Select
            label="Cohort"
            value={spec.cohort ?? 'first_time'}
            options={[
              ['first_time', 'first time'],
              ['recurring', 'recurring'],
            ]}
            onChange={(cohort) => set({ ...spec, cohort })}
          />
          <Select
            label="Return counted"
            value={spec.returnMode ?? 'exact'}
            options={[
              ['exact', 'in that period'],
              ['unbounded', 'in that period or later'],
            ]}
            onChange={(returnMode) => set({ ...spec, returnMode })}
          />
        </div>
      </form>
      <SaveInsight spec={spec} isDisabled={!run} />
      <ResultArea state={state} idle="Pick a start and a return event." isEmpty={isEmptyResult}>
        {(result) => <RetentionView result={result} />}
      </ResultArea>
    </div>
  );
}
