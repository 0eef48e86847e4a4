import { writeFile } from 'node:fs/promises';
import { PathwiseError } from '../core/index.js';
import { type HttpTarget, sendHttp } from './http-output.js';
import type { SimOptions } from './options.js';
import { type WriteStats, writeJsonl, writeJsonlFile, writeThreaded } from './output.js';
import { Simulation, type TruthManifest } from './simulate.js';

/** Where a simulation goes: a file ('-' for stdout) or a server; the truth manifest optionally to a file. */
export interface SimTarget {
  readonly out?: string | undefined;
  /** Gzip the file (default: when `out` ends in .gz). */
  readonly gzip?: boolean | undefined;
  readonly http?: HttpTarget | undefined;
  readonly truthPath?: string | undefined;
  /**
   * Worker threads generating a file or stdout (default 1: this thread). The bytes and the truth
   * are the same for any count.
   */
  readonly threads?: number | undefined;
}

/** What a run produced. */
export interface SimRun extends WriteStats {
  readonly seconds: number;
  readonly eventsPerSec: number;
  readonly truth: TruthManifest;
}

/** Runs a simulation to its target and writes the truth manifest next to it. */
export async function runSimulation(options: SimOptions, target: SimTarget): Promise<SimRun> {
  if ((target.out === undefined) === (target.http === undefined)) {
    throw new PathwiseError('PW_CONFIG_INVALID', {
      reason: 'give exactly one of an output file and a server URL',
    });
  }
  const threads = target.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new PathwiseError('PW_CONFIG_INVALID', { reason: `sim threads must be 1..64, got ${threads}` });
  }
  const resolved = {
    ...options,
    timeFields: target.http ? 'live' : (options.timeFields ?? 'archive'),
  } as const;
  let sim = new Simulation(resolved);
  const started = performance.now();
  let stats: WriteStats;
  if (target.http) stats = await sendHttp(sim, target.http);
  else if (threads > 1) {
    const run = await writeThreaded(resolved, threads, target.out ?? '', target.gzip);
    sim = run.sim;
    stats = run;
  } else if (target.out === '-') stats = await writeJsonl(sim, process.stdout);
  else stats = await writeJsonlFile(sim, target.out ?? '', target.gzip ?? target.out?.endsWith('.gz'));
  const seconds = (performance.now() - started) / 1000;
  const truth = sim.truth();
  if (target.truthPath) await writeFile(target.truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  return { ...stats, seconds, eventsPerSec: Math.round(stats.messages / seconds), truth };
}
