/**
 * Real-time scoring latency for bench/ctr: a normal server (startServer on a DuckDB file that
 * holds a stored model) in one child process (bench/predict-server), the HTTP client in another
 * (bench/predict-client), 100 candidates a request, sequential over one keep-alive connection.
 * This process only trains the model, stores it and orchestrates, so neither the client's CPU
 * nor the training's heap sits in the server's process.
 *
 * With a baseline checkout, each round runs both servers one after the other on the same file
 * (in alternating order), and the ratios compare them under the same load.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CtrModelConfig, encodeWeights, numericStatsOf, trainCtrModel } from '../src/models/index.js';
import { FEED_ITEMS, type SimImpression, simulateImpressions } from '../src/sim/index.js';
import { ensureDefaultProject, openWarehouse, saveModel } from '../src/store/index.js';
import type { PredictLoad, PredictLoadResult } from './predict-client.js';
import type { ServerConfig, ServerReport } from './predict-server.js';

async function trainSmallModel(features: CtrModelConfig['features']) {
  const rows: SimImpression[] = [...simulateImpressions({ seed: 3, impressions: 200_000 })].flat();
  const numericStats = numericStatsOf(
    rows.map((r) => r.values),
    features.numeric ?? [],
  );
  const { model } = await trainCtrModel({
    config: { features, hashBits: 20 },
    train: () => [rows],
    rows: rows.length,
    positives: rows.reduce((s, r) => s + r.label, 0),
    numericStats,
  });
  return model;
}

const CONTEXT = { list_id: 'home_feed', device_type: 'mobile', hour: 20 };

/** 100 candidates: ten items at each of the ten positions. */
function candidates() {
  return FEED_ITEMS.slice(0, 10).flatMap((item) =>
    Array.from({ length: 10 }, (_, k) => ({
      item_id: item.item_id,
      position: k + 1,
      item_category: item.item_category,
      item_age_h: 12 + k,
    })),
  );
}

/** A forked child and its IPC messages, one at a time. */
class Child {
  private readonly queue: Record<string, unknown>[] = [];
  private waiting: ((m: Record<string, unknown>) => void) | null = null;
  private readonly proc: ChildProcess;
  private failure: Error | null = null;

  constructor(file: string, execArgv: string[]) {
    this.proc = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: Record<string, unknown>) => this.deliver(m));
    this.proc.on('exit', (code) => {
      if (code !== 0) this.failure = new Error(`${file} exited with ${code}`);
      this.deliver({ exited: code });
    });
  }

  private deliver(m: Record<string, unknown>): void {
    const w = this.waiting;
    this.waiting = null;
    if (w) w(m);
    else this.queue.push(m);
  }

  send(m: unknown): void {
    this.proc.send(m as string);
  }

  /** The next message; an error message or an early exit throws. */
  async next(): Promise<Record<string, unknown>> {
    const m =
      this.queue.shift() ??
      (await new Promise<Record<string, unknown>>((resolve) => {
        this.waiting = resolve;
      }));
    if (typeof m.error === 'string') throw new Error(m.error);
    if ('exited' in m && this.failure) throw this.failure;
    return m;
  }

  async exited(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    await new Promise((resolve) => this.proc.once('exit', resolve));
  }
}

function sibling(name: string): string {
  const self = fileURLToPath(import.meta.url);
  return join(dirname(self), `${name}${extname(self)}`);
}

/** One server start, one client run against it: the client's latencies and the server's use. */
async function runOnce(
  db: string,
  variant: { root: string | null; flags: readonly string[] },
  load: Omit<PredictLoad, 'port'>,
  profileDir: string | null,
) {
  const clean = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
  const server = new Child(sibling('predict-server'), [...clean, ...variant.flags]);
  server.send({ db, root: variant.root, profileDir } satisfies ServerConfig);
  const { port } = (await server.next()) as { port: number };
  const client = new Child(sibling('predict-client'), clean);
  try {
    const load1m = loadavg()[0] ?? 0;
    client.send({ ...load, port } satisfies PredictLoad);
    await client.next(); // warmed
    server.send('mark');
    await server.next();
    client.send('go');
    const { result } = (await client.next()) as { result: PredictLoadResult };
    server.send('report');
    const { report } = (await server.next()) as { report: ServerReport };
    const serverCpuMsPerRequest = (report.cpuUserMs + report.cpuSystemMs) / load.requests;
    return {
      load1m: Math.round(load1m * 100) / 100,
      ...result,
      serverCpuMsPerRequest: Math.round(serverCpuMsPerRequest * 1000) / 1000,
      server: report,
    };
  } finally {
    server.send('close');
    await Promise.all([server.exited(), client.exited()]);
  }
}

