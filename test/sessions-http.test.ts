/**
 * Identity and sessions end to end: events over HTTP to a real server, the background pass,
 * then session analytics through the library, `POST /api/query` and the CLI.
 *
 * | person | +s  | call     | page / details                                   |
 * |--------|-----|----------|--------------------------------------------------|
 * | A (anonymous aA, identifies as uA at +90) | 0 | page | /a                    |
 * | A      | 60  | page     | /b                                               |
 * | A      | 90  | identify | userId uA                                         |
 * | A      | 120 | track    | Signed Up (a goal)                                |
 * | B      | 0   | page     | /a                                               |
 * | C      | 0   | page     | /c?utm_source=news&utm_medium=email&utm_campaign=m1 |
 * | C      | 10  | track    | Clicked                                          |
 *
 * Sessions (hand-computed): A 120 s, 2 views; B 0 s, bounce; C 10 s, 1 view, not a bounce
 * (a track follows). Average (120 + 0 + 10) / 3 = 43.33 s, median 10 s, bounce rate 1/3,
 * pages per session 4/3; histogram buckets ≤0: 1, (0,10]: 1, (60,180]: 1; entry /a 2, /c 1;
 * channels direct 2 (A, B), email 1 (C).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSessionsQuery } from '../src/sessions/index.js';
import { updateSessionSettings } from '../src/store/index.js';
import { runCli } from './cli.js';
import { post, startTestServer, tempDir } from './helpers.js';

const tmp = tempDir();
const db = `${tmp.dir}/http.duckdb`;
const t = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s)).toISOString();
const page = (who: Record<string, string>, s: number, path: string) => ({
  type: 'page',
  ...who,
  timestamp: t(s),
  context: { page: { url: `https://shop.test${path}` } },
});

beforeAll(async () => {
  const server = await startTestServer(db);
  try {
    await updateSessionSettings(server.wh, 'default', { goalEvents: ['Signed Up'] });
    const batch = [
      page({ anonymousId: 'aA' }, 0, '/a'),
      page({ anonymousId: 'aA' }, 60, '/b'),
      { type: 'identify', anonymousId: 'aA', userId: 'uA', timestamp: t(90) },
      { type: 'track', event: 'Signed Up', anonymousId: 'aA', userId: 'uA', timestamp: t(120) },
      page({ userId: 'uB' }, 0, '/a'),
      page({ userId: 'uC' }, 0, '/c?utm_source=news&utm_medium=email&utm_campaign=m1'),
      { type: 'track', event: 'Clicked', userId: 'uC', timestamp: t(10) },
    ];
    const res = await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    expect(res.status).toBe(200);
    await server.processor.whenIdle();
    const sessions = await server.wh.all({
      sql: 'SELECT person_id, duration_sec, pageview_count, is_bounce, goals FROM sessions ORDER BY person_id',
    });
    expect(sessions).toEqual([
      { person_id: 'uA', duration_sec: 120, pageview_count: 2, is_bounce: false, goals: ['Signed Up'] },
      { person_id: 'uB', duration_sec: 0, pageview_count: 1, is_bounce: true, goals: [] },
      { person_id: 'uC', duration_sec: 10, pageview_count: 1, is_bounce: false, goals: [] },
    ]);
    const stats = await runSessionsQuery(server.wh, 'default', {
      kind: 'sessions',
      from: '2026-03-01',
      to: '2026-03-01',
      breakdown: 'channel',
    });
    expect(stats).toMatchObject({
      sessions: 3,
      medianDurationSec: 10,
      bounceRate: 1 / 3,
      pagesPerSession: 4 / 3,
      entryPages: [
        { path: '/a', sessions: 2 },
        { path: '/c', sessions: 1 },
      ],
      groups: [
        { value: 'direct', sessions: 2, bounceRate: 0.5 },
        { value: 'email', sessions: 1, bounceRate: 0 },
      ],
    });
    expect(stats.avgDurationSec).toBeCloseTo(130 / 3, 9);
    expect(stats.durationHistogram.filter((b) => b.sessions > 0)).toEqual([
      { fromSec: null, toSec: 0, sessions: 1 },
      { fromSec: 0, toSec: 10, sessions: 1 },
      { fromSec: 60, toSec: 180, sessions: 1 },
    ]);
    const http = await fetch(`${server.url}/api/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.readKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'sessions', from: '2026-03-01', to: '2026-03-01', breakdown: 'channel' }),
    });
    expect(http.status).toBe(200);
    const body = (await http.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'sessions', sessions: 3, bounceRate: 1 / 3, timeZone: 'UTC' });
    expect(body.groups).toHaveLength(2);
    // The insight engine counts resolved persons: aA's pageviews before identify are uA's.
    const trends = await fetch(`${server.url}/api/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.readKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'trends',
        series: [{ event: '$pageview', math: 'unique_persons' }],
        dateRange: { from: '2026-03-01', to: '2026-03-01' },
      }),
    });
    expect(trends.status).toBe(200);
    const lines = ((await trends.json()) as { series: { values: number[] }[] }).series;
    expect(lines[0]?.values).toEqual([3]);
  } finally {
    await server.close();
  }
});

afterAll(() => tmp.cleanup());

describe('identity and sessions from the CLI', () => {
  it('prints session stats as JSON, broken down by channel', async () => {
    const out = await runCli([
      'sessions',
      'stats',
      '--db',
      db,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-01',
      '--by',
      'channel',
    ]);
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({ kind: 'sessions', sessions: 3, breakdown: 'channel' });
    expect(result.dateRange).toEqual({
      from: '2026-03-01T00:00:00.000000Z',
      to: '2026-03-02T00:00:00.000000Z',
      timeZone: 'UTC',
    });
    expect(result.groups.map((g: { value: string }) => g.value)).toEqual(['direct', 'email']);
  });

  it("answers a sessions spec through `pathwise query`, with the insights' dateRange", async () => {
    const spec = JSON.stringify({ kind: 'sessions', dateRange: { from: '2026-03-01', to: '2026-03-01' } });
    const out = await runCli(['query', '--db', db, '--spec', spec]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ kind: 'sessions', sessions: 3, medianDurationSec: 10 });
    const both = { kind: 'sessions', from: '2026-03-01', dateRange: { from: '2026-03-01' } };
    const refused = await runCli(['query', '--db', db, '--spec', JSON.stringify(both)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PW_QUERY_BAD_RANGE');
  });

  it('rejects an unknown breakdown attribute with PW_QUERY_INVALID_SPEC', async () => {
    const out = await runCli([
      'sessions',
      'stats',
      '--db',
      db,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-01',
      '--by',
      'password',
    ]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('PW_QUERY_INVALID_SPEC');
  });

  it("prints a person's profile and timeline when looked up by an anonymous id", async () => {
    const out = await runCli(['person', 'aA', '--db', db]);
    expect(out.code).toBe(0);
    const person = JSON.parse(out.stdout);
    expect(person.person).toMatchObject({
      person_id: 'uA',
      distinct_ids: ['aA', 'uA'],
      initial_landing_path: '/a',
    });
    expect(person.sessions).toHaveLength(1);
    expect(person.sessions[0].events.map((e: { event: string }) => e.event)).toEqual([
      '$pageview',
      '$pageview',
      '$identify',
      'Signed Up',
    ]);
  });

  it('rebuilds persons and sessions to the same result', async () => {
    const out = await runCli(['sessions', 'rebuild', '--db', db]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ projectId: 'default', sessions: { sessions: 3 } });
    const missing = await runCli(['person', 'nobody', '--db', db]);
    expect(missing.stderr).toContain('PW_PERSON_NOT_FOUND');
  });
});
