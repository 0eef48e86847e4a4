/**
 * Simulator throughput to a file: `npx tsx bench/sim.ts [scenario] [users] [threads] [runs]`.
 * Each run writes the same simulation on one thread (in this thread) and on `threads` worker
 * threads (default 2), alternating, and prints JSON {eventsPerSec, ...} for both and their ratio;
 * the files are checked to be byte-identical. The goal is >= 300k events/s on a 2-core machine.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation, type Scenario } from '../src/sim/index.js';

const scenario = (process.argv[2] ?? 'mix') as Scenario;
const users = Number(process.argv[3] ?? 50_000);
const threads = Number(process.argv[4] ?? 2);
const runs = Number(process.argv[5] ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'pathwise-bench-sim-'));

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function once(threadCount: number) {
  const out = join(dir, `events-${threadCount}.jsonl`);
  const run = await runSimulation(
    { scenario, users, days: 30, seed: 1, end: '2026-11-01' },
    { out, threads: threadCount },
  );
  const digest = await sha256(out);
  rmSync(out);
  return {
    threads: threadCount,
    messages: run.messages,
    bytes: run.bytes,
    seconds: Number(run.seconds.toFixed(2)),
    eventsPerSec: run.eventsPerSec,
    mbPerSec: Number((run.bytes / run.seconds / 1e6).toFixed(1)),
    digest,
  };
}

try {
  for (let i = 0; i < runs; i++) {
    const single = await once(1);
    const multi = await once(threads);
    const result = {
      scenario,
      users,
      single: { ...single, digest: undefined },
      threaded: { ...multi, digest: undefined },
      ratio: Number((multi.eventsPerSec / single.eventsPerSec).toFixed(2)),
      isIdentical: single.digest === multi.digest,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
