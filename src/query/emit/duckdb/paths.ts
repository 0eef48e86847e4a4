import type { PathsPlan } from '../../plan/nodes.js';
import type { SqlOut } from '../sql-out.js';
import { scopeWhere, UNIT_KEY } from './base.js';
import { exprSql } from './expr.js';

/**
 * Distinct paths with their unit counts. Consecutive repeats are collapsed first; a path
 * starts at the unit's first start event (or ends at its first end event, or starts at its
 * first event) and keeps up to `steps` events. `ends` says the unit had no event after it.
 */
export function emitPaths(p: PathsPlan, o: SqlOut): string {
  const key = UNIT_KEY[p.unit];
  const where = [scopeWhere(p.scope, o), `${key} IS NOT NULL`];
  if (p.match) where.push(exprSql(p.match, o));
  const isStart = p.start ? `coalesce(${exprSql(p.start, o)}, FALSE)` : 'FALSE';
  const isEnd = p.end ? `coalesce(${exprSql(p.end, o)}, FALSE)` : 'FALSE';
  const n = o.bind(p.steps);
  const anchor = p.start
    ? `SELECT u, min(i) AS lo, min(i) + ${n} - 1 AS hi FROM seq WHERE is_start GROUP BY u`
    : p.end
      ? `SELECT u, greatest(min(i) - ${n} + 1, 1) AS lo, min(i) AS hi FROM seq WHERE is_end GROUP BY u`
      : `SELECT u, 1 AS lo, ${n} AS hi FROM seq GROUP BY u`;
  return `WITH ev AS (SELECT ${key} AS u, event, epoch_us("timestamp") AS tus, message_id AS mid, ${isStart} AS is_start, ${isEnd} AS is_end FROM events WHERE ${where.join(' AND ')}),
runs AS (SELECT *, lag(event) OVER (PARTITION BY u ORDER BY tus, mid) AS prev FROM ev),
seq AS MATERIALIZED (SELECT u, event, is_start, is_end, row_number() OVER (PARTITION BY u ORDER BY tus, mid) AS i FROM runs WHERE prev IS DISTINCT FROM event),
anchors AS (${anchor}),
cut AS (SELECT s.u, list(s.event ORDER BY s.i) AS path, max(s.i) AS last_i FROM seq s JOIN anchors a ON a.u = s.u AND s.i BETWEEN a.lo AND a.hi GROUP BY s.u),
tail AS (SELECT u, max(i) AS max_i FROM seq GROUP BY u)
SELECT c.path, c.last_i = t.max_i AS ends, count(*) AS units FROM cut c JOIN tail t ON t.u = c.u GROUP BY c.path, ends ORDER BY units DESC`;
}
