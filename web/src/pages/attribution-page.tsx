import { useId } from 'react';
import type { AttributionResult, AttributionSpec, TouchAttribute } from '../analysis-types';
import { runAttribution } from '../api';
import { CatalogLists, DateRangePicker, EventInput, NumberInput, Select } from '../components/controls';
import { ResultArea } from '../components/result-area';
import { useUrlState } from '../router';
import { useAsync } from '../use-async';
import { AttributionView } from '../views/attribution-view';

const DEFAULT: AttributionSpec = {
  kind: 'attribution',
  conversion: { event: '' },
  touchpoints: [{ kind: 'session', attribute: 'channel' }],
  lookbackDays: 30,
  markovOrders: [1],
  dateRange: { last: '30d' },
};

const ATTRIBUTES: readonly (readonly [TouchAttribute, string])[] = [
  ['channel', 'channel'],
  ['utm_source', 'UTM source'],
  ['utm_medium', 'UTM medium'],
  ['utm_campaign', 'UTM campaign'],
  ['source_medium', 'source / medium'],
  ['referrer_domain', 'referrer domain'],
];

const ORDERS = [
  ['1', '1st order'],
  ['2', '1st and 2nd order'],
  ['3', '1st to 3rd order'],
] as const;

/** Attribution: which channels deserve credit for a conversion, under every model side by side. */
export function AttributionPage() {
  const [spec, set] = useUrlState<AttributionSpec>(DEFAULT);
  const eventId = useId();
  const runnable = spec.conversion.event.trim() ? spec : null;
  const state = useAsync<AttributionResult>(
    (signal) => runAttribution(runnable as AttributionSpec, signal),
    runnable && JSON.stringify(runnable),
    { debounceMs: 350 },
  );
  const attribute = spec.touchpoints?.[0]?.attribute ?? 'channel';
  const maxOrder = String(Math.max(...(spec.markovOrders ?? [1]))) as (typeof ORDERS)[number][0];
  return (
    <div className="insight-page">
      <h1>Attribution</h1>
      <CatalogLists />
      <form className="builder" aria-label="Attribution options" onSubmit={(e) => e.preventDefault()}>
        <div className="options-row">
          <span className="field">
            <label htmlFor={eventId}>Conversion event</label>
            <EventInput
              id={eventId}
              label="Conversion event"
              value={spec.conversion.event}
              onChange={(event) => set({ ...spec, conversion: { ...spec.conversion, event } })}
            />
          </span>
          <Select
            label="Touchpoints by"
            value={attribute}
            options={ATTRIBUTES}
            onChange={(a) => set({ ...spec, touchpoints: [{ kind: 'session', attribute: a }] })}
          />
          <NumberInput
            label="Lookback days"
            min={1}
            max={365}
            value={spec.lookbackDays}
            onChange={(lookbackDays) => {
              const { lookbackDays: _, ...rest } = spec;
              set(lookbackDays && lookbackDays >= 1 ? { ...rest, lookbackDays } : rest);
            }}
          />
          <Select
            label="Markov chains"
            value={maxOrder}
            options={ORDERS}
            onChange={(o) =>
              set({ ...spec, markovOrders: Array.from({ length: Number(o) }, (_, i) => i + 1) })
            }
          />
          <DateRangePicker value={spec.dateRange} onChange={(dateRange) => set({ ...spec, dateRange })} />
        </div>
      </form>
      <ResultArea
        state={state}
        idle="Name the conversion event to see which channels get the credit."
        isEmpty={(r) => r.summary.conversions === 0}
        empty="No conversions of this event in the range."
      >
        {(result) => <AttributionView result={result} />}
      </ResultArea>
    </div>
  );
}
