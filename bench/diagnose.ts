/**
 * Funnel diagnostics benchmark and error-rate study. Prints one JSON object with:
 *
 * - `timing`: a diagnosis (runDiagnosis with period comparison and a correlation property) on
 *   ~`--events` events of the fault scenario against the plain funnel query (runQuery) on the
 *   same data and spec, best of `--runs` each, and their ratio;
 * - `null`: `--null-seeds` fault-free simulations of `--null-users` persons: the share of seeds
 *   in which any segment is flagged at the default false-discovery rate (5%), the flags in all;
 * - `faults`: `--fault-seeds` simulations with the three planted faults of
 *   test/diagnose-faults.test.ts: the share of faults found at their step with their segment and
 *   dated within a day.
 *
 *   npm run bench:diagnose -- [--events 1000000] [--runs 3] [--null-seeds 40] [--null-users 3000]
 *                             [--fault-seeds 10] [--fault-users 6000] [--phases timing,null,faults]
 *
 * Every dataset goes through the real import (JSONL → importFile) and the identity and sessions
 * pass; files live in a temp dir, removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type DiagnoseSpec, type DiagnosisResult, runDiagnosis } from '../src/diagnose/index.js';
import { runQuery } from '../src/query/index.js';
import { FAULT_STEPS, type FunnelFault } from '../src/sim/index.js';
import { loadFaultSimulation } from './fault-data.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    'null-seeds': { type: 'string', default: '40' },
    'null-users': { type: 'string', default: '3000' },
    'fault-seeds': { type: 'string', default: '10' },
    'fault-users': { type: 'string', default: '6000' },
    phases: { type: 'string', default: 'timing,null,faults' },
  },
});
const PHASES = new Set(String(args.phases).split(','));
/** Events per person of the fault scenario (measured: ~3.9). */
const EVENTS_PER_PERSON = 3.9;
const END = '2026-03-01';

const FAULTS: FunnelFault[] = [
  {
    step: 'add_payment_info',
    segment: { os: 'Android', app_version: '2.1' },
    multiplier: 0.3,
    from: '2026-02-15',
  },
  { step: 'add_to_cart', segment: { country: 'DE' }, multiplier: 0.4, from: '2026-02-08' },
  { step: 'purchase', segment: { os: 'iOS' }, multiplier: 0.4, from: '2026-02-20' },
];
const FUNNEL = {
  kind: 'funnel' as const,
  steps: FAULT_STEPS.map((event) => ({ event })),
  windowSec: 86_400,
  dateRange: { from: '2026-02-01', to: '2026-02-28' },
};

async function best<T>(runs: number, f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let out: { ms: number; value: T } | null = null;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const value = await f();
    const ms = performance.now() - t;
    if (!out || ms < out.ms) out = { ms, value };
  }
  if (!out) throw new Error('no runs');
  return out;
}

async function timing(dir: string) {
  const users = Math.round(Number(args.events) / EVENTS_PER_PERSON);
  const started = performance.now();
  const store = await loadFaultSimulation(
    dir,
    { users, days: 28, seed: 1, end: END, faults: FAULTS },
    'timing',
  );
  const loadSec = (performance.now() - started) / 1000;
  try {
    const runs = Number(args.runs);
    const funnel = await best(runs, () => runQuery(store.wh, 'default', FUNNEL));
    const spec: DiagnoseSpec = {
      funnel: FUNNEL,
      compareAt: '2026-02-15',
      correlation: { properties: ['method'] },
    };
    const diagnosis = await best(runs, () => runDiagnosis(store.wh, 'default', spec));
    return {
      events: store.events,
      persons: users,
      loadSec: Math.round(loadSec),
      funnelMs: Math.round(funnel.ms),
      diagnosisMs: Math.round(diagnosis.ms),
      ratio: Number((diagnosis.ms / funnel.ms).toFixed(2)),
      findings: diagnosis.value.segments
        .slice(0, 5)
        .map((f) => `${f.toEvent}: ${f.label} since ${f.since?.date}`),
    };
  } finally {
    await store.wh.close();
  }
}

async function diagnoseSeed(
  dir: string,
  seed: number,
  users: number,
  faults: FunnelFault[],
): Promise<DiagnosisResult> {
  const name = `s${seed}-${faults.length}`;
  const store = await loadFaultSimulation(
    dir,
    { users, days: 28, seed, end: END, faults, releaseDate: '2026-02-15' },
    name,
  );
  try {
    return await runDiagnosis(store.wh, 'default', { funnel: FUNNEL });
  } finally {
    await store.wh.close();
    rmSync(join(dir, `${name}.duckdb`), { force: true });
    rmSync(join(dir, `${name}.jsonl`), { force: true });
  }
}

async function nullStudy(dir: string) {
  const seeds = Number(args['null-seeds']);
  const users = Number(args['null-users']);
  const flagged: string[][] = [];
  let tested = 0;
  for (let seed = 1000; seed < 1000 + seeds; seed++) {
    const r = await diagnoseSeed(dir, seed, users, []);
    flagged.push(r.segments.map((f) => `${f.toEvent}: ${f.label}`));
    tested += r.tested.segments;
  }
  const withFlag = flagged.filter((f) => f.length > 0).length;
  return {
    seeds,
    users,
    fdr: 0.05,
    meanComparisons: Math.round(tested / seeds),
    seedsWithAnyFlag: withFlag,
    shareOfSeedsWithAnyFlag: withFlag / seeds,
    flags: flagged.flat(),
  };
}

function isFound(r: DiagnosisResult, fault: FunnelFault): boolean {
  const step = FAULT_STEPS.indexOf(fault.step) + 1;
  const want = Object.entries(fault.segment)
    .map(([d, v]) => `${d} = ${v}`)
    .sort()
    .join();
  return r.segments.some(
    (f) =>
      f.step === step &&
      [f.label, ...f.aliases].some((l) => l.split(', ').sort().join() === want) &&
      f.since !== null &&
      Math.abs(Date.parse(f.since.date) - Date.parse(fault.from)) <= 86_400_000,
  );
}

async function faultStudy(dir: string) {
  const seeds = Number(args['fault-seeds']);
  const users = Number(args['fault-users']);
  const found = FAULTS.map(() => 0);
  let extra = 0;
  for (let seed = 2000; seed < 2000 + seeds; seed++) {
    const r = await diagnoseSeed(dir, seed, users, FAULTS);
    FAULTS.forEach((f, i) => {
      if (isFound(r, f)) found[i] = (found[i] ?? 0) + 1;
    });
    extra += Math.max(0, r.segments.length - FAULTS.length);
  }
  return {
    seeds,
    users,
    found: FAULTS.map((f, i) => ({
      step: f.step,
      segment: f.segment,
      from: f.from,
      share: (found[i] ?? 0) / seeds,
    })),
    meanOtherFindings: extra / seeds,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'pathwise-bench-diagnose-'));
try {
  const out: Record<string, unknown> = {};
  if (PHASES.has('timing')) out.timing = await timing(dir);
  if (PHASES.has('null')) out.null = await nullStudy(dir);
  if (PHASES.has('faults')) out.faults = await faultStudy(dir);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
