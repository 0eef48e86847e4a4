/**
 * CTR prediction benchmark. Prints one JSON object.
 *
 *   npm run bench:ctr [-- --sizes 1000000,10000000 --hash-bits 20 --l2 1e-6 --requests 3000
 *     --warmup 2000 --rounds 3 --baseline DIR --server-prof DIR --server-flags=FLAGS --baseline-flags=FLAGS]
 *
 * Data: simulated impressions with planted logistic click probabilities (src/sim,
 * ctr-impressions.ts), time-split 80/20. Features: item, position, list, category, device,
 * hour, device × hour, item × position, item age (numeric). Per size:
 *
 * 1. The rows are generated and hashed once into sparse rows (the hashed design every trainer
 *    below sees); the truth's own test log loss and AUC are the floor.
 * 2. FTRL-Proximal (one pass + intercept refit) and Pathwise's L-BFGS train on those rows.
 * 3. When python3 with scikit-learn is found, the same rows go to a libsvm file and
 *    LogisticRegression(lbfgs, C = 1 / (l2 · n)) fits them in a child process (bench/ctr-sklearn.py);
 *    its fit time (not the file load) is the baseline. Ratios: log loss / sklearn's, sklearn's
 *    time / ours.
 * 4. End to end: trainCtrModel from raw rows (generation, hashing, FTRL, refit) for the same size.
 *
 * Then real-time scoring (bench/ctr-latency): a normal server in a child process with a stored
 * model answers POST /api/models/:name/predict with 100 candidates, `requests` times over one
 * keep-alive connection from a client in another child process, in `rounds` fresh server starts,
 * after `warmup` requests (V8 optimizes the request path around the first thousand: a shorter
 * warm-up puts that in the tail);
 * latency percentiles are measured by the client, CPU and GC by the server. `--baseline DIR` runs
 * another checkout's server (DIR/src under tsx, e.g. `git archive main src`) in the same rounds,
 * for ratios under the same load (`--baseline .` runs this checkout twice, to compare Node flags given
 * by `--server-flags` and `--baseline-flags`); `--server-prof DIR` writes the servers' V8 CPU profiles.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CsrBuilder,
  type CsrData,
  type CtrModelConfig,
  FeatureEncoder,
  FtrlProximal,
  interceptShiftOf,
  logisticObjective,
  logLoss,
  minimizeLbfgs,
  type NumericStat,
  numericStatsOf,
  resolveTrainer,
  rocAuc,
  sigmoid,
  trainCtrModel,
} from '../src/models/index.js';
import { type SimImpression, simulateImpressions } from '../src/sim/index.js';
import { predictLatency } from './ctr-latency.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    'hash-bits': { type: 'string', default: '20' },
    l2: { type: 'string', default: '1e-6' },
    'max-iter': { type: 'string', default: '100' },
    requests: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    baseline: { type: 'string', default: '' },
    'server-prof': { type: 'string', default: '' },
    'server-flags': { type: 'string', default: '' },
    'baseline-flags': { type: 'string', default: '' },
    python: { type: 'string', default: '' },
    'sklearn-fits': { type: 'string', default: 'both' },
    seed: { type: 'string', default: '1' },
  },
});
const BITS = Number(args['hash-bits']);
const L2 = Number(args.l2);
const MAX_ITER = Number(args['max-iter']);
const SEED = Number(args.seed);
const DAYS = 14;
const START_MS = Date.UTC(2026, 0, 1);
/** Time-based split: the last 20% of the range is the test period. */
const CUT_US = (START_MS + 0.8 * DAYS * 86_400_000) * 1000;

const FEATURES: CtrModelConfig['features'] = {
  categorical: ['item_id', 'position', 'list_id', 'item_category', 'device_type', 'hour'],
  crosses: [
    ['device_type', 'hour'],
    ['item_id', 'position'],
  ],
  numeric: ['item_age_h'],
};

function rows(n: number): Generator<SimImpression[]> {
  return simulateImpressions({
    seed: SEED,
    impressions: n,
    startMs: START_MS,
    days: DAYS,
    batchSize: 20_000,
  });
}

