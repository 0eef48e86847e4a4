/**
 * Identity rules on hand-built histories (2026-03-01; "+m" is minutes after 10:00Z).
 *
 * anonymous before identify — device a1:
 * | +m | call     | anonymousId | userId |
 * |----|----------|-------------|--------|
 * | 0  | page     | a1          |        |
 * | 2  | track    | a1          |        |
 * | 3  | identify | a1          | u1     |
 * | 5  | track    | a1          | u1     |
 * → one person u1 owning all four events, in one session.
 *
 * shared device — device d1, users s1 then s2:
 * | +m  | call     | anonymousId | userId |
 * |-----|----------|-------------|--------|
 * | 0   | page     | d1          |        |   → s1 (before the first identify: the first user)
 * | 1   | identify | d1          | s1     |   → s1
 * | 60  | page     | d1          |        |   → s1
 * | 120 | identify | d1          | s2     |   → s2 (a new person from here on)
 * | 121 | page     | d1          |        |   → s2
 * | 200 | track    |             | s1     |   → s1 (s1 and s2 are never merged)
 *
 * alias — users x9 and x1 merged by `alias(previousId x9, userId x1)`: one person, id x1 (the
 * smallest id), whichever call came first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { at, derivedState, ingestAndProcess } from '../../test/pipeline.js';
import { rebuildProject } from '../server/index.js';
import { createProject, openWarehouse, type Warehouse } from '../store/index.js';
import { resolveIdentities } from './resolve.js';

let wh: Warehouse;
const tmp = tempDir();

beforeAll(async () => {
  wh = await openWarehouse({ path: `${tmp.dir}/identity.duckdb` });
});
afterAll(async () => {
  await wh.close();
  tmp.cleanup();
});

async function project(name: string): Promise<string> {
  return (await createProject(wh, name)).project.projectId;
}

const personsOfEvents = (p: string) =>
  wh.all({
    sql: 'SELECT message_id, person_id FROM events WHERE project_id = $1 ORDER BY timestamp',
    params: [p],
  });

describe('identity rules (pure)', () => {
  it('maps a shared device to each user from their identify on, and never merges the users', () => {
    const mappings = resolveIdentities(
      [
        { anonymousId: 'd1', userId: 's1', atUs: 1 },
        { anonymousId: 'd1', userId: 's2', atUs: 5 },
        { anonymousId: 'd1', userId: 's1', atUs: 9 },
      ],
      [],
      new Set(['s1', 's2']),
    );
    expect(mappings).toEqual([
      { distinctId: 's1', personId: 's1', fromUs: null, toUs: null },
      { distinctId: 's2', personId: 's2', fromUs: null, toUs: null },
      { distinctId: 'd1', personId: 's1', fromUs: null, toUs: 5 },
      { distinctId: 'd1', personId: 's2', fromUs: 5, toUs: 9 },
      { distinctId: 'd1', personId: 's1', fromUs: 9, toUs: null },
    ]);
  });

  it('merges aliased users under the smallest id whatever the order of the aliases', () => {
    const users = new Set(['c', 'a', 'b']);
    const one = resolveIdentities(
      [],
      [
        { previousId: 'c', userId: 'b' },
        { previousId: 'b', userId: 'a' },
      ],
      users,
    );
    const two = resolveIdentities(
      [],
      [
        { previousId: 'b', userId: 'a' },
        { previousId: 'c', userId: 'b' },
      ],
      users,
    );
    const byId = (m: typeof one) => Object.fromEntries(m.map((x) => [x.distinctId, x.personId]));
    expect(byId(one)).toEqual({ a: 'a', b: 'a', c: 'a' });
    expect(byId(two)).toEqual(byId(one));
  });
});

describe('identity resolution in the store', () => {
  it('gives anonymous events before identify to the identified person', async () => {
    const p = await project('anon-first');
    await ingestAndProcess(wh, p, [
      [
        {
          type: 'page',
          anonymousId: 'a1',
          timestamp: at(0),
          messageId: 'e1',
          properties: { url: 'https://x.test/' },
        },
        { type: 'track', event: 'Viewed', anonymousId: 'a1', timestamp: at(2), messageId: 'e2' },
      ],
      // The identify arrives in a later batch: the earlier rows are re-assigned.
      [
        {
          type: 'identify',
          anonymousId: 'a1',
          userId: 'u1',
          timestamp: at(3),
          messageId: 'e3',
          traits: { plan: 'pro' },
        },
        {
          type: 'track',
          event: 'Bought',
          anonymousId: 'a1',
          userId: 'u1',
          timestamp: at(5),
          messageId: 'e4',
        },
      ],
    ]);
    expect((await personsOfEvents(p)).map((r) => r.person_id)).toEqual(['u1', 'u1', 'u1', 'u1']);
    const sessions = await wh.all({
      sql: 'SELECT person_id, event_count FROM sessions WHERE project_id = $1',
      params: [p],
    });
    expect(sessions).toEqual([{ person_id: 'u1', event_count: 4 }]);
    const persons = await wh.all({
      sql: `SELECT person_id, distinct_ids, is_identified, first_seen, initial_landing_path, traits->'$.plan.value' AS plan
            FROM persons WHERE project_id = $1`,
      params: [p],
    });
    expect(persons).toEqual([
      {
        person_id: 'u1',
        distinct_ids: ['a1', 'u1'],
        is_identified: true,
        first_seen: '2026-03-01T10:00:00.000000Z',
        initial_landing_path: '/',
        plan: '"pro"',
      },
    ]);
  });

  it('starts a new person when a second user identifies on a shared device', async () => {
    const p = await project('shared-device');
    await ingestAndProcess(wh, p, [
      [
        {
          type: 'page',
          anonymousId: 'd1',
          timestamp: at(0),
          messageId: 'f1',
          properties: { url: 'https://x.test/' },
        },
        { type: 'identify', anonymousId: 'd1', userId: 's1', timestamp: at(1), messageId: 'f2' },
        {
          type: 'page',
          anonymousId: 'd1',
          timestamp: at(60),
          messageId: 'f3',
          properties: { url: 'https://x.test/' },
        },
        { type: 'identify', anonymousId: 'd1', userId: 's2', timestamp: at(120), messageId: 'f4' },
        {
          type: 'page',
          anonymousId: 'd1',
          timestamp: at(121),
          messageId: 'f5',
          properties: { url: 'https://x.test/' },
        },
        { type: 'track', event: 'Came back', userId: 's1', timestamp: at(200), messageId: 'f6' },
      ],
    ]);
    expect((await personsOfEvents(p)).map((r) => `${r.message_id}:${r.person_id}`)).toEqual([
      'f1:s1',
      'f2:s1',
      'f3:s1',
      'f4:s2',
      'f5:s2',
      'f6:s1',
    ]);
    const persons = await wh.all({
      sql: 'SELECT person_id, distinct_ids FROM persons WHERE project_id = $1 ORDER BY person_id',
      params: [p],
    });
    expect(persons).toEqual([
      { person_id: 's1', distinct_ids: ['d1', 's1'] },
      { person_id: 's2', distinct_ids: ['d1', 's2'] },
    ]);
  });

  it('merges two users on alias, keeping the smallest id as the person id', async () => {
    const p = await project('alias');
    await ingestAndProcess(wh, p, [
      [{ type: 'track', event: 'A', userId: 'x9', timestamp: at(0), messageId: 'g1' }],
      [{ type: 'track', event: 'B', userId: 'x1', timestamp: at(1), messageId: 'g2' }],
      [{ type: 'alias', previousId: 'x9', userId: 'x1', timestamp: at(2), messageId: 'g3' }],
    ]);
    expect((await personsOfEvents(p)).map((r) => r.person_id)).toEqual(['x1', 'x1', 'x1']);
    const persons = await wh.all({ sql: 'SELECT person_id FROM persons WHERE project_id = $1', params: [p] });
    expect(persons).toEqual([{ person_id: 'x1' }]);
  });
});

/**
 * Out-of-order arrival: one history (below) stored in order in one batch, in time order one
 * event per batch (persons extended without a recount), reversed one event per batch, and shuffled in four batches, each processed incrementally after every batch; all
 * three must derive the same persons, id map, sessions and per-event person and session.
 *
 * | id  | +m  | call     | anon | user | notes                         |
 * |-----|-----|----------|------|------|-------------------------------|
 * | o1  | 0   | page     | a    |      | utm_campaign=spring           |
 * | o2  | 10  | track    | a    |      |                               |
 * | o3  | 12  | identify | a    | ua   |                               |
 * | o4  | 50  | page     | a    | ua   | same session (o11 at +30)     |
 * | o5  | 55  | page     | a    |      | utm_campaign=summer: new one  |
 * | o6  | 90  | identify | a    | ub   | shared device                 |
 * | o7  | 95  | page     | a    |      | → ub                          |
 * | o8  | 5   | page     | b    |      | sessionId c9                  |
 * | o9  | 80  | page     | b    |      | sessionId c9 (not split)      |
 * | o10 | 100 | alias    |      | uc   | previousId b: b → uc          |
 * | o11 | 30  | track    |      | ua   | late: bridges o3 and o4       |
 *
 * Sessions: ua {o1 o2 o3 o11 o4}, {o5}; ub {o6 o7}; uc c9 {o8 o9} (client), {o10}.
 */
