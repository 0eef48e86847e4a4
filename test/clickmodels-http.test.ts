/**
 * Click-through analytics end to end: 400 PBM lists (src/sim/click-lists.ts, seed 3) sent as
 * `$impression` / `$click` events through /v1/batch, then `POST /api/query` (kind ctr),
 * `POST /api/clickmodels/fit|replay` with a read key, and `pathwise clickmodel` on the same file.
 * Expected counts come from the generated lists themselves.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickListParams, type GeneratedList, generateClickLists, listMessages } from '../src/sim/index.js';
import { runCli } from './cli.js';
import { post, startTestServer, tempDir } from './helpers.js';

const LISTS = 400;
const params = clickListParams({ model: 'pbm', items: 40, seed: 3 });
const lists: GeneratedList[] = [...generateClickLists(params, LISTS, 3)];
const DATA = { dateRange: { from: '2024-03-01', to: '2024-03-02' } };

describe('click-through routes', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'c.duckdb');
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const read = () => ({ headers: { authorization: `Bearer ${server.readKey}` } });

  beforeAll(async () => {
    server = await startTestServer(db);
    const messages = lists.flatMap((l, i) =>
      listMessages(l, i, { startMs: Date.parse('2024-03-01T00:00:00Z'), persons: 50 }),
    );
    for (let i = 0; i < messages.length; i += 250) {
      const res = await post(
        `${server.url}/v1/batch`,
        { batch: messages.slice(i, i + 250) },
        { writeKey: server.writeKey },
      );
      expect(res.body.accepted).toBe(Math.min(250, messages.length - i));
    }
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('POST /api/query answers kind ctr: CTR by position equals the generated clicks', async () => {
    const res = await post(`${server.url}/api/query`, { kind: 'ctr', by: ['position'], ...DATA }, read());
    expect(res.status).toBe(200);
    const rows = res.body.rows as { group: { position: number }; impressions: number; clicked: number }[];
    expect(rows.map((r) => r.group.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const r of rows) {
      const clicked = lists.filter((l) => l.clicks[r.group.position - 1]).length;
      expect([r.impressions, r.clicked]).toEqual([LISTS, clicked]);
    }
    expect(res.body.clickJoin).toMatchObject({ unmatched: 0 });
  });

  it('POST /api/clickmodels/fit fits the three models and compares them on held-out lists', async () => {
    const res = await post(`${server.url}/api/clickmodels/fit`, { ...DATA, itemLimit: 5 }, read());
    expect(res.status).toBe(200);
    const body = res.body as {
      data: { items: number; trainLists: number; testLists: number };
      models: { model: string; positions: unknown[]; items: unknown[] }[];
      comparison: { model: string }[];
    };
    expect(body.data.items).toBe(new Set(lists.flatMap((l) => l.items)).size);
    expect(body.data.trainLists + body.data.testLists).toBe(LISTS);
    expect(body.models.map((m) => m.model)).toEqual(['pbm', 'cascade', 'dbn']);
    expect(body.models[0]?.positions).toHaveLength(10);
    expect(body.models[0]?.items).toHaveLength(5);
    expect(body.comparison.map((c) => c.model).sort()).toEqual(['cascade', 'dbn', 'pbm']);
  });

  it('POST /api/clickmodels/replay estimates a re-ranking over every logged list', async () => {
    const scores = Object.fromEntries(params.attractiveness.map((a, i) => [`item_${i}`, a]));
    const res = await post(`${server.url}/api/clickmodels/replay`, { ...DATA, scores }, read());
    expect(res.status).toBe(200);
    const clicks = lists.reduce((n, l) => n + l.clicks.filter(Boolean).length, 0);
    expect(res.body).toMatchObject({
      lists: LISTS,
      loggedClicksPerList: clicks / LISTS,
      unscoredImpressions: 0,
    });
  });

  it('needs a read key and a valid spec', async () => {
    const none = await post(`${server.url}/api/clickmodels/fit`, DATA);
    expect(none.status).toBe(401);
    const write = await post(`${server.url}/api/clickmodels/fit`, DATA, { writeKey: server.writeKey });
    expect(write.status).toBe(403);
    const bad = await post(`${server.url}/api/clickmodels/fit`, { ...DATA, models: ['ubm'] }, read());
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('PW_QUERY_INVALID_SPEC');
    const badCtr = await post(`${server.url}/api/query`, { kind: 'ctr', by: ['nope'] }, read());
    expect(badCtr.body.code).toBe('PW_QUERY_INVALID_SPEC');
  });

  it('pathwise clickmodel fit and replay give the same numbers on the same file', async () => {
    const http = await post(`${server.url}/api/clickmodels/fit`, { ...DATA, models: ['pbm'] }, read());
    await server.close();
    const spec = JSON.stringify(DATA);
    const fit = await runCli([
      'clickmodel',
      'fit',
      '--db',
      db,
      '--model',
      'pbm',
      '--spec',
      spec,
      '--format',
      'json',
    ]);
    expect(fit.stderr).toBe('');
    const cli = JSON.parse(fit.stdout) as { models: { positions: unknown[] }[] };
    expect(cli.models[0]?.positions).toEqual((http.body.models as { positions: unknown[] }[])[0]?.positions);
    const replay = await runCli([
      'clickmodel',
      'replay',
      '--db',
      db,
      '--spec',
      spec,
      '--scores',
      '{"item_0": 1}',
      '--format',
      'json',
    ]);
    expect(JSON.parse(replay.stdout)).toMatchObject({
      lists: LISTS,
      unscoredImpressions: LISTS * 10 - lists.filter((l) => l.items.includes(0)).length,
    });
  });
});
