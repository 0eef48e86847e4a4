import { CatalogLists, DateRangePicker, EventInput, NumberInput, Select } from '../components/controls';
import { isEmptyResult, ResultArea, useInsightQuery } from '../components/result-area';
import { SaveInsight } from '../components/save-insight';
import { useUrlState } from '../router';
import type { PathsSpec } from '../types';
import { PathsView } from '../views/paths-view';

const DEFAULT: PathsSpec = { kind: 'paths', countBy: 'session', steps: 5, dateRange: { last: '30d' } };

type Anchor = 'first' | 'start' | 'end';

function anchorOf(spec: PathsSpec): Anchor {
  return spec.start ? 'start' : spec.end ? 'end' : 'first';
}

/** Paths: from a start event, towards an end event, or from each unit's first event; a Sankey. */
export function PathsPage() {
  const [spec, set] = useUrlState<PathsSpec>(DEFAULT);
  const anchor = anchorOf(spec);
  const anchorEvent = spec.start?.event ?? spec.end?.event ?? '';
  const run = anchor === 'first' || anchorEvent.trim() !== '' ? spec : null;
  const state = useInsightQuery(run);
  const setAnchor = (a: Anchor, event: string) => {
    const { start: _s, end: _e, ...rest } = spec;
    set(a === 'first' ? rest : a === 'start' ? { ...rest, start: { event } } : { ...rest, end: { event } });
  };
  return (
    <div className="insight-page">
      <h1>Paths</h1>
      <CatalogLists />
      <form className="builder" aria-label="Paths builder" onSubmit={(e) => e.preventDefault()}>
        <div className="options-row">
          <Select<Anchor>
            label="Paths"
            value={anchor}
            options={[
              ['first', 'from the first event'],
              ['start', 'starting at'],
              ['end', 'ending at'],
            ]}
            onChange={(a) => setAnchor(a, anchorEvent)}
          />
          {anchor !== 'first' && (
            <EventInput
              label={anchor === 'start' ? 'Start event' : 'End event'}
              value={anchorEvent}
              onChange={(event) => setAnchor(anchor, event)}
            />
          )}
          <NumberInput
            label="Steps"
            min={2}
            max={50}
            value={spec.steps}
            onChange={(steps) => set(steps ? { ...spec, steps } : spec)}
          />
          <Select
            label="Count"
            value={spec.countBy ?? 'session'}
            options={[
              ['session', 'sessions'],
              ['person', 'persons'],
            ]}
            onChange={(countBy) => set({ ...spec, countBy })}
          />
          <DateRangePicker value={spec.dateRange} onChange={(dateRange) => set({ ...spec, dateRange })} />
          <span className="field">
            <label htmlFor="paths-exclude">Leave out events</label>
            <input
              id="paths-exclude"
              placeholder="a, b"
              value={(spec.exclude ?? []).join(', ')}
              onChange={(e) => {
                const exclude = e.target.value
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean);
                const { exclude: _, ...rest } = spec;
                set(exclude.length ? { ...rest, exclude } : rest);
              }}
            />
          </span>
        </div>
      </form>
      <SaveInsight spec={spec} isDisabled={!run} />
      <ResultArea state={state} idle="Name the start or end event." isEmpty={isEmptyResult}>
        {(result) => <PathsView result={result} />}
      </ResultArea>
    </div>
  );
}
