/**
 * Sessionization benchmark. Prints one JSON object.
 *
 *   npm run bench:sessions [-- --events 20000000 --threads 2]
 *
 * 1. Split: Pathwise's full sessionization (assignment, events.session_id, the sessions table)
 *    against a hand-written DuckDB window query doing the same split (timeout and campaign
 *    rules) into a table, on the same file in the same run; both must give the same partition.
 * 2. Incremental: 1% new events (the next visit of random persons, some of them late by hours)
 *    processed incrementally (identity, persons, sessions) against a full rebuild.
 *
 * Synthetic data, generated in SQL: `persons` persons with 5 events per visit 2 minutes apart,
 * visits a day apart, every third visit landing with a campaign and one in seven switching
 * campaign mid-visit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processNewEvents, rebuildProject } from '../src/server/index.js';
import { sessionize } from '../src/sessions/index.js';
import { createProject, openWarehouse, type SqlSession, type Warehouse } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '2000000' },
    threads: { type: 'string', default: String(Math.min(os.cpus().length, 2)) },
  },
});
const N = Number(args.events);
const PERSONS = Math.max(1, Math.round(N / 20));

/** Event i of the synthetic history; `visitBase` offsets the visit number (later runs). */
function eventsSql(count: number, firstIndex: number, visitBase: string): string {
  return `INSERT INTO events BY NAME
    SELECT 'bench' AS project_id, 'm' || (i + ${firstIndex}) AS message_id,
      CASE WHEN k % 5 = 4 THEN 'track' ELSE 'page' END AS type,
      CASE WHEN k % 5 = 4 THEN 'Added' ELSE '$pageview' END AS event,
      TIMESTAMP '2026-01-01' + to_minutes((p % 1440)::BIGINT + 2 * (k % 5)) + to_days(v::BIGINT) AS timestamp,
      TIMESTAMP '2026-03-01' AS received_at, TIMESTAMP '2026-03-01' AS inserted_at,
      'u' || p AS distinct_id, 'u' || p AS user_id,
      'https://shop.test/p' || (k % 5) AS url, '/p' || (k % 5) AS path,
      CASE WHEN (k % 5 = 0 AND v % 3 = 0) OR (k % 5 = 3 AND hash(p, v) % 7 = 0) THEN 'c' || (hash(p, v, k) % 4) END AS utm_campaign,
      CASE WHEN k % 5 = 0 AND v % 3 = 0 THEN 'news' END AS utm_source,
      CASE WHEN k % 5 = 0 AND v % 3 = 0 THEN 'email' ELSE 'direct' END AS channel,
      '{}' AS properties
    FROM (SELECT i, p, k, (${visitBase}) + k // 5 AS v FROM (
      SELECT i, i % ${PERSONS} AS p, i // ${PERSONS} AS k FROM range(${count}) t(i)))`;
}

/** The hand-written split: the same rules, written as directly as DuckDB allows. */
const BASELINE = `CREATE OR REPLACE TABLE baseline AS
  WITH e AS (
    SELECT rowid AS rid, person_id, timestamp AS ts, message_id, type IN ('track', 'page', 'screen') AS act,
      CASE WHEN coalesce(utm_source, utm_medium, utm_campaign) IS NOT NULL
        THEN concat_ws('|', coalesce(utm_source, ''), coalesce(utm_medium, ''), coalesce(utm_campaign, '')) END AS c,
      coalesce(epoch_us(timestamp) - epoch_us(lag(timestamp) OVER (PARTITION BY person_id ORDER BY timestamp, message_id)) > 1800000000, true) AS gap
    FROM events WHERE project_id = 'bench' AND client_session_id IS NULL),
  v AS (SELECT *, sum(gap::INT) OVER (PARTITION BY person_id ORDER BY ts, message_id) AS visit FROM e),
  s AS (SELECT *, gap OR (c IS NOT NULL AND c IS DISTINCT FROM last_value(c IGNORE NULLS) OVER b
      AND coalesce(bool_or(act) OVER b, false)) AS st FROM v
    WINDOW b AS (PARTITION BY person_id, visit ORDER BY ts, message_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
  SELECT rid, person_id, sum(st::INT) OVER (PARTITION BY person_id ORDER BY ts, message_id) AS n FROM s`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - started), value };
}

