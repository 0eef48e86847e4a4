/**
 * Dashboard tiles kept warm by the server (README, "Dashboard"). A dashboard with two saved
 * insights exists before any event; then two batches arrive (times 2026-03-01 10:00 UTC + s):
 *
 * | batch | userId | +s  | event      |
 * |-------|--------|-----|------------|
 * | 1     | u1     | 0   | Signed Up  |
 * | 1     | u1     | 60  | Purchased  |
 * | 1     | u2     | 0   | Signed Up  |
 * | 2     | u3     | 0   | Signed Up  |
 * | 2     | u2     | 120 | Purchased  |
 *
 * After batch 1: Signed Up total 2, funnel Signed Up → Purchased 2 → 1.
 * After batch 2: Signed Up total 3, funnel 3 → 2.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultCache, TileRefresher } from '../src/server/index.js';
import { openWarehouse } from '../src/store/index.js';
import { post, startTestServer, tempDir } from './helpers.js';

const tmp = tempDir();
let server: Awaited<ReturnType<typeof startTestServer>>;
const t = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s)).toISOString();
const track = (userId: string, event: string, s: number) => ({
  type: 'track',
  userId,
  event,
  timestamp: t(s),
});
const RANGE = { from: '2026-03-01', to: '2026-03-01' };
const TRENDS = { kind: 'trends', series: [{ event: 'Signed Up' }], interval: 'day', dateRange: RANGE };
const FUNNEL = { kind: 'funnel', steps: [{ event: 'Signed Up' }, { event: 'Purchased' }], dateRange: RANGE };

type Json = Record<string, unknown>;
let trendsId = '';
let funnelId = '';
let dashboardId = '';
const rounds: { computed: number; failed: number }[] = [];

async function call(path: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.readKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function send(batch: unknown[]): Promise<void> {
  expect((await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey })).status).toBe(200);
}

const total = (r: Json) => ((r.result as Json).series as { total: number }[])[0]?.total;
const steps = (r: Json) => ((r.result as Json).steps as { count: number }[]).map((s) => s.count);

beforeAll(async () => {
  server = await startTestServer(join(tmp.dir, 'refresh.duckdb'), {
    // The pass after a commit waits 1 s: long enough to see the stale answer in between.
    processDelayMs: 1000,
    tiles: { delayMs: 10, minIntervalMs: 50, periodMs: 0, onRound: (r) => rounds.push(r) },
  });
  const saved = async (name: string, spec: Json) =>
    String((await call('/api/insights', { name, spec })).body.insightId);
  trendsId = await saved('Sign-ups', TRENDS);
  funnelId = await saved('Purchase funnel', FUNNEL);
  const tiles = [trendsId, funnelId].map((insightId) => ({ insightId, width: 1 }));
  const board = await call('/api/dashboards', { name: 'Board', tiles });
  expect(board.status).toBe(201);
  dashboardId = String(board.body.dashboardId);
});

afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

describe('dashboard tiles refreshed by the server', () => {
  it('computes the tiles after new data, so the first viewer reads them from the cache', async () => {
    await send([track('u1', 'Signed Up', 0), track('u1', 'Purchased', 60), track('u2', 'Signed Up', 0)]);
    await server.processor.whenIdle();
    await server.tiles.whenIdle();
    expect(rounds.at(-1)).toMatchObject({ computed: 2, failed: 0 });
    const trends = await call(`/api/insights/${trendsId}/result`, {});
    const funnel = await call(`/api/insights/${funnelId}/result`, {});
    expect(trends.body).toMatchObject({ isCached: true, isStale: false });
    expect(funnel.body).toMatchObject({ isCached: true, isStale: false });
    expect(total(trends.body)).toBe(2);
    expect(steps(funnel.body)).toEqual([2, 1]);
    // The same numbers as POST /api/query for the same spec.
    expect(funnel.body.result).toEqual((await call('/api/query', FUNNEL)).body);
  });

  it('flags a result as stale once new data is committed, then serves the new numbers after the refresh', async () => {
    const before = await call(`/api/insights/${trendsId}/result`, {});
    const committedAt = Date.now();
    await send([track('u3', 'Signed Up', 0), track('u2', 'Purchased', 120)]);
    // Committed, not yet processed: the old result is answered with its age, marked stale.
    const stale = await call(`/api/insights/${trendsId}/result`, {});
    expect(stale.body).toMatchObject({ isCached: true, isStale: true, computedAt: before.body.computedAt });
    expect(Date.parse(String(stale.body.computedAt))).toBeLessThanOrEqual(committedAt);
    expect(total(stale.body)).toBe(2);
    await server.processor.whenIdle();
    await server.tiles.whenIdle();
    const trends = await call(`/api/insights/${trendsId}/result`, {});
    const funnel = await call(`/api/insights/${funnelId}/result`, {});
    expect(trends.body).toMatchObject({ isCached: true, isStale: false });
    expect(Date.parse(String(trends.body.computedAt))).toBeGreaterThanOrEqual(committedAt);
    expect(total(trends.body)).toBe(3);
    expect(steps(funnel.body)).toEqual([3, 2]);
  });

  it("answers every tile's result of a dashboard in one request, from the same cache", async () => {
    const all = await call(`/api/dashboards/${dashboardId}/results`, {});
    const results = all.body.results as Json[];
    expect(results.map((r) => r.insightId).sort()).toEqual([trendsId, funnelId].sort());
    const byId = new Map(results.map((r) => [r.insightId, r]));
    expect(byId.get(trendsId)).toMatchObject({ isCached: true, isStale: false });
    expect(total(byId.get(trendsId) as Json)).toBe(3);
    expect(steps(byId.get(funnelId) as Json)).toEqual([3, 2]);
  });

  it('recomputes on request (the Refresh button) with the same numbers', async () => {
    const forced = await call(`/api/insights/${funnelId}/result`, { maxAgeSec: 0 });
    expect(forced.body).toMatchObject({ isCached: false, isStale: false });
    expect(steps(forced.body)).toEqual([3, 2]);
  });
});

describe('TileRefresher', () => {
  it('reports a failing round instead of throwing, and stops on close', async () => {
    const wh = await openWarehouse({ path: join(tmp.dir, 'closed.duckdb') });
    await wh.close();
    const errors: unknown[] = [];
    const refresher = new TileRefresher(wh, new ResultCache(), {
      delayMs: 1,
      periodMs: 0,
      onError: (err) => errors.push(err),
    });
    refresher.notify();
    await refresher.whenIdle();
    expect(errors).toHaveLength(1);
    await refresher.close();
    refresher.notify();
    await refresher.whenIdle();
    expect(errors).toHaveLength(1);
  });
});