describe('out-of-order arrival', () => {
  const url = (q = '') => ({ url: `https://x.test/${q}` });
  const history = [
    {
      type: 'page',
      anonymousId: 'a',
      timestamp: at(0),
      messageId: 'o1',
      properties: url('?utm_campaign=spring'),
    },
    { type: 'track', event: 'Viewed', anonymousId: 'a', timestamp: at(10), messageId: 'o2' },
    { type: 'identify', anonymousId: 'a', userId: 'ua', timestamp: at(12), messageId: 'o3' },
    { type: 'page', anonymousId: 'a', userId: 'ua', timestamp: at(50), messageId: 'o4', properties: url() },
    {
      type: 'page',
      anonymousId: 'a',
      timestamp: at(55),
      messageId: 'o5',
      properties: url('?utm_campaign=summer'),
    },
    { type: 'identify', anonymousId: 'a', userId: 'ub', timestamp: at(90), messageId: 'o6' },
    { type: 'page', anonymousId: 'a', timestamp: at(95), messageId: 'o7', properties: url() },
    {
      type: 'page',
      anonymousId: 'b',
      timestamp: at(5),
      messageId: 'o8',
      properties: url(),
      context: { sessionId: 'c9' },
    },
    {
      type: 'page',
      anonymousId: 'b',
      timestamp: at(80),
      messageId: 'o9',
      properties: url(),
      context: { sessionId: 'c9' },
    },
    { type: 'alias', previousId: 'b', userId: 'uc', timestamp: at(100), messageId: 'o10' },
    { type: 'track', event: 'Clicked', userId: 'ua', timestamp: at(30), messageId: 'o11' },
  ];
  const shuffled = [7, 2, 10, 0, 5, 9, 1, 4, 8, 3, 6].map((i) => history[i] as Record<string, unknown>);

  it('derives the same persons and sessions in any arrival order, incrementally or rebuilt', async () => {
    const inOrder = await project('in-order');
    await ingestAndProcess(wh, inOrder, [history]);
    const reversed = await project('reversed');
    await ingestAndProcess(
      wh,
      reversed,
      [...history].reverse().map((e) => [e]),
    );
    const mixed = await project('shuffled');
    await ingestAndProcess(wh, mixed, [
      shuffled.slice(0, 3),
      shuffled.slice(3, 5),
      shuffled.slice(5, 9),
      shuffled.slice(9),
    ]);
    const oneByOne = await project('one-by-one');
    await ingestAndProcess(
      wh,
      oneByOne,
      [...history].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1)).map((e) => [e]),
    );
    const expected = await derivedState(wh, inOrder);
    expect(await derivedState(wh, oneByOne)).toEqual(expected);
    expect(await derivedState(wh, reversed)).toEqual(expected);
    expect(await derivedState(wh, mixed)).toEqual(expected);
    await rebuildProject(wh, mixed);
    expect(await derivedState(wh, mixed)).toEqual(expected);
    expect(expected.events?.map((e) => `${e.message_id}:${e.person_id}`)).toEqual([
      'o1:ua',
      'o10:uc',
      'o11:ua',
      'o2:ua',
      'o3:ua',
      'o4:ua',
      'o5:ua',
      'o6:ub',
      'o7:ub',
      'o8:uc',
      'o9:uc',
    ]);
    const sessions = expected.sessions?.map((s) => `${s.session_id}:${s.event_count}`);
    expect(sessions).toEqual(['c9:2', 's_o1:5', 's_o10:1', 's_o5:1', 's_o6:2']);
  });
});
