import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { SimOptions } from './options.js';
import { Simulation, type TruthManifest } from './simulate.js';

type ToParent =
  | { readonly kind: 'chunk'; readonly lines: readonly string[]; readonly personsDone: number }
  | { readonly kind: 'done'; readonly truth: TruthManifest };

/** At most this many chunks wait in the parent: memory stays flat whatever the size. */
const CREDITS = 4;
const LINES_PER_CHUNK = 5000;

function runWorker(): void {
  const port = parentPort;
  if (!port) return;
  const sim = new Simulation(workerData as SimOptions);
  const chunks = sim.chunks();
  let buffer: string[] = [];
  let credits = CREDITS;
  let isDone = false;
  const pump = () => {
    while (credits > 0 && !isDone) {
      const next = chunks.next();
      if (next.done) {
        if (buffer.length > 0)
          port.postMessage({ kind: 'chunk', lines: buffer, personsDone: sim.personsDone });
        port.postMessage({ kind: 'done', truth: sim.truth() });
        isDone = true;
        return;
      }
      for (const line of next.value) buffer.push(line);
      if (buffer.length >= LINES_PER_CHUNK) {
        port.postMessage({ kind: 'chunk', lines: buffer, personsDone: sim.personsDone } satisfies ToParent);
        buffer = [];
        credits--;
      }
    }
  };
  port.on('message', () => {
    credits++;
    pump();
  });
  pump();
}

/** A simulation running on another thread: its lines arrive in chunks, in the same order. */
export interface ThreadedSimulation {
  /** The JSON lines, byte-identical to `new Simulation(options).lines()`. */
  lines(): AsyncIterable<string>;
  /** Persons generated so far. */
  readonly personsDone: number;
  /** The truth manifest, once every line was consumed. */
  truth(): Promise<TruthManifest>;
}

/**
 * Starts a module of this folder as a worker. From TypeScript sources (tests, tsx) the worker
 * first registers tsx's loader, which worker threads do not inherit; compiled files start directly.
 */
export function startWorker(moduleUrl: string, workerData: unknown): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(moduleUrl), { workerData });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * Runs a simulation in a worker thread, so that generating data and ingesting it use both
 * cores (the demo). Chunks are credited: the worker stays at most a few chunks ahead.
 */
export function simulateInWorker(options: SimOptions): ThreadedSimulation {
  const worker = startWorker(import.meta.url, options);
  const queue: ToParent[] = [];
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  let personsDone = 0;
  let resolveTruth: (t: TruthManifest) => void = () => undefined;
  const truth = new Promise<TruthManifest>((resolve) => {
    resolveTruth = resolve;
  });
  worker.on('message', (m: ToParent) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  async function* lines(): AsyncIterable<string> {
    for (;;) {
      while (queue.length === 0) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      const m = queue.shift() as ToParent;
      if (m.kind === 'done') {
        resolveTruth(m.truth);
        await worker.terminate();
        return;
      }
      personsDone = m.personsDone;
      worker.postMessage('more');
      yield* m.lines;
    }
  }
  return {
    lines,
    get personsDone() {
      return personsDone;
    },
    truth: () => truth,
  };
}

if (!isMainThread && (workerData as { scenario?: unknown } | null)?.scenario !== undefined) runWorker();
