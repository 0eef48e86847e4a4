/**
 * Simulator throughput to a file: `npx tsx bench/sim.ts [scenario] [users]`.
 * Prints JSON {eventsPerSec, ...}. The goal is >= 300k events/s on a 2-core machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation, type Scenario } from '../src/sim/index.js';

const scenario = (process.argv[2] ?? 'mix') as Scenario;
const users = Number(process.argv[3] ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'pathwise-bench-sim-'));
try {
  const run = await runSimulation(
    { scenario, users, days: 30, seed: 1, end: '2026-11-01' },
    { out: join(dir, 'events.jsonl') },
  );
  const result = {
    scenario,
    users,
    messages: run.messages,
    bytes: run.bytes,
    seconds: Number(run.seconds.toFixed(2)),
    eventsPerSec: run.eventsPerSec,
    mbPerSec: Number((run.bytes / run.seconds / 1e6).toFixed(1)),
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
