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
 * A feature field as SQL over one impression row (`item` is the item's JSON, `props` the event's
 * properties): built-ins, `item.<key>`, `prop.<key>` (paths bound) or a text event column.
 */
export function ctrFieldSql(field: string, timeZone: string, o: SqlOut): string {
  switch (field) {
    case 'item_id':
      return "json_extract_string(item, '$.item_id')";
    case 'position':
      return "TRY_CAST(json_extract_string(item, '$.position') AS INTEGER)";
    case 'list_id':
      return 'list_id';
    case 'request_id':
      return 'request_id';
    case 'hour':
      return `hour(${localTime('ts', o.bind(timeZone))})`;
    case 'weekday':
      return `isodow(${localTime('ts', o.bind(timeZone))})`;
  }
  if (field.startsWith('item.') && field.length > 5)
    return `json_extract_string(item, ${o.bind(jsonPointer(field.slice(5)))})`;
  if (field.startsWith('prop.') && field.length > 5)
    return `json_extract_string(props, ${o.bind(jsonPointer(field.slice(5)))})`;
  if (COLUMNS.has(field)) return quoteIdent(field);
  throw new PathwiseError('PW_MODEL_INVALID_SPEC', {
    reason: `unknown feature field "${field}": use ${CTR_BUILTIN_FIELDS.join(', ')}, item.<key>, prop.<key> or an event column`,
  });
}

/**
 * The labelled impressions as CTEs `imp` (one row per shown item) and `labelled` (with
 * `clicked`). A click goes to the latest earlier impression of the same item, person and
 * request (or list, when the click has no request_id) — an ASOF join — if it came within the
 * window; many clicks on one impression count once.
 */
export function labelledImpressionsSql(x: CtrExtraction, extraColumns: readonly string[], o: SqlOut): string {
  const p = o.bind(x.projectId);
  const from = o.bind({ timestampUs: x.fromUs });
  const to = o.bind({ timestampUs: x.toUs });
  const clicksTo = o.bind({ timestampUs: x.toUs + x.clickWindowUs });
  const window = o.bind(x.clickWindowUs);
  const extra = extraColumns.map((c) => `, ${quoteIdent(c)}`).join('');
  return `imp AS MATERIALIZED (
  SELECT message_id, ts, person, props, list_id, request_id, item,
         json_extract_string(item, '$.item_id') AS item_id${extra}
  FROM (
    SELECT message_id, "timestamp" AS ts, ${UNIT_KEY.person} AS person, properties AS props,
           coalesce(json_extract_string(properties, '$.list_id'), '') AS list_id,
           json_extract_string(properties, '$.request_id') AS request_id${extra},
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

/** Text event columns that the fields name (they are carried through the CTEs). */
export function columnsOf(fields: readonly string[]): string[] {
  return fields.filter((f) => COLUMNS.has(f) && !(CTR_BUILTIN_FIELDS as readonly string[]).includes(f));
}