function* trainRows(n: number): Generator<SimImpression[]> {
  for (const batch of rows(n)) yield batch.filter((r) => r.tsUs < CUT_US);
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** Generates and hashes the rows once: training and test sparse rows plus the test truth. */
function encode(n: number, stats: Record<string, NumericStat>) {
  const encoder = new FeatureEncoder(FEATURES, BITS, 0, stats);
  const train = new CsrBuilder(BITS, Math.ceil(n * 0.82), encoder.maxNonZeros);
  const test = new CsrBuilder(BITS, Math.ceil(n * 0.22), encoder.maxNonZeros);
  const truth: number[] = [];
  const idx = new Int32Array(encoder.maxNonZeros);
  const val = new Float32Array(encoder.maxNonZeros);
  for (const batch of rows(n)) {
    for (const r of batch) {
      const nnz = encoder.encode(r.values, idx, val);
      if (r.tsUs < CUT_US) train.add(idx, val, nnz, r.label);
      else {
        test.add(idx, val, nnz, r.label);
        truth.push(r.p);
      }
    }
  }
  return { train: train.build(), test: test.build(), truth };
}

/** Predictions on sparse rows from weights by bucket and an intercept. */
function predictCsr(data: CsrData, weightOf: (bucket: number) => number, intercept: number): Float64Array {
  const p = new Float64Array(data.rows);
  for (let r = 0; r < data.rows; r++) {
    let z = intercept;
    for (let j = data.rowPtr[r] as number; j < (data.rowPtr[r + 1] as number); j++)
      z += weightOf(data.buckets[data.cols[j] as number] as number) * (data.vals[j] as number);
    p[r] = sigmoid(z);
  }
  return p;
}

function quality(test: CsrData, probs: Float64Array) {
  return { logLoss: logLoss(test.labels, probs), rocAuc: rocAuc(test.labels, probs) };
}

/** FTRL-Proximal, one pass in time order, then the intercept refit (the library's defaults). */
function ftrl(train: CsrData, test: CsrData) {
  const t0 = performance.now();
  const options = resolveTrainer({ algorithm: 'ftrl' });
  if (options.algorithm !== 'ftrl') throw new Error('unreachable');
  const rate = train.positives / train.rows;
  const learner = new FtrlProximal(BITS, options, 64, Math.log(rate / (1 - rate)));
  const idx = new Int32Array(64);
  for (let r = 0; r < train.rows; r++) {
    const start = train.rowPtr[r] as number;
    const nnz = (train.rowPtr[r + 1] as number) - start;
    for (let k = 0; k < nnz; k++) idx[k] = train.buckets[train.cols[start + k] as number] as number;
    learner.update(idx, train.vals.subarray(start, start + nnz), nnz, train.labels[r] as number, 1);
  }
  const dense = new Float64Array(2 ** BITS);
  const w = learner.weights();
  w.indices.forEach((i, k) => {
    dense[i] = w.values[k] as number;
  });
  const logits = predictCsr(train, (b) => dense[b] as number, learner.intercept()).map((p) =>
    Math.log(p / (1 - p)),
  );
  const intercept =
    learner.intercept() + interceptShiftOf(logits, train.labels, { positive: 1, negative: 1 });
  const trainSeconds = seconds(t0);
  return {
    seconds: trainSeconds,
    ...quality(
      test,
      predictCsr(test, (b) => dense[b] as number, intercept),
    ),
  };
}

/** Pathwise's L-BFGS on the same objective as scikit-learn's. */
async function lbfgs(train: CsrData, test: CsrData) {
  const t0 = performance.now();
  const k = train.buckets.length;
  const result = await minimizeLbfgs(
    logisticObjective(train, L2, { positive: 1, negative: 1 }),
    new Float64Array(k + 1),
    { memory: 10, maxIterations: MAX_ITER, gradientTolerance: 1e-4 / train.rows },
  );
  const trainSeconds = seconds(t0);
  const byBucket = new Map<number, number>();
  train.buckets.forEach((b, c) => {
    byBucket.set(b, result.x[c] as number);
  });
  const probs = predictCsr(test, (b) => byBucket.get(b) ?? 0, result.x[k] as number);
  return { seconds: trainSeconds, iterations: result.iterations, stop: result.stop, ...quality(test, probs) };
}

async function writeSvm(data: CsrData, file: string): Promise<void> {
  const out = createWriteStream(file);
  let chunk = '';
  for (let r = 0; r < data.rows; r++) {
    const pairs: [number, number][] = [];
    for (let j = data.rowPtr[r] as number; j < (data.rowPtr[r + 1] as number); j++)
      pairs.push([data.buckets[data.cols[j] as number] as number, data.vals[j] as number]);
    // libsvm wants ascending indices and one value per index (hash collisions in a row add up).
    pairs.sort((a, b) => a[0] - b[0]);
    const merged: string[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const [index, value] = pairs[i] as [number, number];
      const next = pairs[i + 1];
      if (next && next[0] === index) {
        next[1] += value;
        continue;
      }
      merged.push(`${index}:${value}`);
    }
    chunk += `${data.labels[r]} ${merged.join(' ')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
}

function findPython(): string | null {
  for (const python of [args.python, '/usr/bin/python3', 'python3'].filter(Boolean)) {
    const probe = spawnSync(python as string, ['-c', 'import sklearn'], { stdio: 'ignore' });
    if (probe.status === 0) return python as string;
  }
  return null;
}

interface SklearnFit {
  readonly fitSeconds: number;
  readonly logLoss: number;
  readonly rocAuc: number;
  readonly iterations: number;
}

async function sklearn(python: string, train: CsrData, test: CsrData, dir: string) {
  await writeSvm(train, join(dir, 'train.svm'));
  await writeSvm(test, join(dir, 'test.svm'));
  const script = join(import.meta.dirname, '..', '..', 'bench', 'ctr-sklearn.py');
  const run = spawnSync(
    python,
    [
      script,
      join(dir, 'train.svm'),
      join(dir, 'test.svm'),
      String(2 ** BITS),
      String(L2),
      String(MAX_ITER),
      args['sklearn-fits'],
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) return { error: run.stderr.slice(-2000) };
  return JSON.parse(run.stdout) as Partial<Record<'full' | 'compact', SklearnFit>> & { loadSeconds: number };
}

/** trainCtrModel from raw rows: generation, hashing, one FTRL pass and the refit pass. */
async function endToEnd(
  n: number,
  stats: Record<string, NumericStat>,
  positives: number,
  trainCount: number,
) {
  const t0 = performance.now();
  await trainCtrModel({
    config: { features: FEATURES, hashBits: BITS },
    train: () => trainRows(n),
    rows: trainCount,
    positives,
    numericStats: stats,
  });
  return { seconds: seconds(t0) };
}

/** Log loss over sklearn's (goal ≤ 1.005) and sklearn's fit time over ours (goal > 1), per sklearn fit. */
function ratios(
  f: { logLoss: number; seconds: number },
  l: { logLoss: number; seconds: number },
  s: Partial<Record<'full' | 'compact', SklearnFit>>,
) {
  const out: Record<string, number> = {};
  for (const kind of ['full', 'compact'] as const) {
    const fit = s[kind];
    if (!fit) continue;
    out[`ftrlLogLossOverSklearn_${kind}`] = f.logLoss / fit.logLoss;
    out[`lbfgsLogLossOverSklearn_${kind}`] = l.logLoss / fit.logLoss;
    out[`sklearnSecondsOverFtrl_${kind}`] = fit.fitSeconds / f.seconds;
    out[`sklearnSecondsOverLbfgs_${kind}`] = fit.fitSeconds / l.seconds;
  }
  return out;
}

async function benchSize(n: number, python: string | null, dir: string) {
  let t0 = performance.now();
  const stats = numericStatsOf(
    (function* () {
      for (const batch of trainRows(n)) for (const r of batch) yield r.values;
    })(),
    FEATURES.numeric ?? [],
  );
  const statsSeconds = seconds(t0);
  t0 = performance.now();
  const { train, test, truth } = encode(n, stats);
  const encodeSeconds = seconds(t0);
  const result: Record<string, unknown> = {
    impressions: train.rows + test.rows,
    trainRows: train.rows,
    testRows: test.rows,
    trainCtr: train.positives / train.rows,
    buckets: 2 ** BITS,
    usedBuckets: train.buckets.length,
    generateAndHashSeconds: encodeSeconds,
    numericStatsSeconds: statsSeconds,
    truth: quality(test, Float64Array.from(truth)),
  };
  const f = ftrl(train, test);
  const l = await lbfgs(train, test);
  result.ftrl = f;
  result.lbfgs = l;
  if (python) {
    const s = await sklearn(python, train, test, dir);
    result.sklearn = s;
    if (!('error' in s)) result.ratios = ratios(f, l, s);
  }
  result.endToEndFtrl = await endToEnd(n, stats, train.positives, train.rows);
  return result;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pathwise-bench-ctr-'));
  try {
    const python = findPython();
    const sizes: Record<string, unknown>[] = [];
    for (const n of args.sizes.split(',').filter(Boolean).map(Number))
      sizes.push({ size: n, ...(await benchSize(n, python, dir)) });
    const latency = await predictLatency(dir, FEATURES, {
      requests: Number(args.requests),
      warmup: Number(args.warmup),
      rounds: Number(args.rounds),
      baselineRoot: args.baseline || null,
      profileDir: args['server-prof'] || null,
      serverFlags: args['server-flags'].split(' ').filter(Boolean),
      baselineFlags: args['baseline-flags'].split(' ').filter(Boolean),
    });
    const out = {
      hashBits: BITS,
      l2: L2,
      maxIterations: MAX_ITER,
      loadAverage1mAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      python,
      sizes,
      predict: latency,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
