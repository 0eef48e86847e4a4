import { quoteIdent, quoteLiteral } from '../../../store/index.js';
import type { ClickSource, ListSplit } from '../../plan/click-nodes.js';
import type { Field } from '../../plan/nodes.js';
import type { SqlOut } from '../sql-out.js';
import { fieldSql, UNIT_KEY } from './base.js';
import { exprSql } from './expr.js';

/** The keys every impression row reads; CTR dimensions may add more (`property`, `list`, `item_category`). */
const ITEM_KEYS = ['item_id', 'position', 'list_id', 'request_id'] as const;

/** A key of an impression: the item's own value first (an element of `items`), then the event's. */
function itemKey(name: string): string {
  return `coalesce(it.${quoteIdent(name)}, ev.${quoteIdent(name)})`;
}

function asOf(src: ClickSource, o: SqlOut): string {
  return src.asOfUs === null ? '' : ` AND inserted_at <= ${o.bind({ timestampUs: src.asOfUs })}`;
}

/** Values of the impression event carried to every item row, as `ev_<name>` columns. */
export type EventValues = Readonly<Record<string, Field>>;

/**
 * Impression rows: one per shown item. An event with an array `properties.items` gives one row
 * per element (feed SDKs batch a list this way), any other event one row from its own
 * properties. `properties` is parsed once into a struct of the keys needed (DuckDB's from_json;
 * a key of another JSON type reads as NULL), which is ~10x faster than one json_extract per key.
 * `values` are read from the event's row (its columns, person, session); `itemProps[i]` becomes
 * column `ip_<i>`. Rows carry only the columns later steps read: `imps` is materialized.
 */
function impressionCtes(
  src: ClickSource,
  o: SqlOut,
  values: EventValues,
  itemProps: readonly string[],
): string {
  const s = src.scope;
  const keys = [...new Set([...ITEM_KEYS, ...itemProps])];
  const item = Object.fromEntries(keys.map((k) => [k, 'VARCHAR']));
  // The structure must be a constant: the keys are escaped as JSON, then as an SQL literal.
  const structure = quoteLiteral(JSON.stringify({ ...item, items: [item] }));
  const own = `struct_pack(${keys.map((k) => `${quoteIdent(k)} := p.${quoteIdent(k)}`).join(', ')})`;
  const names = Object.keys(values)
    .map((k) => `, ev_${k}`)
    .join('');
  const props = itemProps.map((name, i) => `, ${itemKey(name)} AS ip_${i}`).join('');
  const computed = Object.entries(values)
    .map(([k, f]) => `, ${fieldSql(f, o)} AS ev_${k}`)
    .join('');
  const selected = src.where ? `coalesce(${exprSql(src.where, o)}, FALSE)` : 'TRUE';
  return `imp_ev AS (
  SELECT message_id, "timestamp" AS ts, ${UNIT_KEY.person} AS person, ${selected} AS is_selected${computed},
    from_json(properties, ${structure}) AS p
  FROM events
  WHERE project_id = ${o.bind(s.projectId)} AND event = ${o.bind(src.impressionEvent)}
    AND "timestamp" >= ${o.bind({ timestampUs: s.fromUs - src.windowUs })} AND "timestamp" < ${o.bind({ timestampUs: s.toUs })}${asOf(src, o)}
),
imp_arr AS (
  SELECT * EXCLUDE (p), ${own} AS ev, CASE WHEN len(p.items) > 0 THEN p.items ELSE [${own}] END AS arr FROM imp_ev
),
imps AS MATERIALIZED (
  SELECT message_id, ord, ts, person, is_selected${names}${props},
    it.item_id AS item_id, TRY_CAST(it.position AS INTEGER) AS position,
    ${itemKey('list_id')} AS list_id, ${itemKey('request_id')} AS request_id
  FROM (SELECT * EXCLUDE (arr), unnest(arr) AS it, generate_subscripts(arr, 1) AS ord FROM imp_arr)
  WHERE it.item_id IS NOT NULL
)`;
}

/**
 * Clicks and the join: a click takes the latest impression of the same person and item with
 * the same request_id (joinBy `auto` when the click has one, or `request_id`) or list_id, at or
 * before it (ASOF); it is matched when that impression is at most the window earlier.
 */
