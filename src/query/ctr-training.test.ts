/**
 * CTR training rows extracted in DuckDB: impressions joined to clicks. Fixture (2026-03-01, UTC),
 * stored through the real ingest path:
 *
 * | person | time  | event       | properties                                   | outcome                          |
 * |--------|-------|-------------|----------------------------------------------|----------------------------------|
 * | u1     | 10:00 | $impression | home_feed, request r1, items a@1 b@2 c@3     |                                  |
 * | u1     | 10:05 | $click      | b, request r1                                | labels b of r1                   |
 * | u1     | 10:40 | $click      | a, request r1                                | 40 min late: unmatched           |
 * | u2     | 11:00 | $impression | home_feed, no request, items a@1 b@2         |                                  |
 * | u2     | 11:10 | $click      | a, home_feed                                 | labels a (matched by list)       |
 * | u2     | 11:12 | $click      | a, home_feed                                 | same impression: counted once    |
 * | u3     | 12:00 | $click      | z, home_feed                                 | no impression: unmatched         |
 * | u3     | 12:30 | $impression | one item at the top level: d@1, search       | not clicked                      |
 * | u1     | 13:00 | $impression | home_feed, request r2, items c@1             |                                  |
 * | u1     | 13:01 | $click      | c, request r2                                | labels c of r2                   |
 *
 * Split at 12:00: training = the 10:00 and 11:00 impressions (5 rows, 2 clicks), test = 2 rows, 1 click.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { at, ingestAndProcess } from '../../test/pipeline.js';
import { ensureDefaultProject, openWarehouse, type Warehouse } from '../store/index.js';
import { planCtrTraining, streamCtrRows } from './index.js';

const imp = (user: string, minutes: number, props: Record<string, unknown>) => ({
  type: 'track',
  event: '$impression',
  userId: user,
  timestamp: at(minutes),
  properties: props,
});
const click = (user: string, minutes: number, props: Record<string, unknown>) => ({
  type: 'track',
  event: '$click',
  userId: user,
  timestamp: at(minutes),
  properties: props,
});
const items = (...ids: string[]) => ids.map((id, i) => ({ item_id: id, position: i + 1 }));

const SOURCE = {
  dateRange: { from: '2026-03-01', to: '2026-03-01' },
  split: { testFrom: '2026-03-01T12:00:00Z' },
};
const FEATURES = {
  fields: ['item_id', 'position', 'list_id', 'hour', 'item.item_id'],
  numeric: ['position'],
};

describe('CTR training rows from the store', () => {
  const tmp = tempDir();
  let wh: Warehouse;

  beforeAll(async () => {
    wh = await openWarehouse({ path: join(tmp.dir, 'ctr.duckdb') });
    await ensureDefaultProject(wh);
    await ingestAndProcess(wh, 'default', [
      [
        imp('u1', 0, { list_id: 'home_feed', request_id: 'r1', items: items('a', 'b', 'c') }),
        click('u1', 5, { item_id: 'b', list_id: 'home_feed', request_id: 'r1' }),
        click('u1', 40, { item_id: 'a', list_id: 'home_feed', request_id: 'r1' }),
        imp('u2', 60, { list_id: 'home_feed', items: items('a', 'b') }),
        click('u2', 70, { item_id: 'a', list_id: 'home_feed' }),
        click('u2', 72, { item_id: 'a', list_id: 'home_feed' }),
        click('u3', 120, { item_id: 'z', list_id: 'home_feed' }),
        imp('u3', 150, { list_id: 'search', item_id: 'd', position: 1 }),
        imp('u1', 180, { list_id: 'home_feed', request_id: 'r2', items: items('c') }),
        click('u1', 181, { item_id: 'c', list_id: 'home_feed', request_id: 'r2' }),
      ],
    ]);
  });
  afterAll(async () => {
    await wh.close();
    tmp.cleanup();
  });

  it('splits by time, counts clicks once per impression and reports unmatched clicks', async () => {
    const plan = await planCtrTraining(wh, 'default', SOURCE, FEATURES);
    expect(plan.train).toMatchObject({ rows: 5, clicks: 2 });
    expect(plan.test).toMatchObject({ rows: 2, clicks: 1 });
    expect(plan.train.toUs).toBe(Date.parse('2026-03-01T12:00:00Z') * 1000);
    expect(plan.clickEvents).toBe(6);
    expect(plan.unmatchedClicks).toBe(2);
    // Positions of the training rows: 1, 2, 3, 1, 2 → mean 1.8, population sd √0.56.
    expect(plan.numericStats.position?.mean).toBeCloseTo(1.8, 12);
    expect(plan.numericStats.position?.std).toBeCloseTo(Math.sqrt(0.56), 12);
  });

  it('streams labelled rows in time order with their feature values', async () => {
    const plan = await planCtrTraining(wh, 'default', SOURCE, FEATURES);
    const rows = [];
    for await (const batch of streamCtrRows(wh, plan, 'train')) rows.push(...batch);
    expect(rows).toEqual([
      {
        label: 0,
        values: { item_id: 'a', position: 1, list_id: 'home_feed', hour: 10, 'item.item_id': 'a' },
      },
      {
        label: 1,
        values: { item_id: 'b', position: 2, list_id: 'home_feed', hour: 10, 'item.item_id': 'b' },
      },
      {
        label: 0,
        values: { item_id: 'c', position: 3, list_id: 'home_feed', hour: 10, 'item.item_id': 'c' },
      },
      {
        label: 1,
        values: { item_id: 'a', position: 1, list_id: 'home_feed', hour: 11, 'item.item_id': 'a' },
      },
      {
        label: 0,
        values: { item_id: 'b', position: 2, list_id: 'home_feed', hour: 11, 'item.item_id': 'b' },
      },
    ]);
    const test = [];
    for await (const batch of streamCtrRows(wh, plan, 'test')) test.push(...batch);
    expect(test.map((r) => [r.values.item_id, r.values.list_id, r.label])).toEqual([
      ['d', 'search', 0],
      ['c', 'home_feed', 1],
    ]);
  });

  it('a shorter click window leaves the 10-minute click unmatched', async () => {
    const plan = await planCtrTraining(wh, 'default', { ...SOURCE, clickWindowSec: 360 }, FEATURES);
    expect(plan.train.clicks).toBe(1);
    expect(plan.unmatchedClicks).toBe(4);
  });

  it('refuses an unknown feature field by name', async () => {
    await expect(
      planCtrTraining(wh, 'default', SOURCE, { fields: ['nope'], numeric: ['nope'] }),
    ).rejects.toMatchObject({ code: 'PW_MODEL_INVALID_SPEC', message: expect.stringContaining('"nope"') });
  });
});