type Run = Awaited<ReturnType<typeof runOnce>>;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function summary(runs: readonly Run[]) {
  const of = (f: (r: Run) => number) => Math.round(median(runs.map(f)) * 1000) / 1000;
  return {
    p50Ms: of((r) => r.latencyMs.p50),
    p90Ms: of((r) => r.latencyMs.p90),
    p99Ms: of((r) => r.latencyMs.p99),
    maxMs: of((r) => r.latencyMs.max),
    serverCpuMsPerRequest: of((r) => r.serverCpuMsPerRequest),
  };
}

/** Options of the scoring-latency measurement. */
export interface LatencyOptions {
  readonly requests: number;
  readonly warmup: number;
  readonly rounds: number;
  /** A checkout of the baseline (its src/ under tsx; `.` for this one), run in the same rounds; null for none. */
  readonly baselineRoot: string | null;
  /** Node flags of this checkout's server and of the baseline's (e.g. `--single-threaded-gc`). */
  readonly serverFlags: readonly string[];
  readonly baselineFlags: readonly string[];
  /** Where the servers write V8 CPU profiles of the measured window; null for none. */
  readonly profileDir: string | null;
}

/** Latency percentiles of POST /api/models/bench/predict with 100 candidates (medians over rounds). */
export async function predictLatency(
  dir: string,
  features: CtrModelConfig['features'],
  options: LatencyOptions,
) {
  const baselineRoot = options.baselineRoot === '.' ? null : options.baselineRoot;
  if (baselineRoot && !existsSync(join(baselineRoot, 'src', 'server', 'index.ts')))
    throw new Error(`no src/server/index.ts under the baseline ${baselineRoot}`);
  const model = await trainSmallModel(features);
  const batch = candidates();
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) model.predictMany(batch, CONTEXT);
  const scoringOnlyUsPer100 = ((performance.now() - t0) * 1000) / 2000;
  const db = join(dir, 'latency.duckdb');
  const wh = await openWarehouse({ path: db });
  let readKey = '';
  try {
    readKey = (await ensureDefaultProject(wh))?.readKey ?? '';
    await saveModel(wh, {
      projectId: 'default',
      name: 'bench',
      kind: 'ctr',
      spec: { features },
      trainFromUs: null,
      trainToUs: null,
      testFromUs: null,
      testToUs: null,
      metrics: {},
      params: model.params,
      weights: encodeWeights(model.weights),
    });
  } finally {
    await wh.close();
  }
  const load = {
    path: '/api/models/bench/predict',
    readKey,
    body: JSON.stringify({ candidates: batch, context: CONTEXT }),
    warmup: options.warmup,
    requests: options.requests,
  };
  const current: Run[] = [];
  const baseline: Run[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const isBaselineFirst = round % 2 === 1;
    const base = { root: baselineRoot, flags: options.baselineFlags };
    if (options.baselineRoot && isBaselineFirst) baseline.push(await runOnce(db, base, load, null));
    current.push(await runOnce(db, { root: null, flags: options.serverFlags }, load, options.profileDir));
    if (options.baselineRoot && !isBaselineFirst) baseline.push(await runOnce(db, base, load, null));
  }
  const ours = summary(current);
  const base = baseline.length > 0 ? summary(baseline) : null;
  const ratio = (f: (s: ReturnType<typeof summary>) => number) =>
    base ? Math.round((f(base) / f(ours)) * 100) / 100 : null;
  return {
    requests: options.requests,
    rounds: options.rounds,
    candidatesPerRequest: batch.length,
    scoringOnlyUsPer100,
    ...ours,
    baseline: base,
    baselineOverCurrent: base
      ? {
          p50: ratio((s) => s.p50Ms),
          p90: ratio((s) => s.p90Ms),
          p99: ratio((s) => s.p99Ms),
          serverCpuMsPerRequest: ratio((s) => s.serverCpuMsPerRequest),
        }
      : null,
    runs: { current, baseline },
  };
}
