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
 * column `ip_<i>`. `is_counted` marks the impressions a result counts (an item, selected by the
 * spec's filters, in range); the rest only serve the join.
 *
 * Memory: nothing here is materialized (DuckDB would keep every impression row of a CTE read
 * twice in memory); the JSON is parsed once per read instead. And no row filter sits on the
 * impression side before the joins: DuckDB estimates an unnest as one row per event, and a
 * filter there would make the impressions look smaller than the clicks, so it would build its
 * hash tables on the impressions (10x the memory at 1M impressions, measured).
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
  return `imp_ev AS NOT MATERIALIZED (
  SELECT message_id, "timestamp" AS ts, ${UNIT_KEY.person} AS person, ${selected} AS is_selected${computed},
    from_json(properties, ${structure}) AS p
  FROM events
  WHERE project_id = ${o.bind(s.projectId)} AND event = ${o.bind(src.impressionEvent)}
    AND "timestamp" >= ${o.bind({ timestampUs: s.fromUs - src.windowUs })} AND "timestamp" < ${o.bind({ timestampUs: s.toUs })}${asOf(src, o)}
),
imp_arr AS NOT MATERIALIZED (
  SELECT * EXCLUDE (p), ${own} AS ev, CASE WHEN len(p.items) > 0 THEN p.items ELSE [${own}] END AS arr FROM imp_ev
),
imps AS NOT MATERIALIZED (
  SELECT message_id, ord, ts, person${names}${props},
    it.item_id AS item_id, TRY_CAST(it.position AS INTEGER) AS position,
    ${itemKey('list_id')} AS list_id, ${itemKey('request_id')} AS request_id,
    it.item_id IS NOT NULL AND is_selected AND ts >= ${o.bind({ timestampUs: s.fromUs })} AS is_counted
  FROM (SELECT * EXCLUDE (arr), unnest(arr) AS it, generate_subscripts(arr, 1) AS ord FROM imp_arr)
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
  -- The HAVING (always true) lowers DuckDB's estimate of the click side so that the semi join
  -- hashes the clicks, not the impressions (see impressionCtes).
  SEMI JOIN (SELECT person, item_id FROM clk WHERE item_id IS NOT NULL GROUP BY ALL HAVING count(*) > 0) c
    ON i.person = c.person AND i.item_id = c.item_id
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
 * The CTEs every click node reads, ending in `labeled`: impression rows, each with its number of
 * matched clicks (readers count the rows with `is_counted`, in aggregate FILTERs rather than a
 * WHERE, which DuckDB would push under the join; see impressionCtes), and `click_status`: every
 * click with how it joined.
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
labeled AS (SELECT i.*, coalesce(c.clicks, 0) AS clicks FROM imps i LEFT JOIN imp_clicks c USING (message_id, ord))`;
}

/** The list of an impression row: the person's request_id, else the impression event. */
const LIST_KEY = 'coalesce(request_id, message_id)';

/**
 * Click-model rows: `model_rows` are the impression rows with `keep` (counted, at positions
 * 1…maxPosition), their list and whether they were clicked.
 */
export function modelRowsCtes(src: ClickSource, maxPosition: number, o: SqlOut): string {
  return `${clickCtes(src, o)},
model_rows AS (
  SELECT person, ${LIST_KEY} AS list_key, position, item_id, clicks > 0 AS clicked,
    is_counted AND position BETWEEN 1 AND ${o.bind(maxPosition)} AS keep
  FROM labeled
)`;
}

/**
 * One row per shown slot (list, position, item): a slot re-shown within a list counts once and
 * is clicked when any of its impressions was. Click models count these.
 */
export const SLOTS_CTE = `slots AS (
  SELECT list_key, position, item_id, bool_or(clicked) FILTER (WHERE keep) AS clicked
  FROM model_rows GROUP BY person, list_key, position, item_id HAVING count(*) FILTER (WHERE keep) > 0
)`;

/** The item dictionary as a bound list: index = position in the list − 1 (the items query's order). */
export function dictCte(itemIds: readonly string[], o: SqlOut): string {
  const ids = `${o.bind(itemIds)}::VARCHAR[]`;
  return `dict AS (SELECT unnest(${ids}) AS item_id, (generate_subscripts(${ids}, 1) - 1)::INTEGER AS idx)`;
}

/** The split predicate on `list_key` (hash modulo 10,000 against the test share). */
export function splitSql(split: ListSplit, o: SqlOut): string {
  if (split.part === 'all') return 'TRUE';
  const cmp = split.part === 'test' ? '<' : '>=';
  return `(hash(list_key) % 10000) ${cmp} ${o.bind(split.testPer10k)}`;
}
