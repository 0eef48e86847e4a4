import type {
  ClickCellsPlan,
  ClickItemsPlan,
  ClickListsPlan,
  ClickMatchPlan,
  CtrDim,
  CtrTablePlan,
} from '../../plan/click-nodes.js';
import type { Field } from '../../plan/nodes.js';
import type { SqlOut } from '../sql-out.js';
import { bucketOf, wallText } from './base.js';
import { clickCtes, dictCte, modelRowsCtes, SLOTS_CTE, splitSql } from './clicks.js';

function dimSql(d: CtrDim, i: number, o: SqlOut, timeZone: string, itemProps: readonly string[]): string {
  switch (d.kind) {
    case 'item':
      return 'l.item_id';
    case 'position':
      return 'l.position';
    case 'itemProp':
      return `l.ip_${itemProps.indexOf(d.name)}`;
    case 'field':
      return `l.ev_d${i}`;
    case 'time':
      return wallText(bucketOf('l.ts', d.interval, o, o.bind(timeZone)));
  }
}

/** Impressions, clicked impressions and clicks per group, a totals row first, the top groups by impressions. */
export function emitCtrTable(p: CtrTablePlan, o: SqlOut): string {
  const values: Record<string, Field> = {};
  p.dims.forEach((d, i) => {
    if (d.kind === 'field') values[`d${i}`] = d.field;
  });
  const itemProps = [...new Set(p.dims.flatMap((d) => (d.kind === 'itemProp' ? [d.name] : [])))];
  const head = clickCtes(p.source, o, values, itemProps);
  const names = p.dims.map((_, i) => `d${i}`);
  const dims = p.dims.map((d, i) => `${dimSql(d, i, o, p.source.scope.timeZone, itemProps)} AS d${i}`);
  const measures = `count(*) FILTER (WHERE is_counted) AS impressions,
    count(*) FILTER (WHERE is_counted AND clicks > 0) AS clicked,
    coalesce(sum(clicks) FILTER (WHERE is_counted), 0)::BIGINT AS clicks`;
  const dimmed = `dimmed AS (SELECT ${['l.clicks', 'l.is_counted', ...dims].join(', ')} FROM labeled l)`;
  if (names.length === 0)
    return `${head},\n${dimmed}\nSELECT TRUE AS is_total, ${measures}, 0 AS groups FROM dimmed`;
  const list = names.join(', ');
  return `${head},
${dimmed},
grouped AS (
  SELECT ${list}, grouping(${list}) <> 0 AS is_total, ${measures}
  FROM dimmed GROUP BY GROUPING SETS ((${list}), ())
),
kept AS (SELECT * FROM grouped WHERE is_total OR impressions >= ${o.bind(p.minImpressions)})
SELECT *, sum(CASE WHEN is_total THEN 0 ELSE 1 END) OVER () AS groups FROM kept
ORDER BY is_total DESC, impressions DESC, ${names.map((n) => `${n} NULLS LAST`).join(', ')}
LIMIT ${o.bind(p.limit + 1)}`;
}

/** Clicks in range by how they joined (matched, outside_window, no_impression, missing_key). */
export function emitClickMatch(p: ClickMatchPlan, o: SqlOut): string {
  return `${clickCtes(p.source, o)}
SELECT status, count(*) AS clicks FROM click_status
WHERE click_ts < ${o.bind({ timestampUs: p.source.scope.toUs })} GROUP BY status ORDER BY status`;
}

/** The items of the click-model data, by id (their order is the dictionary), with shown and clicked slots. */
export function emitClickItems(p: ClickItemsPlan, o: SqlOut): string {
  return `${modelRowsCtes(p.source, p.maxPosition, o)},
${SLOTS_CTE}
SELECT item_id, count(*) AS impressions, count(*) FILTER (WHERE clicked) AS clicks
FROM slots GROUP BY item_id ORDER BY item_id`;
}

/** Per (item index, position) shown and clicked slots of one side of the split. */
export function emitClickCells(p: ClickCellsPlan, o: SqlOut): string {
  return `${modelRowsCtes(p.source, p.maxPosition, o)},
${SLOTS_CTE},
${dictCte(p.itemIds, o)}
SELECT d.idx AS item, s.position, count(*) AS impressions, count(*) FILTER (WHERE s.clicked) AS clicks
FROM slots s JOIN dict d USING (item_id) WHERE ${splitSql(p.split, o)} GROUP BY ALL`;
}

/**
 * One row per list of one side of the split: its slots packed into one unordered list of
 * numbers, position · base + item index · 2 + clicked: INTEGER (base 2^23, positions ≤ 200)
 * when the items fit in 22 bits, else BIGINT. Ordered list aggregates, a per-slot GROUP BY and
 * DOUBLE or BIGINT lists each cost more than the rest of the query (the node-api converts
 * INTEGER lists 3–4x faster); the reader sorts a list's numbers and merges re-shown slots
 * instead (run/clicks.ts). Rows are kept by aggregate FILTERs, not a WHERE (see clickCtes).
 */
export function emitClickLists(p: ClickListsPlan, o: SqlOut): string {
  const type = p.slotBase <= 2 ** 23 ? 'INTEGER' : 'BIGINT';
  const head = `${modelRowsCtes(p.source, p.maxPosition, o)},\n${dictCte(p.itemIds, o)}`;
  const slot = `(r.position::${type} * ${o.bind(p.slotBase)} + d.idx::${type} * 2 + r.clicked::${type})::${type}`;
  return `${head}
SELECT list(${slot}) FILTER (WHERE r.keep) AS slots
FROM model_rows r JOIN dict d USING (item_id)
GROUP BY r.person, r.list_key
HAVING count(*) FILTER (WHERE r.keep) > 0 AND ${splitSql(p.split, o)}`;
}
