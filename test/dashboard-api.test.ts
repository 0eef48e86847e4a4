/**
 * The API routes the dashboard adds, on a hand-made project (times are 2026-03-01 UTC + s):
 *
 * | request | who (anonymousId/userId) | +s  | call                                      |
 * |---------|--------------------------|-----|-------------------------------------------|
 * | 1       | a1                       | 0   | page /a                                   |
 * | 1       | a1 → u1                  | 30  | identify, traits {email: ann@example.com} |
 * | 1       | a1 / u1                  | 60  | track Signed Up {plan: pro}               |
 * | 1       | u2                       | 0   | page /b                                   |
 * | 1       | u2                       | 90  | track Signed Up {plan: free}              |
 * | 2       | a3                       | 10  | track Clicked {plan: pro, n: 100%_off}    |
 *
 * Request 2 is sent after request 1, so its event is the newest received. Persons: u1 (a1, u1),
 * u2, a3. Event names: $pageview 2, Signed Up 2, $identify 1, Clicked 1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, issueApiKey } from '../src/store/index.js';
import { post, startTestServer, tempDir } from './helpers.js';

const tmp = tempDir();
const webRoot = join(tmp.dir, 'web');
let server: Awaited<ReturnType<typeof startTestServer>>;
/** Keys with `view`, `query` and `pii` (person-level routes); the default read key has no `pii`. */
let piiKey: string;
let otherPiiKey: string;
let otherReadKey: string;
const t = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s)).toISOString();
const page = (who: Record<string, string>, s: number, path: string) => ({
  type: 'page',
  ...who,
  timestamp: t(s),
  context: { page: { url: `https://shop.test${path}` } },
});

type Json = Record<string, unknown>;

async function call(method: string, path: string, body?: unknown, key = piiKey) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
}

beforeAll(async () => {
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>test dashboard</title>');
  writeFileSync(join(webRoot, 'assets', 'app-1234.js'), 'console.log(1)');
  server = await startTestServer(join(tmp.dir, 'api.duckdb'), { webRoot });
  const first = [
    page({ anonymousId: 'a1' }, 0, '/a'),
    {
      type: 'identify',
      anonymousId: 'a1',
      userId: 'u1',
      traits: { email: 'ann@example.com' },
      timestamp: t(30),
    },
    {
      type: 'track',
      event: 'Signed Up',
      anonymousId: 'a1',
      userId: 'u1',
      properties: { plan: 'pro' },
      timestamp: t(60),
    },
    page({ userId: 'u2' }, 0, '/b'),
    { type: 'track', event: 'Signed Up', userId: 'u2', properties: { plan: 'free' }, timestamp: t(90) },
  ];
  expect((await post(`${server.url}/v1/batch`, { batch: first }, { writeKey: server.writeKey })).status).toBe(
    200,
  );
  const second = [
    {
      type: 'track',
      event: 'Clicked',
      anonymousId: 'a3',
      properties: { plan: 'pro', n: '100%_off' },
      timestamp: t(10),
    },
  ];
  expect(
    (await post(`${server.url}/v1/batch`, { batch: second }, { writeKey: server.writeKey })).status,
  ).toBe(200);
  await server.processor.whenIdle();
  const other = await createProject(server.wh, 'other');
  otherReadKey = other.readKey;
  const scopes = ['view', 'query', 'pii'];
  piiKey = (await issueApiKey(server.wh, { projectId: 'default', scopes })).key;
  otherPiiKey = (await issueApiKey(server.wh, { projectId: other.project.projectId, scopes })).key;
});

afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

