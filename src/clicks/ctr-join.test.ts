/**
 * The click/impression join and CTR tables on a real DuckDB file. Project zone UTC, all times on
 * 2024-03-01; expected numbers are hand-computed from this table and README "Click-through
 * analytics" (a click joins the latest impression of the same person and item, by request_id
 * when the click has one, else by list_id, at most 30 minutes earlier, inclusive).
 *
 * | id  | who | time  | event                                              |
 * |-----|-----|-------|----------------------------------------------------|
 * | E1  | u1  | 10:00 | $impression home r1 items a@1 b@2 c@3              |
 * | E2  | u1  | 11:00 | $impression home r2 items b@1 a@2                  |
 * | E3  | u2  | 10:00 | $impression search, single item a@1 (no request)   |
 * | E4  | u2  | 12:00 | $impression search, single item c@2                |
 * | C1  | u1  | 10:05 | $click b r1          → E1.b matched                |
 * | C2  | u1  | 10:06 | $click b r1          → E1.b matched (second click) |
 * | C3  | u1  | 11:31 | $click a r2          → E2.a 31 min: outside window |
 * | C4  | u1  | 11:10 | $click c home        → E1.c 70 min: outside window |
 * | C5  | u2  | 10:30 | $click a search      → E3.a exactly 30 min: matched|
 * | C6  | u2  | 11:59 | $click c search      → E4 is later: no impression  |
 * | C7  | u3  | 10:00 | $click a home        → no impression of u3         |
 * | C8  | u1  | 10:07 | $click r1, no item   → missing key                 |
 * | C9  | u1  | 10:08 | $click a, no list    → missing key                 |
 * | C10 | u2  | 12:10 | $click c search      → E4.c matched                |
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEvent, openFixtureStore } from '../../test/events.js';
import { wilsonInterval } from '../models/index.js';
import type { CtrSpec } from '../query/index.js';
import { runCtrQuery } from './index.js';

type Store = Awaited<ReturnType<typeof openFixtureStore>>;
let store: Store;
let pid = '';

const at = (hhmm: string) => `2024-03-01T${hhmm}:00Z`;
const imp = (who: string, t: string, props: Record<string, unknown>): FixtureEvent => ({
  who,
  event: '$impression',
  at: at(t),
  props,
});
const click = (who: string, t: string, props: Record<string, unknown>): FixtureEvent => ({
  who,
  event: '$click',
  at: at(t),
  props,
});

beforeAll(async () => {
  store = await openFixtureStore();
  const items = (...xs: [string, number][]) => xs.map(([item_id, position]) => ({ item_id, position }));
  pid = await store.project('clicks', [
    imp('u1', '10:00', { list_id: 'home', request_id: 'r1', items: items(['a', 1], ['b', 2], ['c', 3]) }),
    imp('u1', '11:00', { list_id: 'home', request_id: 'r2', items: items(['b', 1], ['a', 2]) }),
    imp('u2', '10:00', { list_id: 'search', item_id: 'a', position: 1 }),
    imp('u2', '12:00', { list_id: 'search', item_id: 'c', position: 2, item_category: 'x' }),
    click('u1', '10:05', { item_id: 'b', list_id: 'home', request_id: 'r1' }),
    click('u1', '10:06', { item_id: 'b', request_id: 'r1' }),
    click('u1', '11:31', { item_id: 'a', list_id: 'home', request_id: 'r2' }),
    click('u1', '11:10', { item_id: 'c', list_id: 'home' }),
    click('u2', '10:30', { item_id: 'a', list_id: 'search' }),
    click('u2', '11:59', { item_id: 'c', list_id: 'search' }),
    click('u3', '10:00', { item_id: 'a', list_id: 'home' }),
    click('u1', '10:07', { request_id: 'r1' }),
    click('u1', '10:08', { item_id: 'a' }),
    click('u2', '12:10', { item_id: 'c', list_id: 'search' }),
  ]);
});
afterAll(async () => {
  await store.close();
});

const DAY = { from: '2024-03-01', to: '2024-03-01' };
const run = (spec: Omit<CtrSpec, 'kind'>) =>
  runCtrQuery(store.wh, pid, { kind: 'ctr', dateRange: DAY, ...spec });

describe('click/impression join', () => {
  it('counts every click by how it joined, unmatched ones included', async () => {
    const r = await run({});
    expect(r.clickJoin).toEqual({
      total: 10,
      matched: 4,
      outsideWindow: 2,
      noImpression: 2,
      missingKey: 2,
      unmatched: 6,
    });
    expect(r.totals).toMatchObject({ impressions: 7, clicked: 3, clicks: 4, ctr: 3 / 7 });
  });

  it('a longer window matches the click 31 minutes after its impression, not the one 70 minutes after', async () => {
    const r = await run({ conventions: { clickWindowSec: 3600 } });
    expect(r.clickJoin).toMatchObject({ matched: 5, outsideWindow: 1 });
    expect(r.rows.find((x) => x.group.item === 'a')).toMatchObject({ impressions: 3, clicked: 2 });
  });

  it('joinBy request_id leaves clicks without a request_id unmatched', async () => {
    const r = await run({ conventions: { joinBy: 'request_id' } });
    // C1 and C2 match, C3 is outside the window; C4–C7, C9, C10 have no request_id, C8 no item.
    expect(r.clickJoin).toMatchObject({ matched: 2, outsideWindow: 1, noImpression: 0, missingKey: 7 });
  });

  it('counts impressions in range only, but joins clicks to impressions up to one window before it', async () => {
    const r = await run({ dateRange: { from: '2024-03-01T10:30:00Z', to: '2024-03-01T12:30:00Z' } });
    // Clicks in range: C3 C4 (outside), C5 (→ E3 at 10:00, before the range), C6 (none), C10.
    expect(r.clickJoin).toMatchObject({ total: 5, matched: 2, outsideWindow: 2, noImpression: 1 });
    expect(r.totals).toMatchObject({ impressions: 3, clicked: 1, clicks: 1 });
  });
});

describe('CTR tables', () => {
  it('by item: impressions, clicked impressions and clicks with Wilson intervals, most shown first', async () => {
    const r = await run({ by: ['item'] });
    expect(r.rows.map((x) => [x.group.item, x.impressions, x.clicked, x.clicks])).toEqual([
      ['a', 3, 1, 1],
      ['b', 2, 1, 2],
      ['c', 2, 1, 1],
    ]);
    const a = r.rows[0];
    expect(a?.ctr).toBe(1 / 3);
    expect([a?.ctrLow, a?.ctrHigh]).toEqual(Object.values(wilsonInterval(1, 3)));
    expect(r.groups).toBe(3);
    expect(r.isTruncated).toBe(false);
  });

  it('by position, in position order', async () => {
    const r = await run({ by: ['position'] });
    expect(r.rows.map((x) => [x.group.position, x.impressions, x.clicked])).toEqual([
      [1, 3, 1],
      [2, 3, 2],
      [3, 1, 0],
    ]);
  });

  it('by list and item category: the item key first, then the event property', async () => {
    const byList = await run({ by: ['list'] });
    expect(byList.rows.map((x) => [x.group.list, x.impressions, x.clicked])).toEqual([
      ['home', 5, 1],
      ['search', 2, 2],
    ]);
    const byCategory = await run({ by: ['item_category'] });
    expect(byCategory.rows.map((x) => [x.group.item_category, x.impressions])).toEqual([
      [null, 6],
      ['x', 1],
    ]);
  });

  it('over time by hour', async () => {
    const r = await run({ by: [{ interval: 'hour' }] });
    expect(r.rows.map((x) => [x.group['interval:hour'], x.impressions, x.clicked])).toEqual([
      ['2024-03-01T10:00:00', 4, 2],
      ['2024-03-01T11:00:00', 2, 0],
      ['2024-03-01T12:00:00', 1, 1],
    ]);
  });

  it('filters impressions, applies the minimum and the limit, and reports the groups left', async () => {
    const search = await run({ by: ['item'], where: { property: 'list_id', op: 'eq', value: 'search' } });
    expect(search.totals).toMatchObject({ impressions: 2, clicked: 2 });
    expect(search.clickJoin.total).toBe(10);
    const top = await run({ by: ['item', 'position'], minImpressions: 2, limit: 1 });
    // (a,1): E1.a and E3.a; every other (item, position) pair has one impression.
    expect(top.rows.map((x) => [x.group.item, x.group.position, x.impressions])).toEqual([['a', 1, 2]]);
    expect(top.groups).toBe(1);
    const all = await run({ by: ['item', 'position'], limit: 2 });
    expect(all.groups).toBe(6);
    expect(all.isTruncated).toBe(true);
    expect(all.rows).toHaveLength(2);
  });

  it('adds the debiased CTR of each item from a PBM on the same impressions', async () => {
    const r = await run({ by: ['item'], debias: true });
    expect(r.clickModel?.examination[0]).toMatchObject({ position: 1, value: 1, low: 1, high: 1 });
    for (const row of r.rows) {
      expect(row.debiasedCtr?.value).toBeGreaterThanOrEqual(0);
      expect(row.debiasedCtr?.value).toBeLessThanOrEqual(1);
    }
  });
});

describe('hostile names', () => {
  it('are bound or escaped: a property name with quotes and SQL reads as a key, the events table is intact', async () => {
    const name = `x'); DROP TABLE events; --"`;
    const r = await run({
      by: [{ property: name }],
      conventions: { impressionEvent: "$impression' OR '1'='1", clickEvent: '$click' },
    });
    expect(r.totals.impressions).toBe(0);
    const ok = await run({ by: [{ property: name }, 'list'] });
    expect(ok.rows.map((x) => [x.group[`property:${name}`], x.group.list, x.impressions])).toEqual([
      [null, 'home', 5],
      [null, 'search', 2],
    ]);
    const count = await store.wh.all({ sql: 'SELECT count(*) AS n FROM events' });
    expect(count[0]?.n).toBe(14);
  });
});
