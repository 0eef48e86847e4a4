import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { isMainThread, parentPort, type Worker, workerData } from 'node:worker_threads';
import { LineBuffer } from './line-buffer.js';
import type { SimOptions } from './options.js';
import type { WriteStats } from './output.js';
import { BLOCK_HOUSEHOLDS, type SimPart, type SimTruthState, Simulation } from './simulate.js';
import { startWorker } from './worker.js';

interface BlockWorkerData {
  readonly kind: 'sim-blocks';
  readonly options: SimOptions;
  readonly part: SimPart;
}

type FromWorker =
  | { readonly kind: 'block'; readonly bytes: Uint8Array; readonly messages: number }
  | { readonly kind: 'done'; readonly state: SimTruthState };

/** Blocks a worker may have in flight: memory stays flat whatever the size of the run. */
const CREDITS = 4;

/** A block's buffer to start with (64 households are about 1.5 MB of JSONL); it grows when needed. */
const BLOCK_BYTES = 2 << 20;

/**
 * A worker: generates its part's blocks and posts each as UTF-8 JSONL, transferring the
 * block's buffer (no copy). Lines are written as bytes as they are generated.
 */
function runBlockWorker(data: BlockWorkerData): void {
  const port = parentPort;
  if (!port) return;
  const sim = new Simulation(data.options);
  const buffer = new LineBuffer(BLOCK_BYTES);
  const households = sim.writeLines(buffer, data.part);
  let credits = CREDITS;
  let isDone = false;
  let messages = 0;
  let block = -1;
  // Every block is posted, even one without lines: the parent takes blocks in turn.
  const post = (end: number) => {
    if (block < 0) return;
    const bytes = buffer.take(end);
    const message: FromWorker = { kind: 'block', bytes, messages };
    port.postMessage(message, [bytes.buffer as ArrayBuffer]);
    messages = 0;
    credits--;
  };
  const pump = () => {
    while (credits > 0 && !isDone) {
      const before = buffer.used;
      const next = households.next();
      if (next.done) {
        post(buffer.used);
        port.postMessage({ kind: 'done', state: sim.truthState() } satisfies FromWorker);
        isDone = true;
        return;
      }
      const current = Math.floor((sim.householdsDone - 1) / BLOCK_HOUSEHOLDS);
      if (current !== block) {
        // This household's lines start the next block.
        post(before);
        block = current;
      }
      messages += next.value;
    }
  };
  port.on('message', () => {
    credits++;
    pump();
  });
  pump();
}

/** One worker's messages as an async queue. */
class WorkerQueue {
  private readonly queue: FromWorker[] = [];
  private wake: (() => void) | null = null;
  private failure: unknown = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => {
      this.queue.push(m);
      this.wake?.();
    });
    worker.on('error', (err) => {
      this.failure = err;
      this.wake?.();
    });
  }

  async next(): Promise<FromWorker> {
    while (this.queue.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
    return this.queue.shift() as FromWorker;
  }
}

/**
 * Generates a simulation on `threads` worker threads and writes its JSONL to a stream: the
 * same bytes, and the same truth, as one thread. Block b of households comes from worker
 * b mod threads, so the parent takes one block from each worker in turn; returns the finished
 * simulation (for its truth) with the write stats.
 */
export async function writeJsonlThreaded(
  options: SimOptions,
  threads: number,
  out: Writable,
): Promise<WriteStats & { readonly sim: Simulation }> {
  // Resolve `end` once, so that workers do not each read the clock.
  const resolved = new Simulation(options).options;
  const fixed: SimOptions = { ...options, end: new Date(resolved.endMs).toISOString() };
  const queues = Array.from(
    { length: threads },
    (_, index) =>
      new WorkerQueue(
        startWorker(import.meta.url, {
          kind: 'sim-blocks',
          options: fixed,
          part: { index, count: threads },
        } satisfies BlockWorkerData),
      ),
  );
  const states: SimTruthState[] = [];
  let messages = 0;
  let bytes = 0;
  try {
    for (let block = 0; states.length < threads; block++) {
      const queue = queues[block % threads] as WorkerQueue;
      const m = await queue.next();
      if (m.kind === 'done') {
        // No block `block`, so no later one: every other worker is finishing too.
        states.push(m.state);
        for (const other of queues) {
          if (other === queue) continue;
          const last = await other.next();
          if (last.kind !== 'done') throw new Error('a simulation worker sent a block out of turn');
          states.push(last.state);
        }
        break;
      }
      queue.worker.postMessage('more');
      messages += m.messages;
      bytes += m.bytes.byteLength;
      if (!out.write(m.bytes)) await once(out, 'drain');
    }
  } finally {
    await Promise.all(queues.map((q) => q.worker.terminate()));
  }
  return { messages, bytes, sim: Simulation.merged(fixed, states) };
}

if (!isMainThread && (workerData as Partial<BlockWorkerData> | null)?.kind === 'sim-blocks')
  runBlockWorker(workerData as BlockWorkerData);
