/**
 * CTR models end to end on the simulator's `feed` scenario (planted truth: home_feed clicks follow
 * a position-based model P = examination[position] × attractiveness[item], search_results a
 * cascade): the archive is imported into a temp DuckDB file through the real import path, a
 * model is trained with `pathwise model train ctr` (a child process) and another over HTTP (a job),
 * and candidates are scored with `POST /api/models/:name/predict` and `pathwise model predict`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, startIngest } from '../src/ingest/index.js';
import { processNewEvents, type RunningServer, startServer } from '../src/server/index.js';
import { FEED, FEED_ITEMS, Simulation, writeJsonlFile } from '../src/sim/index.js';
import { ensureDefaultProject, openWarehouse } from '../src/store/index.js';
import { runCli } from './cli.js';
import { post, tempDir } from './helpers.js';

const SPEC = {
  kind: 'ctr',
  dateRange: { from: '2026-02-15', to: '2026-03-14' },
  features: {
    categorical: ['item_id', 'position', 'list_id', 'item.item_category', 'device_type', 'hour'],
    crosses: [
      ['list_id', 'position'],
      ['device_type', 'hour'],
    ],
  },
  hashBits: 18,
  trainer: { algorithm: 'lbfgs', l2: 1e-6, maxIterations: 50 },
  evaluation: { importanceRows: 5000, permutationRepeats: 1 },
};

/** Planted P(click) of an item shown at a position of home_feed (position-based model). */
function plantedPbm(itemId: string, position: number): number {
  const item = FEED_ITEMS.find((i) => i.item_id === itemId);
  return (FEED.examination[position - 1] ?? 0) * (item?.attractiveness ?? 0);
}

/** Spearman's rank correlation (no ties in these inputs). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (xs: readonly number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    order.forEach(([, i], k) => {
      r[i] = k;
    });
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const d2 = ra.reduce((s, r, i) => s + (r - (rb[i] as number)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/** 100 candidates: ten items (spread over attractiveness) at each of the ten positions of home_feed. */
const CANDIDATES = [...FEED_ITEMS]
  .sort((a, b) => a.attractiveness - b.attractiveness)
  .filter((_, i) => i % 30 === 15)
  .flatMap((item) =>
    Array.from({ length: 10 }, (_, k) => ({
      item_id: item.item_id,
      position: k + 1,
      'item.item_category': item.item_category,
    })),
  );
const CONTEXT = { list_id: 'home_feed', device_type: 'mobile', hour: 20 };

