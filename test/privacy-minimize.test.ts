import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server/index.js';
import { createProject, updatePrivacySettings } from '../src/store/index.js';
import { post, startTestServer, tempDir } from './helpers.js';
import { call, directScan, privilegedKey } from './privacy-helpers.js';

const DAY_MS = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

describe('minimization at ingest, sensitive events, retention', () => {
  const tmp = tempDir();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: string;
  const row = async (messageId: string) =>
    (await server.wh.all({ sql: 'SELECT * FROM events WHERE message_id = $1', params: [messageId] }))[0] ??
    {};

  beforeAll(async () => {
    server = await startTestServer(`${tmp.dir}/minimize.duckdb`);
    admin = await privilegedKey(server.wh);
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('changes settings with an admin key only, and rejects unknown settings', async () => {
    const settings = {
      ipMode: 'truncate',
      maskBuiltins: ['email', 'card'],
      maskKeys: ['password'],
      maskPatterns: ['ACCT-\\d+'],
      sensitiveEvents: ['health_*'],
      sensitiveCategories: ['health'],
      retentionDays: 395,
    };
    expect((await call(`${server.url}/api/privacy/settings`, server.readKey, 'PATCH', settings)).status).toBe(
      403,
    );
    const res = await call(`${server.url}/api/privacy/settings`, admin, 'PATCH', settings);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...settings, isCookieless: false });
    const bad = await call(`${server.url}/api/privacy/settings`, admin, 'PATCH', { ipMod: 'drop' });
    expect(bad.status).toBe(400);
    const badRegex = await call(`${server.url}/api/privacy/settings`, admin, 'PATCH', {
      maskPatterns: ['('],
    });
    expect(badRegex.body.code).toBe('PW_CONFIG_INVALID');
  });

  it('truncates addresses after the country lookup and masks before storage', async () => {
    const batch = [
      {
        type: 'page',
        messageId: 'v4',
        anonymousId: 'dev-1',
        properties: {
          email: 'jane.doe@example.com',
          password: 'hunter2',
          ref: 'ACCT-4242',
          card: '4111-1111-1111-1111',
        },
        context: { ip: '8.8.8.8', page: { url: 'https://shop.example/join?email=jane.doe%40example.com' } },
      },
      {
        type: 'track',
        event: 'viewed',
        messageId: 'v6',
        anonymousId: 'dev-1',
        context: { ip: '2001:4860:4860::8888' },
      },
      {
        type: 'track',
        event: 'viewed',
        messageId: 'bad',
        anonymousId: 'dev-1',
        timestamp: 'no',
        properties: { email: 'jane.doe@example.com' },
      },
    ];
    await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    const v4 = await row('v4');
    expect(v4).toMatchObject({ ip: '8.8.8.0', country: 'US', search: 'email=[email]' });
    expect(JSON.parse(String(v4.context)).ip).toBe('8.8.8.0');
    expect(JSON.parse(String(v4.properties))).toEqual({
      email: '[email]',
      password: '[masked]',
      ref: '[masked]',
      card: '[card]',
    });
    expect((await row('v6')).ip).toBe('2001:4860:4860::');
    // No table keeps the email, the password or the full addresses; the rejected payload is masked too.
    expect(await directScan(server.wh, ['jane.doe', 'hunter2', '8.8.8.8', '4860::8888'])).toEqual({});
    const rejected = await server.wh.all({ sql: 'SELECT raw FROM rejected_events' });
    expect(String(rejected[0]?.raw)).toContain('[email]');
  });

  it('leaves sensitive events out of reports but keeps them stored', async () => {
    const batch = [
      { type: 'track', event: 'health_search', anonymousId: 'dev-2', properties: { q: 'symptoms' } },
      { type: 'page', anonymousId: 'dev-2', properties: { category: 'health', path: '/conditions' } },
      { type: 'page', anonymousId: 'dev-2', properties: { category: 'shoes', path: '/shoes' } },
    ];
    await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    const spec = {
      kind: 'trends',
      interval: 'day',
      dateRange: { last: '2d' },
      series: [{ event: 'health_search' }, { event: '$pageview' }],
    };
    const res = await call(`${server.url}/api/query`, server.readKey, 'POST', spec);
    expect(res.status).toBe(200);
    const totals = (res.body.series as { total: number }[]).map((s) => s.total);
    // $pageview: the masked page of the previous test and the shoes page; not the health page.
    expect(totals).toEqual([0, 2]);
    const stored = await server.wh.all({
      sql: "SELECT count(*) AS n FROM events WHERE event = 'health_search'",
    });
    expect(Number(stored[0]?.n)).toBe(1);
  });

  it('deletes raw events past the retention and keeps the aggregates', async () => {
    const batch = [
      { type: 'track', event: 'old', messageId: 'old', userId: 'keeper', timestamp: ago(400) },
      { type: 'track', event: 'recent', messageId: 'recent', userId: 'keeper', timestamp: ago(10) },
    ];
    await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    await server.processor.whenIdle();
    const res = await call(`${server.url}/api/privacy/retention/run`, admin, 'POST');
    expect(res.status).toBe(200);
    expect(res.body.outcomes).toMatchObject([{ projectId: 'default', retentionDays: 395, eventsDeleted: 1 }]);
    expect(Object.keys(await row('old'))).toEqual([]);
    expect((await row('recent')).event).toBe('recent');
    const person = await server.wh.all({ sql: "SELECT event_count FROM persons WHERE person_id = 'keeper'" });
    expect(person).toEqual([{ event_count: 2 }]);
  });

  it('derives a cookieless id from IP and user agent, without client ids', async () => {
    await call(`${server.url}/api/privacy/settings`, admin, 'PATCH', { isCookieless: true });
    const firefox = { ip: '198.51.100.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0' };
    const batch = [
      { type: 'page', messageId: 'c1', context: firefox },
      { type: 'page', messageId: 'c2', anonymousId: 'cookie-123', context: firefox },
      {
        type: 'page',
        messageId: 'c3',
        context: { ...firefox, userAgent: 'Mozilla/5.0 (iPhone) Safari/604.1' },
      },
    ];
    const res = await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    expect(res.body.accepted).toBe(3);
    const [c1, c2, c3] = [await row('c1'), await row('c2'), await row('c3')];
    expect(String(c1.anonymous_id)).toMatch(/^ck_[\w-]{22}$/);
    expect(c2.anonymous_id).toBe(c1.anonymous_id);
    expect(c3.anonymous_id).not.toBe(c1.anonymous_id);
    expect(await directScan(server.wh, ['cookie-123'])).toEqual({});
  });
});

