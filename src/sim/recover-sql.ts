/**
 * Test support: loads simulator JSONL into a real DuckDB file and answers the questions the
 * truth manifest makes claims about, with plain SQL. All SQL over simulated data lives here,
 * so tests can switch to the real import path by replacing `loadJsonl` only.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** An open DuckDB database with the simulated events in table `ev`. */
export interface SimDb {
  readonly conn: DuckDBConnection;
  /** Runs SQL and returns rows as plain objects (BIGINT as number). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

/**
 * Loads a JSONL file. `ev` has one row per message: the person (userId, else the first userId
 * identified on the anonymousId, else the anonymousId — ARCHITECTURE.md, "Person"), the
 * skew-corrected time (receivedAt − (sentAt − timestamp)), a platform derived from the context,
 * the app version, properties and traits.
 */
export async function loadJsonl(dbPath: string, jsonlPath: string): Promise<SimDb> {
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  const file = jsonlPath.replaceAll("'", "''");
  await conn.run(`
    CREATE TABLE raw AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {
      type: 'VARCHAR', event: 'VARCHAR', name: 'VARCHAR', anonymousId: 'VARCHAR', userId: 'VARCHAR',
      timestamp: 'VARCHAR', sentAt: 'VARCHAR', receivedAt: 'VARCHAR',
      properties: 'JSON', traits: 'JSON', context: 'JSON'
    })`);
  await conn.run(`
    CREATE TABLE ev AS
    WITH idmap AS (
      SELECT anonymousId, arg_min(userId, receivedAt) AS uid FROM raw WHERE userId IS NOT NULL GROUP BY 1
    )
    SELECT coalesce(r.userId, m.uid, r.anonymousId) AS person, r.type,
      CASE r.type WHEN 'page' THEN '$pageview' WHEN 'screen' THEN '$screen' WHEN 'identify' THEN '$identify'
        WHEN 'group' THEN '$group' ELSE r.event END AS event,
      r.receivedAt::TIMESTAMP - (r.sentAt::TIMESTAMP - r.timestamp::TIMESTAMP) AS ts,
      r.timestamp::TIMESTAMP AS device_ts, r.receivedAt::TIMESTAMP AS received_at,
      CASE WHEN r.context->>'$.device.type' = 'android' THEN 'android_app'
        WHEN r.context->>'$.device.type' = 'ios' THEN 'ios_app'
        WHEN r.context->>'$.userAgent' LIKE '%Mobile%' THEN 'mobile_web' ELSE 'desktop_web' END AS platform,
      r.context->>'$.app.version' AS app_version, r.context->>'$.ip' AS ip,
      r.properties, r.traits
    FROM raw r LEFT JOIN idmap m USING (anonymousId)`);
  const rows = async (sql: string) => {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjects().map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
      return out;
    });
  };
  return { conn, rows, close: () => conn.closeSync() };
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

/** Impressions and clicks by list and position (a click joined to its request's impression). */
export function ctrByPositionSql(): string {
  return `
    SELECT properties->>'$.list_id' AS list_id, (properties->>'$.position')::INT AS position,
      count(*) FILTER (WHERE event = '$impression') AS impressions,
      count(*) FILTER (WHERE event = '$click') AS clicks
    FROM ev WHERE event IN ('$impression', '$click') GROUP BY ALL ORDER BY ALL`;
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
