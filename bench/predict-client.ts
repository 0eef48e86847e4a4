/**
 * The load client of bench/ctr's scoring latency, run as a child process (fork). It gets a
 * PredictLoad over IPC, sends `warmup` requests, says `{ warmed: true }` and waits for `go`
 * (the parent marks the server's CPU then), sends `requests` more and answers with a
 * PredictLoadResult. Sequential requests over one keep-alive connection, a pre-serialized body,
 * node:http (lighter than fetch); latency is from the write of the request to the end of the reply.
 */
import http from 'node:http';

/** What the parent asks for. */
export interface PredictLoad {
  readonly port: number;
  readonly path: string;
  readonly readKey: string;
  readonly body: string;
  readonly warmup: number;
  readonly requests: number;
}

/** Latencies (ms) of the measured requests, after warm-up. */
export interface PredictLoadResult {
  readonly requests: number;
  readonly latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
  /** The 10 slowest, in the order they happened, with their index: bursts or spread out. */
  readonly slowest: readonly { index: number; ms: number }[];
  readonly clientCpuMsPerRequest: number;
}

function percentile(sorted: Float64Array, q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return round(sorted[i] as number);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

async function run(load: PredictLoad): Promise<PredictLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = Buffer.from(load.body, 'utf8');
  const headers = {
    authorization: `Bearer ${load.readKey}`,
    'content-type': 'application/json',
    'content-length': body.length,
  };
  const send = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        { agent, host: '127.0.0.1', port: load.port, path: load.path, method: 'POST', headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 200) resolve();
            else reject(new Error(`predict answered ${res.statusCode}: ${Buffer.concat(chunks)}`));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < load.warmup; i++) await send();
  await new Promise<void>((resolve) => {
    process.send?.({ warmed: true });
    process.once('message', () => resolve());
  });
  const cpu = process.cpuUsage();
  const times = new Float64Array(load.requests);
  for (let i = 0; i < load.requests; i++) {
    const t0 = performance.now();
    await send();
    times[i] = performance.now() - t0;
  }
  const used = process.cpuUsage(cpu);
  agent.destroy();
  const slowest = [...times.keys()]
    .sort((a, b) => (times[b] as number) - (times[a] as number))
    .slice(0, 10)
    .sort((a, b) => a - b)
    .map((index) => ({ index, ms: round(times[index] as number) }));
  const mean = times.reduce((s, x) => s + x, 0) / times.length;
  const sorted = times.slice().sort();
  return {
    requests: load.requests,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      p999: percentile(sorted, 0.999),
      max: percentile(sorted, 1),
      mean: round(mean),
    },
    slowest,
    clientCpuMsPerRequest: round((used.user + used.system) / 1000 / load.requests),
  };
}

process.once('message', (load: PredictLoad) => {
  run(load).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (err: unknown) => {
      process.send?.({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () =>
        process.exit(1),
      );
    },
  );
});
