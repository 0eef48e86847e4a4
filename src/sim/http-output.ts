import { setTimeout as sleep } from 'node:timers/promises';
import { PathwiseError } from '../core/index.js';
import type { WriteStats } from './output.js';
import type { Simulation } from './simulate.js';

/** A running Pathwise (or Segment-compatible) server to send a simulation to. */
export interface HttpTarget {
  /** e.g. http://127.0.0.1:8000; batches go to {baseUrl}/v1/batch. */
  readonly baseUrl: string;
  readonly writeKey: string;
  /** Messages per request (default 250; requests also stop growing at 400 KB). */
  readonly batchSize?: number;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Retries of a request answered 429/5xx or failing on the network (default 8). */
  readonly maxRetries?: number;
}

const MAX_BODY_CHARS = 400 * 1024;

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Exponential backoff (no jitter: the sender stays free of unseeded randomness), or Retry-After. */
function backoffMs(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(60_000, seconds * 1000);
  return Math.min(30_000, 250 * 2 ** attempt);
}

async function post(url: string, auth: string, body: string, maxRetries: number): Promise<void> {
  let status = 0;
  let reason = '';
  for (let attempt = 0; ; attempt++) {
    let retryAfter: string | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      reason = await res.text();
      if (res.ok) return;
      if (!isRetryable(status)) break;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    if (attempt >= maxRetries) break;
    await sleep(backoffMs(attempt, retryAfter));
  }
  throw new PathwiseError('PW_REQUEST_INVALID', {
    reason: `sim upload to ${url} failed (HTTP ${status || 'error'}): ${reason.slice(0, 300)}`,
  });
}

/**
 * Sends a simulation to `POST {baseUrl}/v1/batch` as `{"batch":[…]}` with HTTP Basic auth
 * (write key as username, empty password), a few requests in flight, retrying 429 and 5xx.
 * The simulation must use timeFields 'live': a server takes its own clock as receipt time, so
 * an archived sentAt would "correct" historical timestamps to now; without sentAt the
 * timestamp (the true event time) is kept as sent.
 */
export async function sendHttp(sim: Simulation, target: HttpTarget): Promise<WriteStats> {
  if (sim.options.timeFields !== 'live') {
    throw new PathwiseError('PW_CONFIG_INVALID', {
      reason: "HTTP output needs a simulation with timeFields 'live'",
    });
  }
  const url = `${target.baseUrl.replace(/\/+$/, '')}/v1/batch`;
  const auth = `Basic ${Buffer.from(`${target.writeKey}:`).toString('base64')}`;
  const batchSize = target.batchSize ?? 250;
  const concurrency = target.concurrency ?? 4;
  const maxRetries = target.maxRetries ?? 8;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let batch: string[] = [];
  let chars = 0;
  let messages = 0;
  let bytes = 0;
  const send = async () => {
    const body = `{"batch":[${batch.join(',')}]}`;
    messages += batch.length;
    bytes += Buffer.byteLength(body);
    batch = [];
    chars = 0;
    const request = post(url, auth, body, maxRetries).catch((error: unknown) => {
      failure ??= error;
    });
    const tracked = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
  };
  for (const line of sim.lines()) {
    if (batch.length >= batchSize || chars + line.length > MAX_BODY_CHARS) await send();
    batch.push(line);
    chars += line.length + 1;
  }
  if (batch.length > 0) await send();
  await Promise.all(inFlight);
  if (failure) throw failure;
  return { messages, bytes };
}