describe('shareable results (k-anonymity)', () => {
  const tmp = tempDir();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let key: string;
  let writeKey: string;

  // Persons by country (context.location.country) and whether they finish: DE 6 (4 finish), FR 3 (1),
  // US 5 (2), CA 1 (1). See src/privacy/k-anonymity.test.ts for the hand computation.
  const plan: [string, number, number][] = [
    ['DE', 6, 4],
    ['FR', 3, 1],
    ['US', 5, 2],
    ['CA', 1, 1],
  ];
  beforeAll(async () => {
    server = await startTestServer(`${tmp.dir}/share.duckdb`);
    const created = await createProject(server.wh, 'share');
    writeKey = created.writeKey;
    key = await privilegedKey(server.wh, created.project.projectId);
    const batch = plan.flatMap(([country, n, finish]) =>
      Array.from({ length: n }, (_, i) => [
        { type: 'track', event: 'start', userId: `${country}-${i}`, context: { location: { country } } },
        ...(i < finish ? [{ type: 'track', event: 'finish', userId: `${country}-${i}` }] : []),
      ]).flat(),
    );
    await post(`${server.url}/v1/batch`, { batch }, { writeKey });
    await server.processor.whenIdle();
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('generalizes a funnel breakdown by country into continents', async () => {
    const spec = {
      kind: 'funnel',
      steps: [{ event: 'start' }, { event: 'finish' }],
      breakdown: { column: 'country' },
      persons: { step: 2, status: 'converted' },
      shareable: { k: 5 },
    };
    const res = await call(`${server.url}/api/query`, key, 'POST', spec);
    expect(res.status).toBe(200);
    const breakdown = res.body.breakdown as { value: string; steps: { count: number }[] }[];
    expect(breakdown.map((b) => [b.value, b.steps.map((s) => s.count)])).toEqual([
      ['EU', [9, 5]],
      ['NA', [6, 3]],
    ]);
    expect(res.body.shareable).toEqual({
      k: 5,
      suppressedRows: 0,
      suppressedPersons: 0,
      levels: { country: 1 },
    });
    expect(res.body.persons).toBeUndefined();
  });

  it('refuses to share a trends result', async () => {
    const spec = { kind: 'trends', series: [{ event: 'start' }], shareable: {} };
    const res = await call(`${server.url}/api/query`, key, 'POST', spec);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PW_PRIVACY_NOT_SHAREABLE');
  });

  it('exports persons by first-touch country, k-anonymized', async () => {
    const res = await call(`${server.url}/api/privacy/shareable`, key, 'POST', { by: ['country'], k: 5 });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      { country: 'EU', persons: 9 },
      { country: 'NA', persons: 6 },
    ]);
    const k7 = await call(`${server.url}/api/privacy/shareable`, key, 'POST', { by: ['country'], k: 7 });
    // k = 7: continents EU 9, NA 6 (6 persons under k, over the 1.5 budget) → '*' 15.
    expect(k7.body.rows).toEqual([{ country: '*', persons: 15 }]);
  });
});

describe('the retention schedule', () => {
  it('deletes expired events on its own once the server runs', async () => {
    const tmp = tempDir();
    const server = await startServer({
      db: `${tmp.dir}/schedule.duckdb`,
      port: 0,
      host: '127.0.0.1',
      retentionIntervalMs: 300,
    });
    try {
      const writeKey = server.createdProject?.writeKey ?? '';
      await updatePrivacySettings(server.wh, 'default', { retentionDays: 30 });
      const batch = [
        { type: 'track', event: 'old', messageId: 'old', userId: 'u', timestamp: ago(31) },
        { type: 'track', event: 'new', messageId: 'new', userId: 'u', timestamp: ago(29) },
      ];
      await post(`${server.url}/v1/batch`, { batch }, { writeKey });
      const remaining = async () =>
        (await server.wh.all({ sql: 'SELECT message_id FROM events ORDER BY 1' })).map((r) => r.message_id);
      for (let i = 0; i < 50 && (await remaining()).length > 1; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await remaining()).toEqual(['new']);
      const runs = await server.wh.all({ sql: 'SELECT sum(events_deleted) AS n FROM retention_runs' });
      expect(Number(runs[0]?.n)).toBe(1);
    } finally {
      await server.close();
      tmp.cleanup();
    }
  });
});
