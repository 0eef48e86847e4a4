/**
 * Experiment analysis benchmark: analyzeExperiment (exposures + SRM, a conversion metric, a mean
 * metric with CUPED and winsorization, a ratio metric; every statistic of src/stats) against a
 * plain COUNT(*) scan of the same project's events, and against one scan that reads a JSON
 * property of every event, in the same run. Prints one JSON object.
 *
 *   npm run bench:stats -- [--persons 1000000] [--events-per-person 8] [--runs 3]
 *
 * Data is synthetic and seeded, generated inside DuckDB (hash of the row number is the
 * randomness): person p is exposed once (a tenth twice) to variant hash(p) % 2 at a time spread
 * over 13 days; its other events are purchases (revenue 0–100) and page views spread from 14
 * days before to 7 days after the exposure. Files live in a temp dir, removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeExperiment, parseExperimentDefinition } from '../src/experiments/index.js';
import { createProject, openWarehouse, type Warehouse } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000000' },
    'events-per-person': { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
  },
});
const PERSONS = Number(args.persons);
const EVENTS = PERSONS * Number(args['events-per-person']);
const RUNS = Number(args.runs);
const DAY_US = 86_400_000_000;
const T0_US = Date.parse('2026-03-01T00:00:00Z') * 1000;

const DEFINITION = parseExperimentDefinition({
  key: 'bench',
  exposure: { event: 'exposure' },
  variants: ['control', 'treatment'],
  control: 'control',
  start: '2026-03-01',
  end: '2026-03-15',
  metrics: [
    { key: 'purchase', kind: 'conversion', event: 'purchase' },
    { key: 'revenue', kind: 'mean', event: 'purchase', property: 'revenue', winsorize: { upper: 0.99 } },
    {
      key: 'revenue_per_page',
      kind: 'ratio',
      numerator: { event: 'purchase', property: 'revenue' },
      denominator: { event: '$pageview' },
    },
  ],
  cuped: { lookbackSec: 14 * 86_400 },
});

async function generate(wh: Warehouse, projectId: string): Promise<void> {
  const exposureTs = (p: string) => `(${T0_US} + hash(${p}, 1) % ${13 * DAY_US})`;
  await wh.run({
    sql: `INSERT INTO events (project_id, message_id, type, event, "timestamp", received_at, inserted_at, distinct_id, properties)
      SELECT $1, 'm' || i, 'track', ev, make_timestamp(ts::BIGINT), make_timestamp(ts::BIGINT), make_timestamp(ts::BIGINT), 'u' || p, props
      FROM (
        SELECT i, p,
          CASE WHEN i < $2 OR i % 10 = 0 AND i < 2 * $2 THEN 'exposure' WHEN hash(i, 2) % 3 = 0 THEN 'purchase' ELSE '$pageview' END AS ev,
          CASE WHEN ev = 'exposure' THEN ${exposureTs('p')} + (i // $2) * 3600000000
               ELSE ${exposureTs('p')} - ${14 * DAY_US} + hash(i, 3) % ${21 * DAY_US} END AS ts,
          CASE WHEN ev = 'exposure' THEN json_object('variant', CASE WHEN hash(p, 4) % 2 = 0 THEN 'control' ELSE 'treatment' END)
               WHEN ev = 'purchase' THEN json_object('revenue', (hash(i, 5) % 10000) / 100)
               ELSE '{}'::JSON END AS props
        FROM (SELECT i, i % $2 AS p FROM range($3) t(i))
      )`,
    params: [projectId, PERSONS, EVENTS],
  });
  await wh.checkpoint();
}

async function best<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  await fn();
  let out: { ms: number; value: T } | null = null;
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    const value = await fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!out || ms < out.ms) out = { ms, value };
  }
  return out as { ms: number; value: T };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pathwise-bench-stats-'));
  const wh = await openWarehouse({ path: join(dir, 'bench.duckdb') });
  try {
    const { project } = await createProject(wh, 'bench');
    const id = project.projectId;
    const genStart = Date.now();
    await generate(wh, id);
    const generateMs = Date.now() - genStart;
    const count = await best(async () => {
      const rows = await wh.all({
        sql: 'SELECT count(*) AS n FROM events WHERE project_id = $1',
        params: [id],
      });
      return Number(rows[0]?.n);
    });
    // A second baseline: one scan that reads a JSON property, as every metric must.
    const jsonScan = await best(() =>
      wh.all({
        sql: "SELECT sum(TRY_CAST(json_extract_string(properties, '/revenue') AS DOUBLE)) AS s FROM events WHERE project_id = $1",
        params: [id],
      }),
    );
    const analysis = await best(() => analyzeExperiment(wh, id, DEFINITION));
    const a = analysis.value;
    process.stdout.write(
      `${JSON.stringify(
        {
          persons: PERSONS,
          events: count.value,
          cores: cpus().length,
          generateMs,
          countScanMs: Math.round(count.ms),
          analysisMs: Math.round(analysis.ms),
          ratioAnalysisVsCount: analysis.ms / count.ms,
          jsonScanMs: Math.round(jsonScan.ms),
          ratioAnalysisVsJsonScan: analysis.ms / jsonScan.ms,
          metrics: a.metrics.length,
          exposed: a.exposure.arms.map((x) => x.units),
          verdict: a.verdicts[0],
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
