import { PathwiseError } from '../../../core/index.js';
import { quoteIdent } from '../../../store/index.js';
import { CTR_BUILTIN_FIELDS } from '../../spec/ctr-training.js';
import { EventColumn } from '../../spec/filter.js';
import type { SqlOut } from '../sql-out.js';
import { jsonPointer, localTime, UNIT_KEY } from './base.js';

/** What to extract: the project, event names, the range of impressions and the click window. */
export interface CtrExtraction {
  readonly projectId: string;
  readonly timeZone: string;
  readonly impressionEvent: string;
  readonly clickEvent: string;
  readonly clickWindowUs: number;
  readonly fromUs: number;
  readonly toUs: number;
}

/** The event columns a filter may name, less the row's own keys, may be features too. */
const COLUMNS = new Set<string>(
  (EventColumn.enum as readonly string[]).filter((c) => !['event', 'type', 'distinct_id'].includes(c)),
);

/**
 * Feature fields as SQL. Event-level fields (event columns, `prop.<key>`, hour, weekday, list and
 * request) are computed once per impression event, before its items are unnested, and carried as
 * `e0, e1, …`; item-level fields (`item_id`, `position`, `item.<key>`) read the item's JSON.
 */
export interface CtrColumns {
  /** `, expr AS eN` for the event-level select. */
  readonly eventSelect: string;
  /** Carried names `, eN` for the selects after the unnest. */
  readonly carried: string;
  /** A field's SQL over a labelled row, by its index (bound when asked for: unused paths stay unbound). */
  readonly fieldSql: (index: number) => string;
}

function eventLevel(field: string, timeZone: string, o: SqlOut): string | null {
  if (field === 'hour') return `hour(${localTime('"timestamp"', o.bind(timeZone))})`;
  if (field === 'weekday') return `isodow(${localTime('"timestamp"', o.bind(timeZone))})`;
  if (field.startsWith('prop.') && field.length > 5)
    return `json_extract_string(properties, ${o.bind(jsonPointer(field.slice(5)))})`;
  if (COLUMNS.has(field)) return quoteIdent(field);
  return null;
}

function isItemLevel(field: string): boolean {
  return (
    ['item_id', 'position', 'list_id', 'request_id'].includes(field) ||
    (field.startsWith('item.') && field.length > 5)
  );
}

function itemLevel(field: string, o: SqlOut): string | null {
  if (field === 'item_id') return 'item_id';
  if (field === 'position') return "TRY_CAST(json_extract_string(item, '$.position') AS INTEGER)";
  if (field === 'list_id') return 'list_id';
  if (field === 'request_id') return 'request_id';
  if (field.startsWith('item.') && field.length > 5)
    return `json_extract_string(item, ${o.bind(jsonPointer(field.slice(5)))})`;
  return null;
}

/** Resolves feature fields to SQL; an unknown field is PW_MODEL_INVALID_SPEC naming it. */
export function ctrColumns(fields: readonly string[], timeZone: string, o: SqlOut): CtrColumns {
  const events: string[] = [];
  const eventAlias = new Map<number, string>();
  fields.forEach((field, j) => {
    if (isItemLevel(field)) return;
    const event = eventLevel(field, timeZone, o);
    if (event === null)
      throw new PathwiseError('PW_MODEL_INVALID_SPEC', {
        reason: `unknown feature field "${field}": use ${CTR_BUILTIN_FIELDS.join(', ')}, item.<key>, prop.<key> or an event column`,
      });
    eventAlias.set(j, `e${events.length}`);
    events.push(event);
  });
  return {
    eventSelect: events.map((sql, i) => `, ${sql} AS e${i}`).join(''),
    carried: events.map((_, i) => `, e${i}`).join(''),
    fieldSql: (j) => eventAlias.get(j) ?? itemLevel(fields[j] as string, o) ?? 'NULL',
  };
}

/**
 * The labelled impressions as CTEs `imp` (one row per shown item) and `labelled` (with
 * `clicked`). A click goes to the latest earlier impression of the same item, person and
 * request (or list, when the click has no request_id) — an ASOF join — if it came within the
 * window; many clicks on one impression count once.
 */
export function labelledImpressionsSql(x: CtrExtraction, cols: CtrColumns, o: SqlOut): string {
  const p = o.bind(x.projectId);
  const from = o.bind({ timestampUs: x.fromUs });
  const to = o.bind({ timestampUs: x.toUs });
  const clicksTo = o.bind({ timestampUs: x.toUs + x.clickWindowUs });
  const window = o.bind(x.clickWindowUs);
  return `imp AS MATERIALIZED (
  SELECT message_id, ts, person, list_id, request_id, item,
         json_extract_string(item, '$.item_id') AS item_id${cols.carried}
  FROM (
    SELECT message_id, "timestamp" AS ts, ${UNIT_KEY.person} AS person,
           coalesce(json_extract_string(properties, '$.list_id'), '') AS list_id,
           json_extract_string(properties, '$.request_id') AS request_id${cols.eventSelect},
           unnest(coalesce(TRY_CAST(json_extract(properties, '$.items') AS JSON[]), [properties])) AS item
    FROM events
    WHERE project_id = ${p} AND event = ${o.bind(x.impressionEvent)} AND "timestamp" >= ${from} AND "timestamp" < ${to}
  )
),
clk AS (
  SELECT message_id AS click_id, "timestamp" AS ts, ${UNIT_KEY.person} AS person,
         json_extract_string(properties, '$.item_id') AS item_id,
         coalesce(json_extract_string(properties, '$.list_id'), '') AS list_id,
         json_extract_string(properties, '$.request_id') AS request_id
  FROM events
  WHERE project_id = ${p} AND event = ${o.bind(x.clickEvent)} AND "timestamp" >= ${from} AND "timestamp" < ${clicksTo}
),
matched AS (
  SELECT c.click_id, c.ts AS click_ts, i.message_id, i.item_id, epoch_us(c.ts) - epoch_us(i.ts) AS lag_us
  FROM clk c ASOF JOIN imp i
    ON c.person = i.person AND c.item_id = i.item_id AND c.request_id = i.request_id AND c.ts >= i.ts
  WHERE c.request_id IS NOT NULL
  UNION ALL
  SELECT c.click_id, c.ts AS click_ts, i.message_id, i.item_id, epoch_us(c.ts) - epoch_us(i.ts) AS lag_us
  FROM clk c ASOF JOIN imp i
    ON c.person = i.person AND c.item_id = i.item_id AND c.list_id = i.list_id AND c.ts >= i.ts
  WHERE c.request_id IS NULL
),
hits AS (SELECT DISTINCT message_id, item_id FROM matched WHERE lag_us <= ${window}),
labelled AS (
  SELECT imp.*, h.message_id IS NOT NULL AS clicked
  FROM imp LEFT JOIN hits h ON h.message_id = imp.message_id AND h.item_id = imp.item_id
)`;
}