describe('GET /api/events (live tail)', () => {
  it('lists the newest received first, then by event time', async () => {
    const r = await call('GET', '/api/events');
    const events = r.body.events as Json[];
    expect(events.map((e) => e.event)).toEqual([
      'Clicked',
      'Signed Up',
      'Signed Up',
      '$identify',
      '$pageview',
      '$pageview',
    ]);
    expect(events[0]).toMatchObject({ personId: 'a3', properties: { plan: 'pro', n: '100%_off' } });
  });

  it('filters by event name, by property (set, or equal to a value) and by person', async () => {
    const names = async (qs: string) =>
      ((await call('GET', `/api/events?${qs}`)).body.events as Json[]).map((e) => `${e.event}:${e.personId}`);
    expect(await names('event=Signed%20Up')).toEqual(['Signed Up:u2', 'Signed Up:u1']);
    expect(await names('property=plan&value=pro')).toEqual(['Clicked:a3', 'Signed Up:u1']);
    expect(await names('property=plan')).toEqual(['Clicked:a3', 'Signed Up:u2', 'Signed Up:u1']);
    expect(await names('person=u1')).toEqual(['Signed Up:u1', '$identify:u1', '$pageview:u1']);
    expect(await names('event=Signed%20Up&property=plan&value=free')).toEqual(['Signed Up:u2']);
    expect(await names('limit=2')).toEqual(['Clicked:a3', 'Signed Up:u2']);
  });

  it('rejects a limit over 1000 and shows nothing of another project', async () => {
    expect((await call('GET', '/api/events?limit=1001')).body.code).toBe('PW_REQUEST_INVALID');
    expect((await call('GET', '/api/events', undefined, otherPiiKey)).body.events).toEqual([]);
  });

  it('needs the pii scope, which the default read key lacks', async () => {
    for (const path of ['/api/events', '/api/persons', '/api/persons/u1']) {
      const r = await call('GET', path, undefined, server.readKey);
      expect(r, path).toMatchObject({
        status: 403,
        body: { code: 'PW_AUTH_WRONG_SCOPE', details: { scope: 'pii' } },
      });
    }
    expect((await call('GET', '/api/catalog', undefined, server.readKey)).status).toBe(200);
  });
});

describe('GET /api/catalog', () => {
  it('counts event names and lists property keys', async () => {
    const r = await call('GET', '/api/catalog');
    expect(r.body.events).toEqual([
      { name: '$pageview', count: 2 },
      { name: 'Signed Up', count: 2 },
      { name: '$identify', count: 1 },
      { name: 'Clicked', count: 1 },
    ]);
    expect(r.body.properties).toEqual(expect.arrayContaining(['plan', 'n']));
    expect((await call('GET', '/api/catalog?event=Signed%20Up')).body.properties).toEqual(['plan']);
  });
});

describe('GET /api/persons and /api/persons/:id', () => {
  it('finds persons by trait, distinct id or id; % and _ are plain characters', async () => {
    const ids = async (q: string) =>
      ((await call('GET', `/api/persons?q=${encodeURIComponent(q)}`)).body.items as Json[]).map(
        (p) => p.person_id,
      );
    expect(await ids('ANN@example')).toEqual(['u1']);
    expect(await ids('a1')).toEqual(['u1']);
    expect(await ids('u2')).toEqual(['u2']);
    expect((await ids('')).sort()).toEqual(['a3', 'u1', 'u2']);
    expect(await ids('%')).toEqual([]);
    const page2 = await call('GET', '/api/persons?limit=1&offset=1');
    expect(page2.body.total).toBe(3);
    expect((page2.body.items as Json[]).length).toBe(1);
  });

  it("returns a person's profile and sessions by person id or distinct id, 404 otherwise", async () => {
    const r = await call('GET', '/api/persons/a1');
    expect(r.status).toBe(200);
    expect(r.body.person).toMatchObject({ person_id: 'u1', traits: { email: { value: 'ann@example.com' } } });
    expect((r.body.distinctIds as Json[]).map((d) => d.distinct_id)).toEqual(['a1', 'u1']);
    const sessions = r.body.sessions as { events: Json[]; duration_sec: number }[];
    expect(sessions.length).toBe(1);
    expect(sessions[0]?.duration_sec).toBe(60);
    expect(sessions[0]?.events.map((e) => e.event)).toEqual(['$pageview', '$identify', 'Signed Up']);
    const missing = await call('GET', '/api/persons/nobody');
    expect(missing).toMatchObject({ status: 404, body: { code: 'PW_PERSON_NOT_FOUND' } });
  });
});