function joinCtes(src: ClickSource, o: SqlOut): string {
  const s = src.scope;
  const joinBy = o.bind(src.joinBy);
  return `clk AS (
  SELECT message_id AS click_id, "timestamp" AS ts, ${UNIT_KEY.person} AS person,
    json_extract_string(properties, '$.item_id') AS item_id,
    json_extract_string(properties, '$.list_id') AS list_id,
    json_extract_string(properties, '$.request_id') AS request_id
  FROM events
  WHERE project_id = ${o.bind(s.projectId)} AND event = ${o.bind(src.clickEvent)}
    AND "timestamp" >= ${o.bind({ timestampUs: s.fromUs })} AND "timestamp" < ${o.bind({ timestampUs: s.toUs + src.windowUs })}${asOf(src, o)}
),
clk_keyed AS (
  SELECT *, CASE WHEN kk = 'l' THEN list_id ELSE request_id END AS k FROM (
    SELECT *, CASE WHEN ${joinBy} = 'list_id' OR (${joinBy} = 'auto' AND request_id IS NULL) THEN 'l' ELSE 'r' END AS kk
    FROM clk)
),
cand AS (
  SELECT i.message_id, i.ord, i.ts, i.person, i.item_id, i.list_id, i.request_id FROM imps i
  SEMI JOIN (SELECT DISTINCT person, item_id FROM clk) c ON i.person = c.person AND i.item_id = c.item_id
),
keyed AS (
  SELECT message_id, ord, ts, person, item_id, 'r' AS kk, request_id AS k FROM cand WHERE request_id IS NOT NULL
  UNION ALL
  SELECT message_id, ord, ts, person, item_id, 'l' AS kk, list_id AS k FROM cand WHERE list_id IS NOT NULL
),
click_status AS (
  SELECT c.click_id, c.ts AS click_ts, k.message_id, k.ord,
    CASE WHEN c.item_id IS NULL OR c.k IS NULL THEN 'missing_key'
      WHEN k.ts IS NULL THEN 'no_impression'
      WHEN epoch_us(c.ts) - epoch_us(k.ts) > ${o.bind(src.windowUs)} THEN 'outside_window'
      ELSE 'matched' END AS status
  FROM clk_keyed c ASOF LEFT JOIN keyed k
    ON c.person = k.person AND c.item_id = k.item_id AND c.kk = k.kk AND c.k = k.k AND c.ts >= k.ts
)`;
}

/**
 * The CTEs every click node reads, ending in `labeled`: the selected impressions in range, each
 * with its number of matched clicks, and `click_status`: every click with how it joined.
 */
export function clickCtes(
  src: ClickSource,
  o: SqlOut,
  values: EventValues = {},
  itemProps: readonly string[] = [],
): string {
  return `WITH ${impressionCtes(src, o, values, itemProps)},
${joinCtes(src, o)},
imp_clicks AS (SELECT message_id, ord, count(*) AS clicks FROM click_status WHERE status = 'matched' GROUP BY ALL),
labeled AS (
  SELECT i.*, coalesce(c.clicks, 0) AS clicks FROM imps i LEFT JOIN imp_clicks c USING (message_id, ord)
  WHERE i.is_selected AND i.ts >= ${o.bind({ timestampUs: src.scope.fromUs })}
)`;
}

/** The list of an impression row: the person's request_id, else the impression event. */
const LIST_KEY = 'coalesce(request_id, message_id)';

/**
 * Click-model data: `model_rows` are the labeled impressions at positions 1…maxPosition; `dict`
 * numbers their items densely by id (over every list, so train and test queries share indexes).
 */
export function listCtes(src: ClickSource, maxPosition: number, o: SqlOut): string {
  return `${clickCtes(src, o)},
model_rows AS (
  SELECT person, ${LIST_KEY} AS list_key, position, item_id, clicks > 0 AS clicked
  FROM labeled WHERE position BETWEEN 1 AND ${o.bind(maxPosition)}
),
dict AS (SELECT item_id, (row_number() OVER (ORDER BY item_id) - 1)::INTEGER AS idx FROM (SELECT DISTINCT item_id FROM model_rows))`;
}

/**
 * One row per shown slot (list, position, item): a slot re-shown within a list counts once and
 * is clicked when any of its impressions was. Click models count these.
 */
export const SLOTS_CTE = `slots AS (
  SELECT list_key, position, item_id, bool_or(clicked) AS clicked FROM model_rows GROUP BY person, list_key, position, item_id
)`;

/** The split predicate on `list_key` (hash modulo 10,000 against the test share). */
export function splitSql(split: ListSplit, o: SqlOut): string {
  if (split.part === 'all') return 'TRUE';
  const cmp = split.part === 'test' ? '<' : '>=';
  return `(hash(list_key) % 10000) ${cmp} ${o.bind(split.testPer10k)}`;
}
