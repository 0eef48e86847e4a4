/**
 * Ingest benchmark: HTTP batch ingest against the raw DuckDB appender for the same rows, plus
 * single-event requests, in one run. Prints one JSON object.
 *
 *   npm run bench:ingest [-- --seconds 10 --phases raw,commits,batch,masked,normalize,single,rate,import --commit-delay-ms 0]
 *
 * `commits` stores groups of 1, 10, 32, 100 and 1,000 rows through appendBatch, one durable
 * commit each, and reports the wall and CPU time of a commit and the longest event-loop stall
 * (what a group commit costs the server whatever the HTTP layer does).
 *
 * `masked` repeats the batch phase against a project with every masking rule on (README,
 * "Privacy"), and `normalize` compares the normalize step with and without those rules in this
 * process: both are reported as ratios masked / unmasked.
 *
 * The import phase writes a JSONL file of --import-events messages and imports it into a fresh
 * store exactly as `pathwise import` does (validation, dedup, group commit; without the
 * identity/sessions pass that the CLI runs afterwards).
 *
 * The server runs in this process, the load generator in a child (bench/load-client); every
 * socket is on 127.0.0.1 and every file lives in a temp dir that is removed at the end.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { EventRow } from '../src/core/index.js';
import {
  type Arrival,
  checkMessage,
  importFile,
  type MinimizeRules,
  normalizeMessage,
  startIngest,
} from '../src/ingest/index.js';
import { compileMasker } from '../src/privacy/index.js';
import { startServer } from '../src/server/index.js';
import {
  createProject,
  DEFAULT_PRIVACY_SETTINGS,
  ensureDefaultProject,
  openWarehouse,
  type PrivacySettings,
  updatePrivacySettings,
} from '../src/store/index.js';
import { makeMessages } from './events.js';
import type { LoadConfig, LoadResult } from './load-client.js';

const SEED = 20_241_122;
const BATCH_SIZE = 100;
/** Distinct messages the client cycles through (with fresh messageIds) and the raw path appends. */
const POOL_MESSAGES = 20_000;
/** Rows per transaction of the large raw baseline: the writer's default maxBatchEvents. */
const LARGE_TX_ROWS = 20_000;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'raw-seconds': { type: 'string', default: '5' },
    phases: { type: 'string', default: 'raw,batch,masked,normalize,single,rate,import' },
    'import-events': { type: 'string', default: '100000' },
    'batch-connections': { type: 'string', default: '16' },
    'single-connections': { type: 'string', default: '32' },
    rate: { type: 'string', default: '5000' },
    'commit-delay-ms': { type: 'string' },
    'process-delay-ms': { type: 'string' },
  },
});
const phases = new Set(String(args.phases).split(','));
const seconds = Number(args.seconds);
const rawSeconds = Number(args['raw-seconds']);

interface RawResult {
  readonly rowsPerTx: number;
  readonly transactions: number;
  readonly rows: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  /** CPU time of this process (JS and DuckDB threads) per row. */
  readonly cpuUsPerEvent: number;
}

/** Every masking rule on: the built-in patterns, keys that occur in the events, a regex. */
const MASKING: PrivacySettings = {
  ...DEFAULT_PRIVACY_SETTINGS,
  maskBuiltins: ['email', 'card', 'phone'],
  maskKeys: ['email', 'phone', 'password', 'name'],
  maskPatterns: ['\\bACCT-\\d+\\b'],
};

/** Normalizes the pool once, outside any timing, as HTTP ingest would (same arrival shape). */
function normalizedRows(
  messages: readonly Record<string, unknown>[],
  nowMs: number,
  rules: MinimizeRules | null = null,
): EventRow[] {
  const nowUs = nowMs * 1000;
  const arrival: Arrival = {
    projectId: 'bench',
    receivedAtUs: nowUs,
    isReceiptKnown: true,
    insertedAtUs: nowUs,
    requestIp: '127.0.0.1',
    rules,
  };
  return messages.map((m) => {
    const checked = checkMessage(m);
    if (!checked.isValid) throw new Error(`bench message rejected: ${checked.reason}`);
    const normalized = normalizeMessage(checked.message, checked.type, arrival);
    if (!normalized.isValid) throw new Error(`bench message rejected: ${normalized.reason}`);
    return normalized.row;
  });
}

/**
 * The normalize step (validation, enrichment, serialization) over the pool without and with the
 * masking rules, alternating nine times each; the best time of each (the least disturbed by
 * other load) and their ratio. Also the masking calls alone (properties, traits, context of
 * every message), the cost the rules add by themselves.
 */