/** Times the assignment statement inside sessionize (the split alone). */
function splitTimer(tx: SqlSession): { tx: SqlSession; ms: () => number } {
  let ms = 0;
  const wrapped: SqlSession = {
    all: (q) => tx.all(q),
    run: async (q) => {
      const started = performance.now();
      await tx.run(q);
      if (q.sql.includes('TEMP TABLE pw_assign')) ms += performance.now() - started;
    },
  };
  return { tx: wrapped, ms: () => Math.round(ms) };
}

async function samePartition(wh: Warehouse): Promise<boolean> {
  const rows = await wh.all({
    sql: `SELECT count(DISTINCT e.session_id) AS ours, count(DISTINCT (b.person_id, b.n)) AS theirs,
            count(DISTINCT (e.session_id, b.person_id, b.n)) AS pairs
          FROM baseline b JOIN events e ON e.rowid = b.rid`,
  });
  const r = rows[0] ?? {};
  return r.ours === r.theirs && r.theirs === r.pairs;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'pathwise-bench-sessions-'));
  const wh = await openWarehouse({ path: join(dir, 'bench.duckdb'), threads: Number(args.threads) });
  try {
    await createProject(wh, 'bench', { projectId: 'bench' });
    const generate = await timed(() => wh.run({ sql: eventsSql(N, 0, '0') }));
    const identity = await timed(() => rebuildProject(wh, 'bench'));
    await wh.checkpoint();
    const project = {
      projectId: 'bench',
      timeZone: 'UTC',
      sessions: { timeoutSec: 1800, isSplitAtMidnight: false, goalEvents: ['Added'] },
    };
    const baseline = await timed(() => wh.run({ sql: BASELINE }));
    let splitMs = 0;
    const ours = await timed(() =>
      wh.transaction(async (tx) => {
        const t = splitTimer(tx);
        const pass = await sessionize(t.tx, project, null);
        splitMs = t.ms();
        return pass;
      }),
    );
    const isSame = await samePartition(wh);
    await wh.run({ sql: 'DROP TABLE baseline' });
    await wh.checkpoint();
    const full = await timed(() => rebuildProject(wh, 'bench'));
    await wh.checkpoint();
    // 1%: the next visit (day 4 or, for one in ten, a late visit on day 1.5) of N/500 persons.
    const added = Math.round(N / 100);
    await wh.run({ sql: eventsSql(added, N, `CASE WHEN p % 10 = 0 THEN 1 ELSE 4 END`) });
    const incremental = await timed(() => processNewEvents(wh));
    const check = await wh.all({
      sql: `SELECT count(*) FILTER (WHERE session_id IS NULL OR person_id IS NULL) AS unassigned,
              (SELECT count(*) FROM sessions WHERE project_id = 'bench') AS sessions FROM events`,
    });
    process.stdout.write(
      `${JSON.stringify(
        {
          events: N,
          persons: PERSONS,
          threads: Number(args.threads),
          generateMs: generate.ms,
          split: {
            handWrittenWindowQueryMs: baseline.ms,
            pathwiseSplitMs: splitMs,
            pathwiseSessionizeMs: ours.ms,
            ratioSplit: +(splitMs / baseline.ms).toFixed(3),
            ratioSessionize: +(ours.ms / baseline.ms).toFixed(3),
            isSamePartition: isSame,
            sessions: ours.value.sessions,
          },
          incremental: {
            addedEvents: added,
            fullRebuildMs: full.ms,
            firstRebuildMs: identity.ms,
            incrementalMs: incremental.ms,
            ratio: +(incremental.ms / full.ms).toFixed(3),
            unassignedAfter: check[0]?.unassigned,
            sessionsAfter: check[0]?.sessions,
          },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
