/**
 * Attribution benchmark. Prints one JSON object.
 *
 *   npm run bench:attribution [-- --persons 1000000 --bootstrap 100 --threads 2]
 *
 * Synthetic journeys generated in SQL (a child process writes them, so this process's peak
 * memory is the attribution's own): `persons` persons with 1–5 visits (sessions) a day and a
 * half apart through 8 channels — display and social mostly first, email, paid search and direct
 * mostly last — and a purchase after the last visit for about a fifth of them.
 *
 * Measured in one run, each against a baseline:
 * 1. extraction: `collectJourneys` (SQL journeys streamed into packed arrays) against a plain
 *    scan streaming the same sessions' (person, start, channel) rows into JavaScript;
 * 2. models: rules and roles, the 3rd-order Markov chain (build, fit with exact removal effects,
 *    bootstrap) and exact Shapley over the 8 channels; a removal solve by Gauss–Seidel against
 *    dense elimination of the same system;
 * 3. peak memory (max RSS) after extraction and after the models, and the packed journeys' size.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { absorb, absorbDense } from '../src/attribution/absorb.js';
import { bootstrapMarkov } from '../src/attribution/bootstrap.js';
import { heuristicCredit } from '../src/attribution/heuristics.js';
import { buildChain, fitChain } from '../src/attribution/markov.js';
import { pathTable, pathWeights } from '../src/attribution/paths.js';
import { channelRoles } from '../src/attribution/roles.js';
import { shapley } from '../src/attribution/shapley.js';
import { collectJourneys, type JourneySet } from '../src/query/index.js';
import { Rng } from '../src/sim/index.js';
import { createProject, openWarehouse, type Warehouse } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000000' },
    bootstrap: { type: 'string', default: '100' },
    threads: { type: 'string', default: String(Math.min(os.cpus().length, 2)) },
    'generate-into': { type: 'string' },
  },
});
const PERSONS = Number(args.persons);
const CHANNELS = [
  'display',
  'paid social',
  'organic social',
  'organic search',
  'referral',
  'email',
  'paid search',
  'direct',
];
/** Percent weights of each channel by position, and P(purchase | last channel) in percent. */
const FIRST = [30, 22, 12, 14, 6, 0, 10, 6];
const MIDDLE = [6, 6, 6, 14, 8, 28, 16, 16];
const LAST = [2, 3, 3, 12, 5, 34, 22, 19];
const CONVERT = [2, 3, 3, 12, 8, 40, 32, 25];
/** Repetitions of one removal solve, Gauss–Seidel against dense elimination. */
const SOLVES = 20;

function pickSql(weights: readonly number[], h: string): string {
  let acc = 0;
  const arms = weights.map((w, i) => {
    acc += w;
    return w === 0 ? '' : `WHEN ${h} < ${acc} THEN ${i}`;
  });
  return `CASE ${arms.filter(Boolean).join(' ')} ELSE ${weights.length - 1} END`;
}

const TOUCHES = `CREATE TEMP TABLE touch AS
  SELECT p, i, n, CASE WHEN i = 0 THEN ${pickSql(FIRST, 'h')} WHEN i = n - 1 THEN ${pickSql(LAST, 'h')} ELSE ${pickSql(MIDDLE, 'h')} END AS c,
    TIMESTAMP '2026-01-01' + to_seconds((hash(p, 7) % 1728000)::BIGINT + i * 129600 + (hash(p, i, 3) % 43200)::BIGINT) AS ts
  FROM (SELECT p, i, n, hash(p, i, 11) % 100 AS h FROM (
    SELECT p, n, unnest(range(n)) AS i FROM (SELECT p, 1 + (hash(p, 5) % 5)::INT AS n FROM range(${PERSONS}) t(p))))`;

async function generate(path: string): Promise<void> {
  const wh = await openWarehouse({ path, threads: Number(args.threads) });
  try {
    await createProject(wh, 'bench', { projectId: 'bench' });
    await wh.run({ sql: TOUCHES });
    const channel = `(${JSON.stringify(CHANNELS).replaceAll('"', "'")})[c + 1]`;
    await wh.run({
      sql: `INSERT INTO sessions BY NAME SELECT 'bench' AS project_id, 's' || p || '-' || i AS session_id, 'u' || p AS person_id,
        false AS is_client_session, ts AS start_ts, ts + INTERVAL 2 MINUTE AS end_ts, 120.0 AS duration_sec, 3 AS event_count,
        3 AS pageview_count, false AS is_bounce, ${channel} AS channel, []::VARCHAR[] AS goals FROM touch`,
    });
    await wh.run({
      sql: `INSERT INTO events BY NAME SELECT 'bench' AS project_id, 'c' || p AS message_id, 'track' AS type, 'purchase' AS event,
        ts + INTERVAL 5 MINUTE AS timestamp, TIMESTAMP '2026-03-01' AS received_at, TIMESTAMP '2026-03-01' AS inserted_at,
        'u' || p AS distinct_id, 'u' || p AS user_id, 'u' || p AS person_id, 's' || p || '-' || i AS session_id,
        json_object('revenue', 20 + hash(p, 13) % 200) AS properties
        FROM touch WHERE i = n - 1 AND hash(p, 17) % 100 < ${CONVERT.map((v, k) => `CASE WHEN c = ${k} THEN ${v} ELSE 0 END`).join(' + ')}`,
    });
    await wh.checkpoint();
  } finally {
    await wh.close();
  }
}

function maxRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Wall time and CPU time of this process (all its threads, DuckDB's included): the machine is shared. */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; cpuMs: number; value: T }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return {
    ms: Math.round(performance.now() - started),
    cpuMs: Math.round((used.user + used.system) / 1000),
    value,
  };
}

