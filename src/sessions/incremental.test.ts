/**
 * Late events against a rebuild: each event is stored and processed incrementally on its own
 * (persons and sessions merged, extended or recounted), and after every pass the derived state
 * must equal a rebuild's (2026-03-01; "+m" is minutes after 10:00Z; all events carry a userId).
 *
 * | msg | +m  | person | call     | notes                                                        |
 * |-----|-----|--------|----------|--------------------------------------------------------------|
 * | s1  | 0   | u1     | page     | utm_campaign=a, device mobile                                |
 * | s2  | 5   | u1     | track    |                                                              |
 * | s3  | 60  | u1     | page     | a second visit (gap 55)                                      |
 * | s4  | 70  | u1     | track    |                                                              |
 * | s5  | 150 | u1     | page     | a third visit (gap 80): stays as it is below                 |
 * | s6  | 30  | u1     | page     | late: 25 and 30:00 from its neighbours, merges visits 1 and 2 |
 * | s7  | 155 | u1     | track    | joins s5's session, splits nothing                           |
 * | s8  | -20 | u1     | page     | late, utm_campaign=early, device tablet: new first touch;     |
 * |     |     |        |          | s1 (campaign a, after an interaction) now starts a session   |
 * | s9  | 152 | u1     | page     | late, utm_campaign=b: splits s5's session before s7          |
 * | s10 | 300 | u1     | identify | traits: the person is recounted                              |
 * | e1  | 0   | u3     | page     |                                                              |
 * | e2  | 2   | u3     | identify | context campaign x: a session (after e1's interaction)        |
 * | e3  | 20  | u3     | identify |                                                              |
 * | e4  | 40  | u3     | page     | utm_campaign=y: a session (e1 was an interaction)            |
 * | e5  | 41  | u3     | track    | late into e4's session, a timeout after e2's start           |
 *
 * Sessions: u1 {s8} {s1 s2 s6 s3 s4} {s5} {s9 s7} {s10}; u3 {e1} {e2 e3} {e4 e5}.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { at, derivedState, ingestAndProcess } from '../../test/pipeline.js';
import { rebuildProject } from '../server/index.js';
import { createProject, openWarehouse, type Warehouse } from '../store/index.js';

let wh: Warehouse;
const tmp = tempDir();

beforeAll(async () => {
  wh = await openWarehouse({ path: `${tmp.dir}/incremental.duckdb` });
});
afterAll(async () => {
  await wh.close();
  tmp.cleanup();
});

const minutes = (m: number) => (m < 0 ? new Date(Date.parse(at(0)) + m * 60_000).toISOString() : at(m));
const page = (id: string, userId: string, m: number, query = '', context: Record<string, unknown> = {}) => ({
  type: 'page',
  userId,
  timestamp: minutes(m),
  messageId: id,
  properties: { url: `https://shop.test/${id}${query}` },
  context,
});
const track = (id: string, userId: string, m: number) => ({
  type: 'track',
  event: 'Clicked',
  userId,
  timestamp: minutes(m),
  messageId: id,
});
const identify = (id: string, userId: string, m: number, extra: Record<string, unknown> = {}) => ({
  type: 'identify',
  userId,
  timestamp: minutes(m),
  messageId: id,
  ...extra,
});

const history: Record<string, unknown>[] = [
  page('s1', 'u1', 0, '?utm_campaign=a', { device: { type: 'mobile' } }),
  track('s2', 'u1', 5),
  page('s3', 'u1', 60),
  track('s4', 'u1', 70),
  page('s5', 'u1', 150),
  page('s6', 'u1', 30),
  track('s7', 'u1', 155),
  page('s8', 'u1', -20, '?utm_campaign=early', { device: { type: 'tablet' } }),
  page('s9', 'u1', 152, '?utm_campaign=b'),
  identify('s10', 'u1', 300, { traits: { plan: 'pro' } }),
  page('e1', 'u3', 0),
  identify('e2', 'u3', 2, { context: { campaign: { name: 'x' } } }),
  identify('e3', 'u3', 20),
  page('e4', 'u3', 40, '?utm_campaign=y'),
  track('e5', 'u3', 41),
];

describe('incremental sessions and persons', () => {
  it('equal a rebuild after every late event, one pass per event', async () => {
    const p = (await createProject(wh, 'late-one-by-one')).project.projectId;
    for (const event of history) {
      await ingestAndProcess(wh, p, [[event]]);
      const incremental = await derivedState(wh, p);
      await rebuildProject(wh, p);
      expect(await derivedState(wh, p), String(event.messageId)).toEqual(incremental);
    }
    const state = await derivedState(wh, p);
    const sessions = state.sessions?.map((s) => `${s.session_id}:${s.event_count}`);
    expect(sessions).toEqual([
      's_e1:1',
      's_e2:2',
      's_e4:2',
      's_s1:5',
      's_s10:1',
      's_s5:1',
      's_s8:1',
      's_s9:2',
    ]);
    const u1 = state.persons?.find((r) => r.person_id === 'u1');
    expect(u1?.initial_utm_campaign).toBe('early');
    expect(u1?.initial_device_type).toBe('tablet');
    expect(u1?.event_count).toBe(10);
    const s8 = state.sessions?.find((s) => s.session_id === 's_s8');
    expect(s8?.device_type).toBe('tablet');
    const s1 = state.sessions?.find((s) => s.session_id === 's_s1');
    expect([s1?.entry_path, s1?.exit_path, s1?.utm_campaign, s1?.device_type]).toEqual([
      '/s1',
      '/s3',
      'a',
      'mobile',
    ]);
  });

  it('derive the same state from one batch as from late events one by one', async () => {
    const oneByOne = (await createProject(wh, 'late-batch-a')).project.projectId;
    await ingestAndProcess(
      wh,
      oneByOne,
      history.map((e) => [e]),
    );
    const inOneBatch = (await createProject(wh, 'late-batch-b')).project.projectId;
    await ingestAndProcess(wh, inOneBatch, [history]);
    expect(await derivedState(wh, oneByOne)).toEqual(await derivedState(wh, inOneBatch));
  });
});
