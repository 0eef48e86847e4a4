/**
 * Incremental passes that keep the stored mappings (the fast path) and passes that must not,
 * one event per pass, against a rebuild (2026-03-01; "+m" is minutes after 10:00Z).
 *
 * | msg | +m  | call     | anonymousId | userId | pass keeps the mappings?                  |
 * |-----|-----|----------|-------------|--------|-------------------------------------------|
 * | f1  | 0   | page     | d1          |        | new id d1                                 |
 * | f2  | 1   | identify | d1          | u1     | no: d1 joins u1                           |
 * | f3  | 5   | track    | d1          | u1     | yes: d1 already belongs to u1             |
 * | f4  | 6   | page     | d1          |        | yes                                       |
 * | f5  | 7   | page     | d2          |        | new id d2                                 |
 * | f6  | 8   | track    |             | d2     | yes: d2 was a lone id, now a user, itself |
 * | f7  | 9   | track    | d3          | u1     | no: new device d3                         |
 * | f8  | 3   | page     | d3          |        | late, before its identify: d3 → u1        |
 * | f9  | 60  | identify | d1          | u2     | no: shared device, d1 → u2 from here      |
 * | f10 | 70  | page     | d1          | u1     | no: d1 back to u1                         |
 * | f11 | 2   | track    | d1          | u1     | late, inside u1's first interval          |
 * | f12 | 65  | page     | d1          |        | late anonymous on the shared device: u2   |
 * | f13 | 80  | track    |             | u3     | new user u3                               |
 * | f14 | 90  | alias    |             | u3     | no: alias previousId u1 merges u1 and u3  |
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { at, derivedState, ingestAndProcess } from '../../test/pipeline.js';
import { rebuildProject } from '../server/index.js';
import { createProject, openWarehouse, type Warehouse } from '../store/index.js';

let wh: Warehouse;
const tmp = tempDir();

beforeAll(async () => {
  wh = await openWarehouse({ path: `${tmp.dir}/new-rows.duckdb` });
});
afterAll(async () => {
  await wh.close();
  tmp.cleanup();
});

const url = { url: 'https://x.test/' };
const history: Record<string, unknown>[] = [
  { type: 'page', anonymousId: 'd1', timestamp: at(0), messageId: 'f1', properties: url },
  { type: 'identify', anonymousId: 'd1', userId: 'u1', timestamp: at(1), messageId: 'f2' },
  { type: 'track', event: 'A', anonymousId: 'd1', userId: 'u1', timestamp: at(5), messageId: 'f3' },
  { type: 'page', anonymousId: 'd1', timestamp: at(6), messageId: 'f4', properties: url },
  { type: 'page', anonymousId: 'd2', timestamp: at(7), messageId: 'f5', properties: url },
  { type: 'track', event: 'A', userId: 'd2', timestamp: at(8), messageId: 'f6' },
  { type: 'track', event: 'A', anonymousId: 'd3', userId: 'u1', timestamp: at(9), messageId: 'f7' },
  { type: 'page', anonymousId: 'd3', timestamp: at(3), messageId: 'f8', properties: url },
  { type: 'identify', anonymousId: 'd1', userId: 'u2', timestamp: at(60), messageId: 'f9' },
  { type: 'page', anonymousId: 'd1', userId: 'u1', timestamp: at(70), messageId: 'f10', properties: url },
  { type: 'track', event: 'B', anonymousId: 'd1', userId: 'u1', timestamp: at(2), messageId: 'f11' },
  { type: 'page', anonymousId: 'd1', timestamp: at(65), messageId: 'f12', properties: url },
  { type: 'track', event: 'A', userId: 'u3', timestamp: at(80), messageId: 'f13' },
  { type: 'alias', previousId: 'u1', userId: 'u3', timestamp: at(90), messageId: 'f14' },
];

describe('incremental identity passes', () => {
  it('give the same persons, ids and sessions one event at a time as a rebuild', async () => {
    const p = (await createProject(wh, 'one-at-a-time')).project.projectId;
    const states: Record<string, unknown>[] = [];
    for (const event of history) {
      await ingestAndProcess(wh, p, [[event]]);
      const incremental = await derivedState(wh, p);
      await rebuildProject(wh, p);
      expect(await derivedState(wh, p)).toEqual(incremental);
      states.push(incremental);
    }
    const last = await derivedState(wh, p);
    expect(last.events?.map((e) => `${e.message_id}:${e.person_id}`)).toEqual([
      'f1:u1',
      'f10:u1',
      'f11:u1',
      'f12:u2',
      'f13:u1',
      'f14:u1',
      'f2:u1',
      'f3:u1',
      'f4:u1',
      'f5:d2',
      'f6:d2',
      'f7:u1',
      'f8:u1',
      'f9:u2',
    ]);
    expect(states).toHaveLength(history.length);
  });
});
