/**
 * Raw SQL sandbox benchmark. Prints one JSON object.
 *
 *   npm run bench:sql [-- --events 1000000 --runs 3]
 *
 * Two projects of `events` synthetic events each (generated in SQL, ~600 bytes a row with a
 * JSON `properties`). For each query, the same answer two ways in the same run: the baseline
 * runs it directly on the store with `WHERE project_id = 'a'` added by hand (what a trusted
 * admin would type); Pathwise runs the user's SQL through runProjectSql (parse, guard, copy of
 * the project's rows of the named columns into a fresh sandbox, run). Best of `runs`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cliPrincipal, runProjectSql } from '../src/privacy/index.js';
import { createProject, openWarehouse, type Warehouse } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } },
});
const N = Number(args.events);
const RUNS = Number(args.runs);

const QUERIES = [
  {
    name: 'group by one column',
    user: 'SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY event',
    direct: "SELECT event, count(*) AS n FROM events WHERE project_id = 'a' GROUP BY event ORDER BY event",
  },
  {
    name: 'JSON property, three columns',
    user: "SELECT properties->>'plan' AS plan, count(DISTINCT distinct_id) AS n FROM events WHERE event = 'e3' GROUP BY 1 ORDER BY 1",
    direct:
      "SELECT properties->>'plan' AS plan, count(DISTINCT distinct_id) AS n FROM events WHERE project_id = 'a' AND event = 'e3' GROUP BY 1 ORDER BY 1",
  },
  {
    name: 'SELECT * (every column copied)',
    user: 'SELECT * FROM events ORDER BY timestamp DESC LIMIT 100',
    direct: "SELECT * FROM events WHERE project_id = 'a' ORDER BY timestamp DESC LIMIT 100",
  },
] as const;

async function seed(wh: Warehouse): Promise<void> {
  for (const project of ['a', 'b']) {
    await createProject(wh, project, { projectId: project });
    await wh.run({
      sql: `INSERT INTO events BY NAME SELECT '${project}' AS project_id, '${project}' || i AS message_id, 'track' AS type,
        'e' || (i % 20) AS event, TIMESTAMP '2026-01-01' + to_seconds(i) AS timestamp, TIMESTAMP '2026-03-01' AS received_at,
        'u' || (i % 50000) AS distinct_id, 'u' || (i % 50000) AS person_id,
        'https://shop.test/products/' || (i % 997) || '?ref=newsletter' AS url, '/products/' || (i % 997) AS path,
        'Mozilla/5.0' AS browser, 'desktop' AS device_type, 'DE' AS country,
        json_object('plan', 'p' || (i % 4), 'price', i % 100, 'sku', 'sku-' || (i % 5000), 'note', repeat('x', 120)) AS properties
        FROM range(${N}) t(i)`,
    });
  }
}

async function best<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let out: { ms: number; result: T } | null = null;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = await fn();
    const ms = performance.now() - started;
    if (!out || ms < out.ms) out = { ms, result };
  }
  return out as { ms: number; result: T };
}

const dir = mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'pathwise-bench-sql-'));
const wh = await openWarehouse({ path: join(dir, 'sql.duckdb') });
try {
  await seed(wh);
  await wh.checkpoint();
  const principal = cliPrincipal('a');
  const results = [];
  for (const q of QUERIES) {
    const direct = await best(() => wh.all({ sql: q.direct }));
    const sandboxed = await best(() =>
      runProjectSql(wh, principal, q.user, { maxRows: 100_000, timeoutMs: 120_000 }),
    );
    const isSame = JSON.stringify(direct.result) === JSON.stringify(sandboxed.result.rows);
    results.push({
      query: q.name,
      directMs: Math.round(direct.ms),
      sandboxMs: Math.round(sandboxed.ms),
      copyMs: Math.round(sandboxed.result.copyMs),
      runMs: Math.round(sandboxed.result.runMs),
      copiedRows: sandboxed.result.copiedRows,
      ratio: Number((sandboxed.ms / direct.ms).toFixed(1)),
      isSameAnswer: isSame,
    });
  }
  process.stdout.write(`${JSON.stringify({ eventsPerProject: N, runs: RUNS, results }, null, 2)}\n`);
} finally {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
}
