/** Real-time scoring latency for bench/ctr.ts: a real server, a stored model, 100 candidates a request. */
import { join } from 'node:path';
import { type CtrModelConfig, encodeWeights, numericStatsOf, trainCtrModel } from '../src/models/index.js';
import { startServer } from '../src/server/index.js';
import { FEED_ITEMS, type SimImpression, simulateImpressions } from '../src/sim/index.js';
import { saveModel } from '../src/store/index.js';

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function trainSmallModel(features: CtrModelConfig['features']) {
  const rows: SimImpression[] = [...simulateImpressions({ seed: 3, impressions: 200_000 })].flat();
  const numericStats = numericStatsOf(
    rows.map((r) => r.values),
    features.numeric ?? [],
  );
  const { model } = await trainCtrModel({
    config: { features, hashBits: 20 },
    train: () => [rows],
    rows: rows.length,
    positives: rows.reduce((s, r) => s + r.label, 0),
    numericStats,
  });
  return model;
}

const CONTEXT = { list_id: 'home_feed', device_type: 'mobile', hour: 20 };

/** 100 candidates: ten items at each of the ten positions. */
function candidates() {
  return FEED_ITEMS.slice(0, 10).flatMap((item) =>
    Array.from({ length: 10 }, (_, k) => ({
      item_id: item.item_id,
      position: k + 1,
      item_category: item.item_category,
      item_age_h: 12 + k,
    })),
  );
}

/** Client-side latencies (ms, sorted) of `requests` sequential scoring calls after 200 warm-up calls. */
async function measure(url: string, readKey: string, calls: number): Promise<number[]> {
  const body = JSON.stringify({ candidates: candidates(), context: CONTEXT });
  const send = async () => {
    const res = await fetch(`${url}/api/models/bench/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' },
      body,
    });
    if (res.status !== 200) throw new Error(`predict answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < 200; i++) await send();
  const times: number[] = [];
  for (let i = 0; i < calls - 200; i++) {
    const t0 = performance.now();
    await send();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** Latency percentiles of POST /api/models/bench/predict with 100 candidates, over one keep-alive connection. */
export async function predictLatency(dir: string, requests: number, features: CtrModelConfig['features']) {
  const model = await trainSmallModel(features);
  const server = await startServer({ db: join(dir, 'latency.duckdb'), port: 0, host: '127.0.0.1' });
  try {
    await saveModel(server.wh, {
      projectId: 'default',
      name: 'bench',
      kind: 'ctr',
      spec: { features },
      trainFromUs: null,
      trainToUs: null,
      testFromUs: null,
      testToUs: null,
      metrics: {},
      params: model.params,
      weights: encodeWeights(model.weights),
    });
    const cpu = process.cpuUsage();
    const times = await measure(server.url, server.createdProject?.readKey ?? '', requests + 200);
    const used = process.cpuUsage(cpu);
    const batch = candidates();
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) model.predictMany(batch, CONTEXT);
    return {
      requests,
      candidatesPerRequest: batch.length,
      p50Ms: percentile(times, 0.5),
      p90Ms: percentile(times, 0.9),
      p99Ms: percentile(times, 0.99),
      maxMs: times.at(-1),
      // Client and server share this process: CPU per request bounds the latency on an idle core.
      cpuMsPerRequest: (used.user + used.system) / 1000 / (requests + 200),
      scoringOnlyUsPer100: ((performance.now() - t0) * 1000) / 2000,
    };
  } finally {
    await server.close();
  }
}
