/**
 * Trends, retention and paths on a real DuckDB file; expected numbers are hand-computed from
 * the fixture tables in each block and the definitions in README "Insights".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEvent, openFixtureStore } from '../../test/events.js';
import {
  duckdbDialect,
  type PathsResult,
  planTrends,
  type RetentionResult,
  type RetentionSpec,
  runQuery,
  type TrendsResult,
} from './index.js';

type Store = Awaited<ReturnType<typeof openFixtureStore>>;
let store: Store;

beforeAll(async () => {
  store = await openFixtureStore();
});
afterAll(async () => {
  await store.close();
});

describe('trends', () => {
  /**
   * Project zone America/New_York (UTC−5 in January).
   * | who | event      | UTC               | local day | props       |
   * |-----|------------|-------------------|-----------|-------------|
   * | u1  | click      | 01-02 04:30       | 01-01     | price 10    |
   * | u1  | click      | 01-02 05:30       | 01-02     | price 30    |
   * | u2  | click      | 01-02 12:00       | 01-02     | price 50    |
   * | u1  | impression | 01-01 12:00       | 01-01     |             |
   * | u2  | impression | 01-02 12:00 (×3)  | 01-02     |             |
   * | u3  | click      | 01-03 06:00       | 01-03     | (outside)   |
   */
  let pid = '';
  beforeAll(async () => {
    const e = (who: string, event: string, at: string, props?: Record<string, unknown>): FixtureEvent => ({
      who,
      event,
      at,
      ...(props ? { props } : {}),
    });
    pid = await store.project(
      'trends',
      [
        e('u1', 'click', '2024-01-02T04:30:00Z', { price: 10, plan: 'pro' }),
        e('u1', 'click', '2024-01-02T05:30:00Z', { price: 30, plan: 'pro' }),
        e('u2', 'click', '2024-01-02T12:00:00Z', { price: 50, plan: 'free' }),
        e('u1', 'impression', '2024-01-01T12:00:00Z'),
        e('u2', 'impression', '2024-01-02T12:00:00Z'),
        e('u2', 'impression', '2024-01-02T12:00:01Z'),
        e('u2', 'impression', '2024-01-02T12:00:02Z'),
        e('u3', 'click', '2024-01-03T06:00:00Z', { price: 1, plan: 'team' }),
      ],
      'America/New_York',
    );
  });
  const range = { from: '2024-01-01', to: '2024-01-02' };

  it('buckets by local day in the project zone and reports the resolved range', async () => {
    const r = (await runQuery(store.wh, pid, {
      kind: 'trends',
      series: [
        { event: 'click' },
        { event: 'click', math: 'unique_persons' },
        { event: 'click', math: 'sum', property: 'price' },
      ],
      dateRange: range,
    })) as TrendsResult;
    expect(r.dateRange).toEqual({
      from: '2024-01-01T05:00:00.000000Z',
      to: '2024-01-03T05:00:00.000000Z',
      timeZone: 'America/New_York',
    });
    expect(r.series.map((s) => s.buckets)).toEqual(
      Array(3).fill(['2024-01-01T00:00:00', '2024-01-02T00:00:00']),
    );
    expect(r.series.map((s) => s.values)).toEqual([
      [1, 2],
      [1, 2],
      [10, 80],
    ]);
  });

  it('computes statistics, a formula and the previous period', async () => {
    const r = (await runQuery(store.wh, pid, {
      kind: 'trends',
      series: [
        { event: 'click' },
        { event: 'impression' },
        { event: 'click', math: 'median', property: 'price' },
        { event: 'impression', math: 'per_person_avg' },
      ],
      formula: 'A / B',
      compare: true,
      dateRange: range,
    })) as TrendsResult;
    expect(r.series[2]?.values).toEqual([10, 40]);
    expect(r.series[3]?.values).toEqual([1, 3]);
    expect(r.formula?.values).toEqual([1, 2 / 3]);
    expect(r.previous?.dateRange.from).toBe('2023-12-30T05:00:00.000000Z');
    expect(r.previous?.series[0]?.values).toEqual([0, 0]);
  });

  it('breaks down by a property with top N and $other', async () => {
    const r = (await runQuery(store.wh, pid, {
      kind: 'trends',
      series: [{ event: 'click' }],
      breakdown: { property: 'plan', limit: 1 },
      dateRange: { from: '2024-01-01', to: '2024-01-03' },
    })) as TrendsResult;
    const by = Object.fromEntries(r.series.map((s) => [s.breakdownValue, s.values]));
    expect(by).toEqual({ pro: [1, 1, 0], $other: [0, 1, 1] });
  });

  it('counts weekly active persons over the trailing seven local days', async () => {
    const r = (await runQuery(store.wh, pid, {
      kind: 'trends',
      series: [
        { event: 'click', math: 'wau' },
        { event: 'click', math: 'dau' },
      ],
      dateRange: { from: '2024-01-01', to: '2024-01-03' },
    })) as TrendsResult;
    expect(r.series[0]?.values).toEqual([1, 2, 3]);
    expect(r.series[1]?.values).toEqual([1, 2, 1]);
  });

  it('emits bound SQL for a hostile breakdown and filter', () => {
    const [plan] = planTrends(
      {
        kind: 'trends',
        series: [{ event: 'x', where: { column: 'country', op: 'contains', value: "'; DROP" } }],
        breakdown: { property: "a'b" },
      },
      { projectId: 'p', timeZone: 'UTC', fromUs: 0, toUs: 86_400_000_000 },
    );
    if (!plan) throw new Error('no plan');
    const q = duckdbDialect.emit(plan);
    expect(q.sql).not.toContain('DROP');
    expect(q.sql).toContain(`strpos(lower("country"), lower($`);
    expect(q.params).toEqual(expect.arrayContaining(["'; DROP", "/a'b", 'x', 'p', 'day', 'UTC']));
  });
});

