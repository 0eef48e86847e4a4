import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { LineBuffer } from './line-buffer.js';
import type { SimOptions } from './options.js';
import { writeJsonlThreaded } from './parallel.js';
import type { Simulation } from './simulate.js';

/** What a run wrote. */
export interface WriteStats {
  readonly messages: number;
  readonly bytes: number;
}

const BUFFER_BYTES = 4 << 20;
/** The longest line a chunk may hold in UTF-8 is 3 bytes per UTF-16 unit. */
const MAX_BYTES_PER_CHAR = 3;

/** A simulation that writes its lines as bytes (Simulation), or one that yields strings. */
type LineSource = Pick<Simulation, 'chunks'> | Pick<Simulation, 'chunks' | 'writeLines'>;

/**
 * Writes every line of a simulation to a stream as JSONL. Lines are encoded straight into a
 * 4 MB buffer that is handed to the stream when full (waiting for 'drain' when the stream is
 * behind), so memory stays bounded whatever the size of the run.
 */
export async function writeJsonl(sim: LineSource, out: Writable): Promise<WriteStats> {
  if ('writeLines' in sim) return writeLineBytes(sim, out);
  let buf = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  let messages = 0;
  let bytes = 0;
  const flush = async () => {
    const full = buf.subarray(0, used);
    bytes += used;
    buf = Buffer.allocUnsafe(BUFFER_BYTES);
    used = 0;
    if (!out.write(full)) await once(out, 'drain');
  };
  for (const chunk of sim.chunks()) {
    for (const line of chunk) {
      if (used + (line.length + 1) * MAX_BYTES_PER_CHAR > BUFFER_BYTES) {
        await flush();
        if ((line.length + 1) * MAX_BYTES_PER_CHAR > BUFFER_BYTES)
          buf = Buffer.allocUnsafe((line.length + 1) * 3);
      }
      used += buf.write(line, used);
      buf[used++] = 10;
    }
    messages += chunk.length;
  }
  if (used > 0) await flush();
  return { messages, bytes };
}

/** writeJsonl of a simulation that writes bytes: households go into the buffer as they are written. */
async function writeLineBytes(sim: Pick<Simulation, 'writeLines'>, out: Writable): Promise<WriteStats> {
  const buffer = new LineBuffer(BUFFER_BYTES);
  let messages = 0;
  let bytes = 0;
  const flush = async () => {
    bytes += buffer.used;
    if (!out.write(buffer.take())) await once(out, 'drain');
  };
  for (const count of sim.writeLines(buffer)) {
    messages += count;
    if (buffer.used >= BUFFER_BYTES - (64 << 10)) await flush();
  }
  if (buffer.used > 0) await flush();
  return { messages, bytes };
}

/** Writes a simulation to a JSONL file, gzip-compressed when `gzip` is set. */
export async function writeJsonlFile(
  sim: LineSource,
  path: string,
  gzip = path.endsWith('.gz'),
): Promise<WriteStats> {
  return toFile(path, gzip, (out) => writeJsonl(sim, out));
}

/**
 * Generates a simulation on worker threads to a file ('-': stdout); see writeJsonlThreaded.
 * Returns the finished simulation, whose truth() is the run's manifest.
 */
export async function writeThreaded(
  options: SimOptions,
  threads: number,
  path: string,
  gzip = path.endsWith('.gz'),
): Promise<WriteStats & { readonly sim: Simulation }> {
  if (path === '-') return writeJsonlThreaded(options, threads, process.stdout);
  return toFile(path, gzip, (out) => writeJsonlThreaded(options, threads, out));
}

async function toFile<T>(path: string, gzip: boolean, write: (out: Writable) => Promise<T>): Promise<T> {
  // A high-water mark of several buffers lets generation continue while a write is in flight.
  const file = createWriteStream(path, { highWaterMark: 4 * BUFFER_BYTES });
  if (!gzip) {
    const result = await write(file);
    file.end();
    await finished(file);
    return result;
  }
  // Level 1: the simulator is meant to be fast; ratios differ little on JSONL.
  const zip = createGzip({ level: 1 });
  zip.pipe(file);
  const result = await write(zip);
  zip.end();
  await finished(file);
  return result;
}
