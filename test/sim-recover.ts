/**
 * Test support: imports simulator JSONL through `pathwise import`'s code into a real DuckDB
 * file and answers the questions the truth manifest makes claims about, with plain SQL.
 */
import { importFile, startIngest } from '../src/ingest/index.js';
import { ensureDefaultProject, openWarehouse } from '../src/store/index.js';

/** A store holding the imported simulation, with the view `ev` over its events. */
export interface SimDb {
  /** Runs SQL and returns rows as plain objects. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Imports a JSONL file through the real import path (validation, normalization, skew
 * correction, dedup) into a DuckDB file. `ev` has one row per event: the person (userId, else
 * the first userId identified on the anonymousId, else the anonymousId — ARCHITECTURE.md,
 * "Person"), the stored (skew-corrected) time, a platform derived from the context, the app
 * version, properties and traits.
 */
export async function loadJsonl(dbPath: string, jsonlPath: string): Promise<SimDb> {
  const wh = await openWarehouse({ path: dbPath });
  await ensureDefaultProject(wh);
  const writer = await startIngest(wh);
  const summary = await importFile(wh, writer, jsonlPath, { projectId: 'default' });
  await writer.close();
  if (summary.rejected > 0 || summary.duplicates > 0) {
    throw new Error(`the simulation should import cleanly: ${JSON.stringify(summary)}`);
  }
  await wh.run({
    sql: `
    CREATE TABLE ev AS
    WITH idmap AS (
      SELECT anonymous_id, arg_min(user_id, received_at) AS uid FROM events
      WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL GROUP BY 1
    )
    SELECT coalesce(e.user_id, m.uid, e.anonymous_id) AS person, e.type, e.event, e.timestamp AS ts,
      e.received_at,
      CASE WHEN e.context->>'$.device.type' = 'android' THEN 'android_app'
        WHEN e.context->>'$.device.type' = 'ios' THEN 'ios_app'
        WHEN e.context->>'$.userAgent' LIKE '%Mobile%' THEN 'mobile_web' ELSE 'desktop_web' END AS platform,
      e.app_version, e.ip, e.properties, e.traits
    FROM events e LEFT JOIN idmap m USING (anonymous_id)`,
  });
  return { rows: (sql: string) => wh.all({ sql }), close: () => wh.close() };
}

/** Per platform and funnel step: persons who reached the previous step and this one (ordered by time). */
export function shopFunnelSql(): string {
  return `
    WITH p AS (
      SELECT person, any_value(platform) AS platform,
        min(ts) FILTER (WHERE event = 'view_item') AS t1, min(ts) FILTER (WHERE event = 'add_to_cart') AS t2,
        min(ts) FILTER (WHERE event = 'begin_checkout') AS t3, min(ts) FILTER (WHERE event = 'add_payment_info') AS t4,
        min(ts) FILTER (WHERE event = 'purchase') AS t5
      FROM ev GROUP BY person
    ), s AS (
      SELECT platform, t1 IS NOT NULL AS r1, t2 >= t1 AS r2, t3 >= t2 AND t2 >= t1 AS r3,
        t4 >= t3 AND t3 >= t2 AND t2 >= t1 AS r4, t5 >= t4 AND t4 >= t3 AND t3 >= t2 AND t2 >= t1 AS r5
      FROM p
    )
    SELECT platform, step, sum(prev::INT) AS at_risk, sum(reached::INT) AS reached FROM (
      SELECT platform, 'add_to_cart' AS step, r1 AS prev, coalesce(r2, false) AS reached FROM s WHERE r1
      UNION ALL SELECT platform, 'begin_checkout', true, coalesce(r3, false) FROM s WHERE r2
      UNION ALL SELECT platform, 'add_payment_info', true, coalesce(r4, false) FROM s WHERE r3
      UNION ALL SELECT platform, 'purchase', true, coalesce(r5, false) FROM s WHERE r4
    ) GROUP BY ALL ORDER BY ALL`;
}

/** add_payment_info rate of app users by platform and the app version on their begin_checkout. */
export function faultSql(): string {
  return `
    WITH p AS (
      SELECT person, any_value(platform) AS platform,
        any_value(app_version) FILTER (WHERE event = 'begin_checkout') AS version,
        bool_or(event = 'add_payment_info') AS paid
      FROM ev GROUP BY person HAVING bool_or(event = 'begin_checkout')
    )
    SELECT platform || ' ' || version AS app, count(*) AS at_risk, sum(paid::INT) AS reached
    FROM p WHERE version IS NOT NULL GROUP BY ALL ORDER BY ALL`;
}

/** Exposed persons per variant: conversions (purchase after exposure) and revenue. */
export function experimentSql(key: string): string {
  return `
    WITH x AS (
      SELECT person, min(ts) AS exposed_at, any_value(properties->>'$.variant') AS variant
      FROM ev WHERE event = '$experiment_exposure' AND (properties->>'$.experiment_key') = '${key}' GROUP BY person
    ), y AS (
      SELECT x.person, x.variant,
        count(e.person) FILTER (WHERE e.event = 'purchase') AS buys,
        coalesce(sum((e.properties->>'$.revenue')::DOUBLE) FILTER (WHERE e.event = 'purchase'), 0) AS revenue,
        (SELECT count(*) FROM ev v WHERE v.person = x.person AND v.event = 'view_item' AND v.ts < x.exposed_at) AS pre_views
      FROM x LEFT JOIN ev e ON e.person = x.person AND e.ts >= x.exposed_at GROUP BY ALL
    )
    SELECT variant, count(*) AS exposed, sum((buys > 0)::INT) AS converted, sum(revenue) AS revenue,
      corr(pre_views, (buys > 0)::INT) AS covariate_corr
    FROM y GROUP BY ALL ORDER BY ALL`;
}

/** Impressions (one per element of properties.items) and clicks by list and position. */
export function ctrByPositionSql(): string {
  return `
    WITH impressions AS (
      SELECT properties->>'$.list_id' AS list_id, (item->>'$.position')::INT AS position
      FROM ev, unnest(json_extract(properties, '$.items[*]')) AS t(item) WHERE event = '$impression'
    ), clicks AS (
      SELECT properties->>'$.list_id' AS list_id, (properties->>'$.position')::INT AS position
      FROM ev WHERE event = '$click'
    )
    SELECT list_id, position,
      (SELECT count(*) FROM impressions i WHERE i.list_id = p.list_id AND i.position = p.position) AS impressions,
      (SELECT count(*) FROM clicks c WHERE c.list_id = p.list_id AND c.position = p.position) AS clicks
    FROM (SELECT DISTINCT list_id, position FROM impressions) p ORDER BY ALL`;
}

/** SaaS funnel by company size for signups before `cutoff` (ISO). */
export function saasFunnelSql(cutoff: string): string {
  return `
    WITH p AS (
      SELECT person, any_value(traits->>'$.company_size') AS size,
        min(ts) FILTER (WHERE event = 'signup') AS t1, min(ts) FILTER (WHERE event = 'onboarding_completed') AS t2,
        min(ts) FILTER (WHERE event = 'created_first_project') AS t3,
        min(ts) FILTER (WHERE event = 'invited_team_member') AS t4, min(ts) FILTER (WHERE event = 'upgrade') AS t5
      FROM ev GROUP BY person HAVING min(ts) FILTER (WHERE event = 'signup') < TIMESTAMP '${cutoff}'
    )
    SELECT size, step, count(*) AS at_risk, sum(reached::INT) AS reached FROM (
      SELECT size, 'onboarding_completed' AS step, coalesce(t2 >= t1, false) AS reached FROM p
      UNION ALL SELECT size, 'created_first_project', coalesce(t3 >= t2, false) FROM p WHERE t2 >= t1
      UNION ALL SELECT size, 'invited_team_member', coalesce(t4 >= t3, false) FROM p WHERE t3 >= t2 AND t2 >= t1
      UNION ALL SELECT size, 'upgrade', coalesce(t5 >= t4, false) FROM p WHERE t4 >= t3 AND t3 >= t2 AND t2 >= t1
    ) GROUP BY ALL ORDER BY ALL`;
}