describe('retention', () => {
  /**
   * UTC, daily periods, range 2024-01-01 (d0) … 2024-01-04 (d3).
   * | who | start (s) / return (r)                 |
   * |-----|----------------------------------------|
   * | a   | s d0, r d1, s d2, r d3                 |
   * | b   | s d1, r d3                             |
   * | c   | s d0                                   |
   * | d   | s 2023-12-30 (before), s d1, r d2      |
   */
  let pid = '';
  beforeAll(async () => {
    const day = (d: number) => `2024-01-0${d + 1}T12:00:00Z`;
    pid = await store.project('retention', [
      { who: 'a', event: 's', at: day(0) },
      { who: 'a', event: 'r', at: day(1) },
      { who: 'a', event: 's', at: day(2) },
      { who: 'a', event: 'r', at: day(3) },
      { who: 'b', event: 's', at: day(1) },
      { who: 'b', event: 'r', at: day(3) },
      { who: 'c', event: 's', at: day(0) },
      { who: 'd', event: 's', at: '2023-12-30T12:00:00Z' },
      { who: 'd', event: 's', at: day(1) },
      { who: 'd', event: 'r', at: day(2) },
    ]);
  });
  const spec = (patch: Partial<RetentionSpec>): RetentionSpec => ({
    kind: 'retention',
    start: [{ event: 's' }],
    return: [{ event: 'r' }],
    periods: 3,
    dateRange: { from: '2024-01-01', to: '2024-01-04' },
    ...patch,
  });
  const table = (r: RetentionResult) => r.cohorts.map((c) => c.retained);

  it('first-time cohorts: a person counts once, from their first start event ever', async () => {
    const r = (await runQuery(store.wh, pid, spec({}))) as RetentionResult;
    expect(table(r)).toEqual([
      [2, 1, 0, 1],
      [1, 0, 1, null],
      [0, 0, null, null],
      [0, null, null, null],
    ]);
    expect(r.average[1]).toBeCloseTo(1 / 3);
  });

  it('recurring cohorts: every period with a start event', async () => {
    const r = (await runQuery(store.wh, pid, spec({ cohort: 'recurring' }))) as RetentionResult;
    expect(table(r)).toEqual([
      [2, 1, 0, 1],
      [2, 1, 1, null],
      [1, 1, null, null],
      [0, null, null, null],
    ]);
  });

  it('unbounded retention counts a return in period N or later', async () => {
    const r = (await runQuery(store.wh, pid, spec({ returnMode: 'unbounded' }))) as RetentionResult;
    expect(table(r).slice(0, 2)).toEqual([
      [2, 1, 1, 1],
      [1, 1, 1, null],
    ]);
  });
});

describe('paths', () => {
  /**
   * Sessions (one person each), in time order:
   * | session | events                                      |
   * |---------|---------------------------------------------|
   * | s1      | home list list item list item cart          |
   * | s2      | home item error                             |
   * | s3      | home list item list                         |
   */
  it('collapses repeats, counts transitions, loops and dead ends', async () => {
    const seqs: Record<string, string[]> = {
      s1: ['home', 'list', 'list', 'item', 'list', 'item', 'cart'],
      s2: ['home', 'item', 'error'],
      s3: ['home', 'list', 'item', 'list'],
    };
    const events: FixtureEvent[] = Object.entries(seqs).flatMap(([s, evs]) =>
      evs.map((event, i) => ({ who: `p_${s}`, session: s, event, at: `2024-02-01T10:0${i}:00Z` })),
    );
    const pid = await store.project('paths', events);
    const r = (await runQuery(store.wh, pid, {
      kind: 'paths',
      start: { event: 'home' },
      steps: 5,
      errorEvents: ['error'],
      dateRange: { from: '2024-02-01', to: '2024-02-01' },
    })) as PathsResult;
    expect(r.units).toBe(3);
    expect(r.transitions).toEqual([
      { step: 1, from: 'home', to: 'list', units: 2 },
      { step: 1, from: 'home', to: 'item', units: 1 },
      { step: 2, from: 'list', to: 'item', units: 2 },
      { step: 2, from: 'item', to: 'error', units: 1 },
      { step: 3, from: 'item', to: 'list', units: 2 },
      { step: 4, from: 'list', to: 'item', units: 1 },
    ]);
    expect(r.loops).toEqual({ units: 2, top: [{ event: 'list', units: 2 }] });
    expect(r.deadEnds.units).toBe(2);
    expect(r.deadEnds.top.map((d) => d.reason).sort()).toEqual(['error', 'loop']);
  });
});
