/**
 * Sessionization rules, one hand-built person per rule (times are 2026-03-01, UTC unless noted;
 * "+m:ss" is minutes after 10:00:00Z).
 *
 * | rule                 | person | events                                              | sessions            |
 * |----------------------|--------|-----------------------------------------------------|---------------------|
 * | timeout boundary     | p30    | page +0:00, page +30:00                              | 1 (gap = 30:00)     |
 * |                      | p31    | page +0:00, page +30:01                              | 2 (gap = 30:01)     |
 * | campaign change      | pc     | page utm=a +0, track +1, page utm=a +2, page utm=b +3, track +4 | 2: {0,1,2} {3,4} |
 * | campaign mid-visit   | pd     | page +0 (none), page utm=a +1                        | 2                   |
 * | identify, then land  | pe     | identify +0, page utm=a +0:01, track +1              | 1 (no interaction before the campaign) |
 * | midnight, NY (UTC-5) | n1     | 04:50Z and 05:10Z (23:50 and 00:10 local)            | 2 with split, 1 without |
 * |                      | n2     | 23:50Z and 00:10Z next day (18:50, 19:10 local)      | 1                   |
 * | client session id    | pk     | sessionId k1 at +0 and +120 (utm a, then b), page +200 without | k1 (2 events) + 1 server session |
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { at, ingestAndProcess, sessionsOf } from '../../test/pipeline.js';
import { rebuildProject } from '../server/index.js';
import { createProject, openWarehouse, updateSessionSettings, type Warehouse } from '../store/index.js';

let wh: Warehouse;
const tmp = tempDir();

beforeAll(async () => {
  wh = await openWarehouse({ path: `${tmp.dir}/sessions.duckdb` });
});
afterAll(async () => {
  await wh.close();
  tmp.cleanup();
});

const page = (
  userId: string,
  timestamp: string,
  url = 'https://shop.test/',
  extra: Record<string, unknown> = {},
) => ({
  type: 'page',
  userId,
  timestamp,
  properties: { url },
  ...extra,
});
const track = (userId: string, timestamp: string, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Clicked',
  userId,
  timestamp,
  ...extra,
});

async function project(name: string, timeZone = 'UTC'): Promise<string> {
  return (await createProject(wh, name, { timeZone })).project.projectId;
}

describe('sessionization', () => {
  it('keeps events exactly 30:00 apart in one session and splits at 30:01', async () => {
    const p = await project('timeout');
    await ingestAndProcess(wh, p, [
      [page('p30', at(0)), page('p30', at(30)), page('p31', at(0)), page('p31', at(30, 1))],
    ]);
    const sessions = await sessionsOf(wh, p);
    expect(sessions.filter((s) => s.person_id === 'p30').map((s) => s.event_count)).toEqual([2]);
    expect(sessions.filter((s) => s.person_id === 'p31').map((s) => s.event_count)).toEqual([1, 1]);
  });

  it('starts a session at a new campaign, not at the same campaign, at none, or before any interaction', async () => {
    const p = await project('campaign');
    const utm = (c: string) => `https://shop.test/?utm_source=news&utm_campaign=${c}`;
    await ingestAndProcess(wh, p, [
      [
        page('pc', at(0), utm('a')),
        track('pc', at(1)),
        page('pc', at(2), utm('a')),
        page('pc', at(3), utm('b')),
        track('pc', at(4)),
        page('pd', at(0)),
        page('pd', at(1), utm('a')),
        { type: 'identify', userId: 'pe', timestamp: at(0), traits: {} },
        page('pe', at(0, 1), utm('a')),
        track('pe', at(1)),
      ],
    ]);
    const sessions = await sessionsOf(wh, p);
    expect(sessions.filter((s) => s.person_id === 'pc').map((s) => s.event_count)).toEqual([3, 2]);
    expect(sessions.filter((s) => s.person_id === 'pd').map((s) => s.event_count)).toEqual([1, 1]);
    expect(sessions.filter((s) => s.person_id === 'pe').map((s) => s.event_count)).toEqual([3]);
    const rows = await wh.all({
      sql: `SELECT utm_campaign FROM sessions WHERE project_id = $1 AND person_id = 'pc' ORDER BY start_ts`,
      params: [p],
    });
    expect(rows.map((r) => r.utm_campaign)).toEqual(['a', 'b']);
  });

  it("splits at midnight in the project's time zone when asked, not at UTC midnight", async () => {
    const p = await project('midnight', 'America/New_York');
    const events = [
      page('n1', '2026-03-01T04:50:00Z'),
      page('n1', '2026-03-01T05:10:00Z'),
      page('n2', '2026-03-01T23:50:00Z'),
      page('n2', '2026-03-02T00:10:00Z'),
    ];
    await ingestAndProcess(wh, p, [events]);
    const count = async (person: string) =>
      (await sessionsOf(wh, p)).filter((s) => s.person_id === person).length;
    expect([await count('n1'), await count('n2')]).toEqual([1, 1]);
    await updateSessionSettings(wh, p, { isSplitAtMidnight: true });
    await rebuildProject(wh, p);
    expect([await count('n1'), await count('n2')]).toEqual([2, 1]);
  });

  it('honors a client session id: never split, and server sessions for the rest', async () => {
    const p = await project('client');
    const k1 = { context: { sessionId: 'k1' } };
    await ingestAndProcess(wh, p, [
      [
        page('pk', at(0), 'https://shop.test/?utm_campaign=a', k1),
        page('pk', at(120), 'https://shop.test/?utm_campaign=b', {
          properties: { url: 'https://shop.test/x', $session_id: 'k1' },
        }),
        page('pk', at(200)),
      ],
    ]);
    const sessions = await sessionsOf(wh, p);
    expect(sessions.map((s) => [s.session_id, s.event_count])).toEqual([
      ['k1', 2],
      [expect.stringMatching(/^s_/), 1],
    ]);
    const events = await wh.all({
      sql: 'SELECT session_id, client_session_id FROM events WHERE project_id = $1 ORDER BY timestamp',
      params: [p],
    });
    expect(events).toEqual([
      { session_id: 'k1', client_session_id: 'k1' },
      { session_id: 'k1', client_session_id: 'k1' },
      { session_id: sessions[1]?.session_id, client_session_id: null },
    ]);
  });

  it('uses a longer timeout once the project setting changes and sessions are rebuilt', async () => {
    const p = await project('timeout-setting');
    await ingestAndProcess(wh, p, [[page('t', at(0)), page('t', at(45))]]);
    expect((await sessionsOf(wh, p)).length).toBe(2);
    await updateSessionSettings(wh, p, { timeoutSec: 3600 });
    await rebuildProject(wh, p);
    expect((await sessionsOf(wh, p)).map((s) => s.event_count)).toEqual([2]);
  });
});
