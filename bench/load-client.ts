/**
 * The load generator of bench/ingest, run as a child process (fork) so that it does not share
 * the server's event loop. It gets a LoadConfig over IPC, sends pre-serialized Segment bodies
 * over keep-alive connections to 127.0.0.1 and answers with a LoadResult.
 */
import http from 'node:http';
import { makeMessages } from './events.js';

/** What the parent asks for. */
export interface LoadConfig {
  readonly port: number;
  readonly writeKey: string;
  readonly seed: number;
  readonly nowMs: number;
  readonly poolMessages: number;
  /** batch: POST /v1/batch with batchSize messages; single: POST /v1/track with one. */
  readonly mode: 'batch' | 'single';
  readonly batchSize: number;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Open loop at this many requests/s (latency from the scheduled send); closed loop when absent. */
  readonly ratePerSec?: number;
  /** First value of the messageId counter: distinct per run, so that no run repeats an id. */
  readonly counterStart: number;
}

/** What the client measured inside the window (after warm-up). */
export interface LoadResult {
  readonly mode: 'batch' | 'single';
  readonly connections: number;
  readonly targetRatePerSec: number | null;
  readonly windowMs: number;
  readonly requests: number;
  /** Open loop only: scheduled inside the window, answered after it (in the latencies, not the rate). */
  readonly lateRequests: number;
  readonly requestsPerSec: number;
  readonly eventsAccepted: number;
  readonly eventsPerSec: number;
  readonly duplicates: number;
  readonly failedRequests: number;
  readonly firstFailure: string | null;
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  readonly bodyBytesMean: number;
}

interface Template {
  readonly body: Buffer;
  /** Byte offsets of the 12 hex characters of each messageId that a send overwrites. */
  readonly idOffsets: readonly number[];
}

const ID_PREFIX = 'ajs-next-';
const COUNTER_HEX = 12;

/** Serializes messages once and notes where each messageId's counter goes. */
function templates(config: LoadConfig): Template[] {
  const messages = makeMessages({ seed: config.seed, count: config.poolMessages, nowMs: config.nowMs });
  const sentAt = new Date(config.nowMs).toISOString();
  const groups: Record<string, unknown>[][] = [];
  if (config.mode === 'batch') {
    for (let i = 0; i + config.batchSize <= messages.length; i += config.batchSize) {
      groups.push(messages.slice(i, i + config.batchSize));
    }
  } else {
    for (const m of messages) if (m.type === 'track') groups.push([m]);
  }
  return groups.map((group) => {
    const text =
      config.mode === 'batch' ? JSON.stringify({ batch: group, sentAt }) : JSON.stringify(group[0]);
    const body = Buffer.from(text, 'utf8');
    const idOffsets = group.map((m) => {
      const at = body.indexOf(`"${String(m.messageId)}"`);
      if (at < 0) throw new Error('messageId not found in its serialized body');
      return at + 1 + ID_PREFIX.length;
    });
    return { body, idOffsets };
  });
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return round(sorted[Math.max(0, i)] as number);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

interface Reply {
  readonly status: number;
  readonly text: string;
}

async function run(config: LoadConfig): Promise<LoadResult> {
  const pool = templates(config);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.connections });
  const path = config.mode === 'batch' ? '/v1/batch' : '/v1/track';
  const authorization = `Basic ${Buffer.from(`${config.writeKey}:`).toString('base64')}`;
  let counter = config.counterStart;
  let next = 0;

  /** A fresh copy of the next template with never-sent messageIds. */
  function nextBody(): Buffer {
    const t = pool[next++ % pool.length] as Template;
    const body = Buffer.from(t.body);
    const stamp = (counter++).toString(16).padStart(COUNTER_HEX, '0');
    for (const offset of t.idOffsets) body.write(stamp, offset, 'latin1');
    return body;
  }

  function send(body: Buffer): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: '127.0.0.1',
          port: config.port,
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length, authorization },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const started = performance.now();
  const windowStart = started + config.warmupMs;
  const deadline = windowStart + config.durationMs;
  const latencies: number[] = [];
  let requests = 0;
  let eventsAccepted = 0;
  let duplicates = 0;
  let failedRequests = 0;
  let firstFailure: string | null = null;
  let bodyBytes = 0;
  let lateRequests = 0;
  const isClosedLoop = config.ratePerSec === undefined;

  async function one(scheduledAt: number): Promise<void> {
    const body = nextBody();
    let reply: Reply;
    try {
      reply = await send(body);
    } catch (err) {
      reply = { status: 0, text: err instanceof Error ? err.message : String(err) };
    }
    const done = performance.now();
    // Closed loop: what completed inside the window. Open loop: what was scheduled inside it,
    // however late it completed (dropping late replies would hide the latency of a backlog).
    if (scheduledAt < windowStart || (done > deadline && isClosedLoop)) return;
    latencies.push(done - scheduledAt);
    if (done > deadline) {
      lateRequests++;
      return;
    }
    requests++;
    bodyBytes += body.length;
    if (reply.status !== 200) {
      failedRequests++;
      firstFailure ??= `${reply.status} ${reply.text.slice(0, 300)}`;
      return;
    }
    const parsed = JSON.parse(reply.text) as { accepted?: number; duplicates?: number };
    eventsAccepted += parsed.accepted ?? 0;
    duplicates += parsed.duplicates ?? 0;
  }

  if (isClosedLoop) {
    const worker = async () => {
      while (performance.now() < deadline) await one(performance.now());
    };
    await Promise.all(Array.from({ length: config.connections }, worker));
  } else {
    // Open loop: requests go out on schedule whether or not earlier ones have finished, and
    // latency counts from the scheduled time (no coordinated omission).
    const intervalMs = 1000 / config.ratePerSec;
    const inFlight = new Set<Promise<void>>();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (started + sent * intervalMs <= now && started + sent * intervalMs < deadline) {
          const p = one(started + sent * intervalMs);
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
          sent++;
        }
        if (now >= deadline) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    await Promise.all(inFlight);
  }
  agent.destroy();

  const windowMs = Math.min(performance.now(), deadline) - windowStart;
  const sorted = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length);
  return {
    mode: config.mode,
    connections: config.connections,
    targetRatePerSec: config.ratePerSec ?? null,
    windowMs: Math.round(windowMs),
    requests,
    lateRequests,
    requestsPerSec: Math.round((requests / windowMs) * 1000),
    eventsAccepted,
    eventsPerSec: Math.round((eventsAccepted / windowMs) * 1000),
    duplicates,
    failedRequests,
    firstFailure,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: percentile(sorted, 1),
      mean: round(mean),
    },
    bodyBytesMean: Math.round(bodyBytes / Math.max(1, requests)),
  };
}

process.once('message', (config: LoadConfig) => {
  run(config).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (err: unknown) => {
      process.send?.({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () =>
        process.exit(1),
      );
    },
  );
});