async function plainScan(wh: Warehouse): Promise<number> {
  let rows = 0;
  let chars = 0;
  for await (const chunk of wh.stream({
    sql: `SELECT person_id, start_ts, channel FROM sessions WHERE project_id = 'bench' AND start_ts >= TIMESTAMP '2025-12-02' AND start_ts < TIMESTAMP '2026-03-01'`,
  })) {
    for (const r of chunk) chars += String(r.channel).length + String(r.person_id).length;
    rows += chunk.length;
  }
  return chars > 0 ? rows : 0;
}

function setBytes(s: JourneySet): number {
  return (
    s.offsets.byteLength +
    s.touches.byteLength +
    s.secondsBefore.byteLength +
    s.isConverted.byteLength +
    s.value.byteLength
  );
}

async function models(set: JourneySet, bootstrap: number) {
  const L = set.labels.length;
  const rules = await timed(() => {
    heuristicCredit(set, {
      isDirect: set.labels.map((l) => l === 'direct'),
      halfLifeSec: 7 * 86_400,
      positionFirst: 0.4,
      positionLast: 0.4,
    });
    return channelRoles(set);
  });
  const paths = await timed(() => pathTable(set));
  const weights = pathWeights(set, paths.value, true);
  const chain = await timed(() => buildChain(paths.value, 3));
  const fit = await timed(() => fitChain(chain.value, weights, L));
  const boot = await timed(() =>
    bootstrapMarkov(set, paths.value, chain.value, bootstrap, true, new Rng(1, 3)),
  );
  const shap = await timed(() =>
    shapley(paths.value, weights, L, {
      maxExact: 15,
      permutations: 2000,
      confidenceLevel: 0.95,
      rng: new Rng(1, 100),
    }),
  );
  const c = chain.value;
  const bit = 1 << set.labels.indexOf('email');
  const killed = (s: number) => ((c.masks[s] as number) & bit) !== 0;
  const rv = fit.value.toConversion;
  const gs = await timed(() => {
    for (let k = 0; k < SOLVES; k++) absorb(c, fit.value.probabilities, rv, rv, killed);
  });
  const dense = await timed(() => {
    for (let k = 0; k < SOLVES; k++) absorbDense(c, fit.value.probabilities, rv, rv, killed);
  });
  return {
    distinctPaths: paths.value.count,
    markov3States: c.states,
    markov3Transitions: c.to.length,
    rulesAndRoles: { ms: rules.ms, cpuMs: rules.cpuMs },
    pathTable: { ms: paths.ms, cpuMs: paths.cpuMs },
    markov3Build: { ms: chain.ms, cpuMs: chain.cpuMs },
    markov3Fit: { ms: fit.ms, cpuMs: fit.cpuMs },
    bootstrap: {
      samples: bootstrap,
      ms: boot.ms,
      cpuMs: boot.cpuMs,
      cpuMsPerSample: bootstrap > 0 ? +(boot.cpuMs / bootstrap).toFixed(1) : null,
    },
    shapley: { ms: shap.ms, cpuMs: shap.cpuMs, method: shap.value.method },
    removalSolveCpuMs: {
      gaussSeidel: +(gs.cpuMs / SOLVES).toFixed(2),
      denseElimination: +(dense.cpuMs / SOLVES).toFixed(2),
      ratio: +(gs.cpuMs / Math.max(1, dense.cpuMs)).toFixed(3),
    },
    removalEffects: Object.fromEntries(
      set.labels.map((l, k) => [l, +(fit.value.removalEffects[k] as number).toFixed(4)]),
    ),
  };
}

async function main(): Promise<void> {
  if (args['generate-into']) return generate(args['generate-into']);
  const dir = mkdtempSync(join(os.tmpdir(), 'pathwise-bench-attribution-'));
  const db = join(dir, 'bench.duckdb');
  try {
    const started = performance.now();
    execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1] as string,
        '--generate-into',
        db,
        '--persons',
        String(PERSONS),
        '--threads',
        String(args.threads),
      ],
      { stdio: 'inherit' },
    );
    const generateMs = Math.round(performance.now() - started);
    if (!existsSync(db)) throw new Error('generation failed');
    const wh = await openWarehouse({ path: db, threads: Number(args.threads), isReadOnly: true });
    const rssAtOpenMb = maxRssMb();
    const scan = await timed(() => plainScan(wh));
    const rssAfterScanMb = maxRssMb();
    const extract = await timed(() =>
      collectJourneys(wh, 'bench', {
        dateRange: { from: '2026-01-01', to: '2026-02-28' },
        conversion: { event: 'purchase', valueProperty: 'revenue' },
      }),
    );
    const rssAfterExtractMb = maxRssMb();
    await wh.close();
    const set = extract.value.set;
    const m = await models(set, Number(args.bootstrap));
    const result = {
      persons: PERSONS,
      loadAverage: os.loadavg().map((x) => +x.toFixed(1)),
      threads: Number(args.threads),
      generateMs,
      extraction: {
        sessions: scan.value,
        journeys: set.count,
        touches: set.touches.length,
        conversions: extract.value.conversions,
        plainScan: { ms: scan.ms, cpuMs: scan.cpuMs },
        collectJourneys: { ms: extract.ms, cpuMs: extract.cpuMs },
        ratioWall: +(extract.ms / scan.ms).toFixed(3),
        ratioCpu: +(extract.cpuMs / scan.cpuMs).toFixed(3),
        packedBytes: setBytes(set),
      },
      models: m,
      memory: {
        rssAtOpenMb,
        rssAfterScanMb,
        rssAfterExtractMb,
        rssAfterModelsMb: maxRssMb(),
        heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
