import { DayInputs, localDate, Select } from '../components/controls';
import { ResultArea, useInsightQuery } from '../components/result-area';
import { SaveInsight } from '../components/save-insight';
import { useUrlState } from '../router';
import type { SessionAttribute, SessionsSpec } from '../types';
import { SessionsView } from '../views/sessions-view';

const BREAKDOWNS: readonly (readonly [SessionAttribute | '', string])[] = [
  ['', 'none'],
  ['channel', 'channel'],
  ['device_type', 'device'],
  ['browser', 'browser'],
  ['os', 'OS'],
  ['country', 'country'],
  ['referrer_domain', 'referrer'],
  ['utm_source', 'UTM source'],
  ['utm_campaign', 'UTM campaign'],
  ['entry_path', 'entry page'],
];

const PRESET_DAYS = [
  ['7', 'Last 7 days'],
  ['14', 'Last 14 days'],
  ['30', 'Last 30 days'],
  ['90', 'Last 90 days'],
  ['custom', 'Custom'],
] as const;

/** Sessions: KPIs, duration histogram, entry and exit pages, breakdown by channel or device. */
export function SessionsPage() {
  const fallback: SessionsSpec = {
    kind: 'sessions',
    from: localDate(29),
    to: localDate(0),
    breakdown: 'channel',
  };
  const [spec, set] = useUrlState<SessionsSpec>(fallback);
  const preset = PRESET_DAYS.find(
    ([d]) => d !== 'custom' && spec.from === localDate(Number(d) - 1) && spec.to === localDate(0),
  );
  const run = spec.from && spec.to ? spec : null;
  const state = useInsightQuery(run);
  return (
    <div className="insight-page">
      <h1>Sessions</h1>
      <form className="builder" aria-label="Sessions options" onSubmit={(e) => e.preventDefault()}>
        <div className="options-row">
          <Select
            label="Date range"
            value={preset?.[0] ?? 'custom'}
            options={PRESET_DAYS}
            onChange={(d) =>
              d !== 'custom' && set({ ...spec, from: localDate(Number(d) - 1), to: localDate(0) })
            }
          />
          <DayInputs from={spec.from} to={spec.to} onChange={(r) => set({ ...spec, ...r })} />
          <Select
            label="Breakdown"
            value={spec.breakdown ?? ''}
            options={BREAKDOWNS}
            onChange={(b) => {
              const { breakdown: _, ...rest } = spec;
              set(b ? { ...rest, breakdown: b } : rest);
            }}
          />
        </div>
      </form>
      <SaveInsight spec={spec} isDisabled={!run} />
      <ResultArea state={state} isEmpty={(r) => r.sessions === 0} empty="No sessions started in this range.">
        {(result) => <SessionsView result={result} />}
      </ResultArea>
    </div>
  );
}