function normalizeCost(messages: readonly Record<string, unknown>[], nowMs: number) {
  const masker = compileMasker(MASKING);
  if (!masker) throw new Error('the masking settings compile to nothing');
  const rules: MinimizeRules = { maskObject: masker.maskObject };
  const parts = messages.flatMap((m) =>
    [m.properties, m.traits, m.context].filter(
      (p): p is Record<string, unknown> => typeof p === 'object' && p !== null,
    ),
  );
  const best = {
    plain: Number.POSITIVE_INFINITY,
    masked: Number.POSITIVE_INFINITY,
    maskOnly: Number.POSITIVE_INFINITY,
  };
  for (let i = 0; i < 9; i++) {
    for (const kind of ['plain', 'masked'] as const) {
      const started = performance.now();
      normalizedRows(messages, nowMs, kind === 'masked' ? rules : null);
      best[kind] = Math.min(best[kind], performance.now() - started);
    }
    const started = performance.now();
    for (const part of parts) masker.maskObject(part);
    best.maskOnly = Math.min(best.maskOnly, performance.now() - started);
  }
  const us = (ms: number) => Math.round((ms * 1000 * 100) / messages.length) / 100;
  return {
    plainUsPerEvent: us(best.plain),
    maskedUsPerEvent: us(best.masked),
    maskOnlyUsPerEvent: us(best.maskOnly),
    ratio: Math.round((best.masked / best.plain) * 1000) / 1000,
  };
}

/** Appends the rows, rowsPerTx per transaction, through the store's own appender path. */
async function rawAppend(dir: string, rows: readonly EventRow[], rowsPerTx: number): Promise<RawResult> {
  const wh = await openWarehouse({ path: join(dir, `raw-${rowsPerTx}.duckdb`) });
  const chunks: EventRow[][] = [];
  for (let i = 0; i < rows.length; i += rowsPerTx) chunks.push(rows.slice(i, i + rowsPerTx));
  try {
    await wh.appendBatch(chunks[0] ?? [], []); // warm-up: first appender, first WAL write
    let count = 0;
    let transactions = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const deadline = started + rawSeconds * 1000;
    while (performance.now() < deadline) {
      const chunk = chunks[transactions % chunks.length] as EventRow[];
      await wh.appendBatch(chunk, []);
      count += chunk.length;
      transactions++;
    }
    const elapsed = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      rowsPerTx,
      transactions,
      rows: count,
      seconds: Math.round(elapsed * 100) / 100,
      eventsPerSec: Math.round(count / elapsed),
      cpuUsPerEvent: Math.round((used.user + used.system) / count),
    };
  } finally {
    await wh.close();
  }
}

interface CommitCost {
  readonly rows: number;
  readonly commits: number;
  readonly wallMsPerCommit: number;
  /** CPU time of this process (JS and DuckDB threads) per commit. */
  readonly cpuMsPerCommit: number;
  /** The longest gap of a 1 ms interval timer beyond its period: how long the event loop was blocked. */
  readonly maxLoopStallMs: number;
}

/** One durable commit per group of `sizes` rows, in a fresh store, for about rawSeconds per size. */
async function commitCosts(dir: string, rows: readonly EventRow[], sizes: readonly number[]) {
  const wh = await openWarehouse({ path: join(dir, 'commits.duckdb') });
  let stall = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 1);
    last = now;
  }, 1);
  const out: CommitCost[] = [];
  try {
    let next = 0;
    const group = (n: number) => {
      if (next + n > rows.length) next = 0;
      next += n;
      return rows.slice(next - n, next);
    };
    for (const n of sizes) {
      await wh.appendBatch(group(n), []); // warm-up: appenders, prepared statements
      const cpu = process.cpuUsage();
      const started = performance.now();
      const deadline = started + rawSeconds * 1000;
      stall = 0;
      last = performance.now();
      let commits = 0;
      while (performance.now() < deadline && commits < 2000) {
        await wh.appendBatch(group(n), []);
        commits++;
      }
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      out.push({
        rows: n,
        commits,
        wallMsPerCommit: Math.round((ms / commits) * 100) / 100,
        cpuMsPerCommit: Math.round((used.user + used.system) / 10 / commits) / 100,
        maxLoopStallMs: Math.round(stall * 10) / 10,
      });
    }
  } finally {
    clearInterval(timer);
    await wh.close();
  }
  return out;
}

interface ImportResult {
  readonly events: number;
  readonly imported: number;
  readonly fileMB: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  /** CPU time of this process (JS and DuckDB threads) per event. */
  readonly cpuUsPerEvent: number;
}