describe('CTR models over CLI and HTTP', () => {
  const tmp = tempDir('pathwise-models-');
  const db = join(tmp.dir, 'feed.duckdb');
  let readKey = '';
  let server: RunningServer;
  const auth = () => ({ headers: { authorization: `Bearer ${readKey}` } });

  beforeAll(async () => {
    const sim = new Simulation({ scenario: 'feed', users: 700, days: 28, seed: 21, end: '2026-03-15' });
    const file = join(tmp.dir, 'feed.jsonl');
    await writeJsonlFile(sim, file);
    const wh = await openWarehouse({ path: db });
    try {
      readKey = (await ensureDefaultProject(wh))?.readKey ?? '';
      const writer = await startIngest(wh);
      await importFile(wh, writer, file, { projectId: 'default' });
      await writer.close();
      await processNewEvents(wh);
    } finally {
      await wh.close();
    }
    writeFileSync(join(tmp.dir, 'spec.json'), JSON.stringify(SPEC));
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('`model train ctr` trains, evaluates and stores version 1 with its ranges and metrics', async () => {
    const res = await runCli(
      ['model', 'train', 'ctr', '--spec', join(tmp.dir, 'spec.json'), '--name', 'feed', '--db', db],
      {
        timeoutMs: 120_000,
      },
    );
    expect(res.stderr).toBe('');
    const shown = JSON.parse(res.stdout);
    expect(shown).toMatchObject({ name: 'feed', version: 1, kind: 'ctr' });
    expect(shown.trainRange.to).toBe(shown.testRange.from);
    const { test, data, summary } = shown.metrics;
    expect(data.testRows).toBe(test.rows);
    expect(data.unmatchedClicks).toBe(0);
    expect(test.rocAuc).toBeGreaterThan(0.7);
    expect(test.ece).toBeLessThan(0.01);
    expect(summary).toContain('What drives CTR');
  }, 150_000);

  it('scores 100 home_feed candidates over HTTP in the order of their planted probabilities', async () => {
    server = await startServer({ db, port: 0, host: '127.0.0.1' });
    const res = await post(
      `${server.url}/api/models/feed/predict`,
      { candidates: CANDIDATES, context: CONTEXT },
      auth(),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'feed', version: 1 });
    const predictions = res.body.predictions as number[];
    expect(predictions).toHaveLength(100);
    const planted = CANDIDATES.map((c) => plantedPbm(c.item_id, c.position));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The model orders the candidates as the planted model does, and is right on average.
    expect(spearman(predictions, planted)).toBeGreaterThan(0.9);
    expect(Math.abs(mean(predictions) / mean(planted) - 1)).toBeLessThan(0.15);
    // The same stored model scores the same through the CLI (read-only open is refused while serving).
    await server.close();
    const cli = await runCli([
      'model',
      'predict',
      'feed',
      '--candidates',
      JSON.stringify({ candidates: CANDIDATES, context: CONTEXT }),
      '--db',
      db,
    ]);
    expect(JSON.parse(cli.stdout).predictions).toEqual(predictions);
    const list = await runCli(['model', 'list', '--format', 'json', '--db', db]);
    expect(JSON.parse(list.stdout)).toMatchObject({ name: 'feed', version: 1, versions: 1, kind: 'ctr' });
  });

  it('trains over HTTP as a job with progress, then lists, shows and scores the new model', async () => {
    server = await startServer({ db, port: 0, host: '127.0.0.1' });
    const spec = { ...SPEC, trainer: { algorithm: 'ftrl' } };
    const started = await post(`${server.url}/api/models/feed-ftrl/train`, spec, auth());
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      name: 'feed-ftrl',
      status: expect.stringMatching(/queued|running/),
    });
    let job = started.body;
    const seen = new Set<number>();
    for (let i = 0; i < 600 && job.status !== 'succeeded' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${server.url}/api/models/jobs/${job.jobId}`, auth());
      job = (await res.json()) as Record<string, unknown>;
      seen.add((job.progress as { fraction: number }).fraction);
    }
    expect(job).toMatchObject({ status: 'succeeded', model: { name: 'feed-ftrl', version: 1 }, error: null });
    expect(seen.size).toBeGreaterThan(1);
    const list = (await (await fetch(`${server.url}/api/models`, auth())).json()) as {
      models: { name: string }[];
    };
    expect(list.models.map((m) => m.name)).toEqual(['feed', 'feed-ftrl']);
    const shown = (await (await fetch(`${server.url}/api/models/feed-ftrl`, auth())).json()) as {
      metrics: { training: { algorithm: string } };
    };
    expect(shown.metrics.training.algorithm).toBe('ftrl');
    const scored = await post(
      `${server.url}/api/models/feed-ftrl/predict`,
      { candidates: CANDIDATES, context: CONTEXT },
      auth(),
    );
    expect(scored.body.predictions).toHaveLength(100);
  }, 120_000);

  it('answers errors with their codes (unknown model, bad spec, bad candidates, unknown job, no key) and documents the routes', async () => {
    const missing = await post(
      `${server.url}/api/models/nope/predict`,
      { candidates: [{ item_id: 'x' }] },
      auth(),
    );
    expect([missing.status, missing.body.code]).toEqual([404, 'PW_MODEL_NOT_FOUND']);
    const badSpec = await post(
      `${server.url}/api/models/x/train`,
      { features: { categorical: ['item_id'] }, hashBits: 40 },
      auth(),
    );
    expect([badSpec.status, badSpec.body.code]).toEqual([400, 'PW_MODEL_INVALID_SPEC']);
    expect(String(badSpec.body.message)).toContain('/hashBits');
    const badCandidates = await post(
      `${server.url}/api/models/feed/predict`,
      { candidates: [{ item_id: { a: 1 } }] },
      auth(),
    );
    expect([badCandidates.status, badCandidates.body.code]).toEqual([400, 'PW_MODEL_INVALID_CANDIDATES']);
    const job = await fetch(`${server.url}/api/models/jobs/nope`, auth());
    expect(job.status).toBe(404);
    const anonymous = await post(`${server.url}/api/models/feed/predict`, { candidates: [{ item_id: 'x' }] });
    expect(anonymous.status).toBe(401);
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/models', '/api/models/{name}/train', '/api/models/{name}/predict']),
    );
  });

  it('a job over a range without impressions fails with PW_MODEL_NO_DATA', async () => {
    const spec = { ...SPEC, dateRange: { from: '2020-01-01', to: '2020-01-31' } };
    const started = await post(`${server.url}/api/models/empty/train`, spec, auth());
    let job = started.body;
    for (let i = 0; i < 100 && job.status !== 'failed' && job.status !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await (await fetch(`${server.url}/api/models/jobs/${job.jobId}`, auth())).json()) as Record<
        string,
        unknown
      >;
    }
    expect(job).toMatchObject({ status: 'failed', error: { code: 'PW_MODEL_NO_DATA' } });
  });
});