describe('saved insights and dashboards', () => {
  const funnel = { kind: 'funnel', steps: [{ event: '$pageview' }, { event: 'Signed Up' }] };

  it('creates, reads, updates and deletes an insight; its spec must be a valid query', async () => {
    const created = await call('POST', '/api/insights', { name: 'Signup funnel', spec: funnel });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Signup funnel',
      kind: 'funnel',
      spec: funnel,
      description: null,
    });
    const id = String(created.body.insightId);
    const sessions = { kind: 'sessions', from: '2026-03-01', to: '2026-03-01' };
    const updated = await call('PUT', `/api/insights/${id}`, {
      name: 'Sessions',
      description: 'd',
      spec: sessions,
    });
    expect(updated.body).toMatchObject({
      insightId: id,
      name: 'Sessions',
      kind: 'sessions',
      description: 'd',
    });
    expect((await call('GET', `/api/insights/${id}`)).body.spec).toEqual(sessions);
    expect(((await call('GET', '/api/insights')).body.insights as Json[]).map((i) => i.insightId)).toContain(
      id,
    );
    expect((await call('GET', '/api/insights', undefined, otherReadKey)).body.insights).toEqual([]);
    expect((await call('GET', `/api/insights/${id}`, undefined, otherReadKey)).status).toBe(404);

    const bad = await call('POST', '/api/insights', { name: 'x', spec: { kind: 'funnel', steps: [] } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'PW_QUERY_INVALID_SPEC' } });
    const unknown = await call('POST', '/api/insights', { name: 'x', spec: { kind: 'nope' } });
    expect(unknown.body.code).toBe('PW_QUERY_UNKNOWN_KIND');
    expect((await call('POST', '/api/insights', { name: '', spec: funnel })).body.code).toBe(
      'PW_REQUEST_INVALID',
    );

    expect((await call('DELETE', `/api/insights/${id}`)).body).toEqual({ deleted: true });
    expect(await call('GET', `/api/insights/${id}`)).toMatchObject({
      status: 404,
      body: { code: 'PW_INSIGHT_NOT_FOUND' },
    });
  });

  it('keeps dashboard tiles in order, refuses unknown insights, and drops a deleted insight', async () => {
    const a = String((await call('POST', '/api/insights', { name: 'A', spec: funnel })).body.insightId);
    const b = String((await call('POST', '/api/insights', { name: 'B', spec: funnel })).body.insightId);
    const unknown = await call('POST', '/api/dashboards', {
      name: 'D',
      tiles: [{ insightId: 'ins_nope', width: 1 }],
    });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'PW_DASHBOARD_BAD_TILE' } });
    const created = await call('POST', '/api/dashboards', {
      name: 'D',
      tiles: [
        { insightId: a, width: 1 },
        { insightId: b, width: 2 },
      ],
    });
    expect(created.status).toBe(201);
    const id = String(created.body.dashboardId);
    const swapped = await call('PUT', `/api/dashboards/${id}`, {
      name: 'D2',
      tiles: [
        { insightId: b, width: 2 },
        { insightId: a, width: 1 },
      ],
    });
    expect(swapped.body).toMatchObject({ name: 'D2', tiles: [{ insightId: b }, { insightId: a }] });
    // Without tiles, an update keeps them.
    expect((await call('PUT', `/api/dashboards/${id}`, { name: 'D3' })).body.tiles).toEqual(
      swapped.body.tiles,
    );
    await call('DELETE', `/api/insights/${b}`);
    expect((await call('GET', `/api/dashboards/${id}`)).body.tiles).toEqual([{ insightId: a, width: 1 }]);
    expect((await call('GET', '/api/dashboards', undefined, otherReadKey)).body.dashboards).toEqual([]);
    expect((await call('DELETE', `/api/dashboards/${id}`)).body).toEqual({ deleted: true });
    expect(await call('GET', `/api/dashboards/${id}`)).toMatchObject({
      status: 404,
      body: { code: 'PW_DASHBOARD_NOT_FOUND' },
    });
    expect(
      (await call('PUT', '/api/dashboards/x', { name: 'x', tiles: [{ insightId: a, width: 3 }] })).status,
    ).toBe(400);
  });

  it('runs a saved insight over its own or another range, and answers again from the cache', async () => {
    const spec = { ...funnel, dateRange: { from: '2026-03-01', to: '2026-03-01' } };
    const id = String((await call('POST', '/api/insights', { name: 'R', spec })).body.insightId);
    const direct = await call('POST', '/api/query', spec);
    const first = await call('POST', `/api/insights/${id}/result`, {});
    expect(first.body).toMatchObject({ insightId: id, isCached: false, result: direct.body });
    expect((direct.body.steps as Json[]).map((s) => s.count)).toEqual([2, 2]);
    const again = await call('POST', `/api/insights/${id}/result`, {});
    expect(again.body).toMatchObject({
      isCached: true,
      computedAt: first.body.computedAt,
      result: direct.body,
    });
    expect((await call('POST', `/api/insights/${id}/result`, { maxAgeSec: 0 })).body.isCached).toBe(false);
    // Another range: a day without events.
    const other = await call('POST', `/api/insights/${id}/result`, {
      dateRange: { from: '2026-02-01', to: '2026-02-01' },
    });
    expect((other.body.result as { steps: Json[] }).steps.map((s) => s.count)).toEqual([0, 0]);
    const sessions = { kind: 'sessions', from: '2026-02-01', to: '2026-02-01' };
    const sid = String((await call('POST', '/api/insights', { name: 'S', spec: sessions })).body.insightId);
    const moved = await call('POST', `/api/insights/${sid}/result`, { from: '2026-03-01', to: '2026-03-01' });
    expect((moved.body.result as Json).sessions).toBe(3);
    expect((await call('POST', `/api/insights/${id}/result`, {}, otherReadKey)).status).toBe(404);
  });

  it('lets a view-only key read dashboards and results, not save', async () => {
    const viewKey = (await issueApiKey(server.wh, { projectId: 'default', scopes: ['view'] })).key;
    const id = String((await call('POST', '/api/insights', { name: 'V', spec: funnel })).body.insightId);
    const board = await call('POST', '/api/dashboards', { name: 'V', tiles: [{ insightId: id, width: 1 }] });
    expect((await call('GET', `/api/dashboards/${board.body.dashboardId}`, undefined, viewKey)).status).toBe(
      200,
    );
    expect((await call('GET', '/api/insights', undefined, viewKey)).status).toBe(200);
    expect((await call('POST', `/api/insights/${id}/result`, {}, viewKey)).status).toBe(200);
    const save = await call('POST', '/api/insights', { name: 'W', spec: funnel }, viewKey);
    expect(save).toMatchObject({
      status: 403,
      body: { code: 'PW_AUTH_WRONG_SCOPE', details: { scope: 'query' } },
    });
    expect((await call('POST', '/api/query', funnel, viewKey)).status).toBe(403);
  });

  it('records migration 5 in schema_migrations', async () => {
    const rows = await server.wh.all({ sql: 'SELECT version FROM schema_migrations ORDER BY version' });
    expect(rows.map((r) => r.version)).toContain(5);
  });
});

describe('the dashboard pages', () => {
  it('serves index.html at / and at every page URL, without caching', async () => {
    for (const path of ['/', '/funnels', '/people/u1', '/dashboards/dash_x']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('test dashboard');
    }
    expect((await fetch(`${server.url}/not-a-page`)).status).toBe(404);
  });

  it('serves hashed assets with long caching and nothing outside assets/', async () => {
    const res = await fetch(`${server.url}/assets/app-1234.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(await res.text()).toBe('console.log(1)');
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/assets/..%2findex.html`)).status).toBeGreaterThanOrEqual(400);
  });
});