/** Writes `count` messages (the pool, cycled, with fresh messageIds) as JSONL and imports them. */
async function fileImport(
  dir: string,
  messages: readonly Record<string, unknown>[],
  count: number,
): Promise<ImportResult> {
  const file = join(dir, 'import.jsonl');
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) {
    const m = messages[i % messages.length] as Record<string, unknown>;
    const line = `${JSON.stringify({ ...m, messageId: `${String(m.messageId)}-${i}` })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const wh = await openWarehouse({ path: join(dir, 'import.duckdb') });
  try {
    await ensureDefaultProject(wh);
    const writer = await startIngest(wh);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const summary = await importFile(wh, writer, file, { projectId: 'default' });
    await writer.close();
    const elapsed = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      events: count,
      imported: summary.imported,
      fileMB: Math.round(out.bytesWritten / 1e5) / 10,
      seconds: Math.round(elapsed * 100) / 100,
      eventsPerSec: Math.round(count / elapsed),
      cpuUsPerEvent: Math.round((used.user + used.system) / count),
    };
  } finally {
    await wh.close();
    rmSync(file, { force: true });
  }
}

/** Group commits so far, from the server's Prometheus commit-latency histogram. */
async function commitStats(url: string): Promise<{ count: number; sumSec: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    count: value('pathwise_commit_latency_seconds_count'),
    sumSec: value('pathwise_commit_latency_seconds_sum'),
  };
}

/** The load client's path, next to this file (bench/*.ts under tsx, dist/bench/*.js when built). */
function clientPath(): string {
  const self = fileURLToPath(import.meta.url);
  return join(dirname(self), `load-client${extname(self)}`);
}

function runClient(config: LoadConfig): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Profiling flags are for this process only: the client would write its own profile.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
    const child: ChildProcess = fork(clientPath(), [], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timeout = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error('the load client did not finish in time'));
      },
      config.warmupMs + config.durationMs + 60_000,
    );
    child.once('message', (m: { result?: LoadResult; error?: string }) => {
      clearTimeout(timeout);
      if (m.result) resolve(m.result);
      else reject(new Error(m.error ?? 'the load client failed'));
    });
    child.once('exit', (code) => {
      clearTimeout(timeout);
      if (code !== 0) reject(new Error(`the load client exited with ${code}`));
    });
    child.send(config);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'pathwise-bench-'));
  const nowMs = Date.now();
  const out: Record<string, unknown> = {
    bench: 'ingest',
    node: process.version,
    cpus: os.cpus().length,
    loadAverage1mAtStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    batchSize: BATCH_SIZE,
    poolMessages: POOL_MESSAGES,
  };
  try {
    const messages = makeMessages({ seed: SEED, count: POOL_MESSAGES, nowMs });
    out.meanEventBytes = Math.round(
      messages.reduce((s, m) => s + Buffer.byteLength(JSON.stringify(m)), 0) / messages.length,
    );
    let rawLarge: RawResult | null = null;
    if (phases.has('raw')) {
      const rows = normalizedRows(messages, nowMs);
      const tx100 = await rawAppend(dir, rows, BATCH_SIZE);
      rawLarge = await rawAppend(dir, rows, LARGE_TX_ROWS);
      out.raw = { tx100, txLarge: rawLarge };
    }
    if (phases.has('commits')) {
      // Distinct messageIds are not needed: appendBatch does not dedup.
      out.commits = await commitCosts(dir, normalizedRows(messages, nowMs), [1, 10, 32, 100, 1000]);
    }
    if (phases.has('normalize')) out.normalizeMasking = normalizeCost(messages, nowMs);

    if (phases.has('import')) out.import = await fileImport(dir, messages, Number(args['import-events']));

    const commitDelayMs = args['commit-delay-ms'] === undefined ? undefined : Number(args['commit-delay-ms']);
    const server = await startServer({
      db: join(dir, 'http.duckdb'),
      port: 0,
      host: '127.0.0.1',
      commitDelayMs,
      ...(args['process-delay-ms'] === undefined ? {} : { processDelayMs: Number(args['process-delay-ms']) }),
    });
    const http: Record<string, LoadResult> = {};
    try {
      const writeKey = server.createdProject?.writeKey;
      if (!writeKey) throw new Error('the fresh bench database has no default project');
      const port = Number(new URL(server.url).port);
      const base = { port, writeKey, seed: SEED, nowMs, poolMessages: POOL_MESSAGES, batchSize: BATCH_SIZE };
      const runs: { name: string; config: LoadConfig }[] = [];
      if (phases.has('batch')) {
        const connections = Number(args['batch-connections']);
        runs.push({
          name: 'batch',
          config: {
            ...base,
            mode: 'batch',
            connections,
            warmupMs: 2000,
            durationMs: seconds * 1000,
            counterStart: 0,
          },
        });
      }
      if (phases.has('masked')) {
        // The same load against a project with every masking rule on, right after the plain batch run.
        const masked = await createProject(server.wh, 'masked');
        await updatePrivacySettings(server.wh, masked.project.projectId, MASKING);
        await server.privacy.reload(masked.project.projectId);
        runs.push({
          name: 'batchMasked',
          config: {
            ...base,
            writeKey: masked.writeKey,
            mode: 'batch',
            connections: Number(args['batch-connections']),
            warmupMs: 2000,
            durationMs: seconds * 1000,
            counterStart: 2 ** 39,
          },
        });
      }
      if (phases.has('single')) {
        const connections = Number(args['single-connections']);
        runs.push({
          name: 'single',
          config: {
            ...base,
            mode: 'single',
            connections,
            warmupMs: 1000,
            durationMs: 5000,
            counterStart: 2 ** 40,
          },
        });
      }
      if (phases.has('rate')) {
        runs.push({
          name: 'singleAtRate',
          config: {
            ...base,
            mode: 'single',
            connections: 256,
            ratePerSec: Number(args.rate),
            warmupMs: 1000,
            durationMs: 5000,
            counterStart: 2 ** 41,
          },
        });
      }
      const storedCount = async () =>
        Number((await server.wh.all({ sql: 'SELECT count(*) AS n FROM events' }))[0]?.n ?? 0);
      const serverCpu: Record<string, number> = {};
      const commits: Record<string, { count: number; meanEvents: number; meanMs: number }> = {};
      for (const r of runs) {
        const before = await storedCount();
        const commitsBefore = await commitStats(server.url);
        const cpu = process.cpuUsage();
        http[r.name] = await runClient(r.config);
        const used = process.cpuUsage(cpu);
        const events = (await storedCount()) - before;
        const commitsAfter = await commitStats(server.url);
        // CPU of this process (server JS and DuckDB threads) per stored event, warm-up included:
        // steadier than rates on a shared machine.
        serverCpu[r.name] = Math.round((used.user + used.system) / Math.max(1, events));
        const count = commitsAfter.count - commitsBefore.count;
        commits[r.name] = {
          count,
          meanEvents: Math.round(events / Math.max(1, count)),
          meanMs:
            Math.round(((commitsAfter.sumSec - commitsBefore.sumSec) * 1000 * 100) / Math.max(1, count)) /
            100,
        };
      }
      out.serverCpuUsPerEvent = serverCpu;
      out.groupCommits = commits;
      out.storedEvents = await storedCount();
    } finally {
      await server.close();
    }
    out.http = http;
    out.commitDelayMs = commitDelayMs ?? 0;

    const batchRate = http.batch?.eventsPerSec;
    if (batchRate !== undefined && rawLarge) {
      out.httpEventsPerSec = batchRate;
      out.rawEventsPerSec = rawLarge.eventsPerSec;
      out.ratio = Math.round((batchRate / rawLarge.eventsPerSec) * 1000) / 1000;
      const tx100 = (out.raw as { tx100: RawResult }).tx100;
      out.ratioVsTx100 = Math.round((batchRate / tx100.eventsPerSec) * 1000) / 1000;
    }
    const maskedRate = http.batchMasked?.eventsPerSec;
    if (batchRate !== undefined && maskedRate !== undefined) {
      const cpu = out.serverCpuUsPerEvent as Record<string, number>;
      out.masking = {
        httpEventsPerSec: { plain: batchRate, masked: maskedRate },
        ratio: Math.round((maskedRate / batchRate) * 1000) / 1000,
        serverCpuUsPerEvent: { plain: cpu.batch, masked: cpu.batchMasked },
        cpuRatio: Math.round(((cpu.batchMasked ?? 0) / (cpu.batch ?? 1)) * 1000) / 1000,
      };
    }
    const single = http.singleAtRate ?? http.single;
    out.goals = {
      ratioAtLeast0_5: typeof out.ratio === 'number' ? out.ratio >= 0.5 : null,
      httpAtLeast150kEventsPerSec: batchRate === undefined ? null : batchRate >= 150_000,
      single5kReqPerSec: http.single ? http.single.requestsPerSec >= 5000 : null,
      singleP99Under20Ms: single ? single.latencyMs.p99 < 20 : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

await main();
