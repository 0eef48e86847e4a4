/**
 * Funnels on a real DuckDB file. Each case builds its own project from a small table of
 * events (who, event, time); times are offsets from 2024-03-01T10:00:00Z. Expected counts are
 * hand-computed from ARCHITECTURE.md "Ordered funnel" (windowFunnel's definition).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEvent, openFixtureStore } from '../../test/events.js';
import { duckdbDialect, type FunnelResult, type FunnelSpec, planFunnel, runQuery } from './index.js';

const T0 = Date.parse('2024-03-01T10:00:00Z') * 1000;
const MIN = 60_000_000;
const at = (minutes: number) => T0 + Math.round(minutes * MIN);
const RANGE = { from: '2024-03-01', to: '2024-03-31' };

type Store = Awaited<ReturnType<typeof openFixtureStore>>;
let store: Store;
let n = 0;

beforeAll(async () => {
  store = await openFixtureStore();
});
afterAll(async () => {
  await store.close();
});

async function funnel(events: readonly FixtureEvent[], spec: Partial<FunnelSpec>): Promise<FunnelResult> {
  n += 1;
  const projectId = await store.project(`f${n}`, events);
  const full: FunnelSpec = {
    kind: 'funnel',
    steps: [{ event: 'A' }, { event: 'B' }],
    windowSec: 3600,
    dateRange: RANGE,
    ...spec,
  };
  return (await runQuery(store.wh, projectId, full)) as FunnelResult;
}

const counts = (r: FunnelResult) => r.steps.map((s) => s.count);
const ev = (who: string, event: string, minutes: number, props?: Record<string, unknown>): FixtureEvent => ({
  who,
  event,
  at: at(minutes),
  ...(props ? { props } : {}),
});

describe('ordered funnels', () => {
  it('finds a later chain when the first one runs out of window', async () => {
    // p: A@0, B@120 (too late for A@0), A@180, B@210 → the chain A@180 → B@210 converts.
    const r = await funnel([ev('p', 'A', 0), ev('p', 'B', 120), ev('p', 'A', 180), ev('p', 'B', 210)], {});
    expect(counts(r)).toEqual([1, 1]);
  });

  it('keeps the best chain over three steps, not the first', async () => {
    // p: A@0, B@10, A@50, B@55, C@100 (window 60) → only A@50 → B@55 → C@100 reaches 3.
    const r = await funnel(
      [ev('p', 'A', 0), ev('p', 'B', 10), ev('p', 'A', 50), ev('p', 'B', 55), ev('p', 'C', 100)],
      { steps: [{ event: 'A' }, { event: 'B' }, { event: 'C' }] },
    );
    expect(counts(r)).toEqual([1, 1, 1]);
  });

  it('includes the window boundary and excludes one second past it', async () => {
    // in: A@0, B@60 exactly; out: A@0, B@60m1s.
    const r = await funnel(
      [ev('in', 'A', 0), ev('in', 'B', 60), ev('out', 'A', 0), ev('out', 'B', 60 + 1 / 60)],
      {},
    );
    expect(counts(r)).toEqual([2, 1]);
  });

  it('accepts equal timestamps in step order and refuses a later step before an earlier one', async () => {
    // same: A@5, B@5 → 2; rev: B@4, A@5 → 1.
    const r = await funnel(
      [ev('same', 'B', 5), ev('same', 'A', 5), ev('rev', 'B', 4), ev('rev', 'A', 5)],
      {},
    );
    expect(counts(r)).toEqual([2, 1]);
  });

  it('applies per-step filters and global filters', async () => {
    // p: A{plan:free}@0, B@10; q: A{plan:pro}@0, B@10; r: A{plan:pro}@0, B{ok:false}@10.
    const events = [
      ev('p', 'A', 0, { plan: 'free' }),
      ev('p', 'B', 10),
      ev('q', 'A', 0, { plan: 'pro' }),
      ev('q', 'B', 10, { ok: true }),
      ev('r', 'A', 0, { plan: 'pro' }),
      ev('r', 'B', 10, { ok: false }),
    ];
    const r = await funnel(events, {
      steps: [
        { event: 'A', where: { property: 'plan', op: 'eq', value: 'pro' } },
        { event: 'B', where: { not: { property: 'ok', op: 'eq', value: false } } },
      ],
    });
    expect(counts(r)).toEqual([2, 1]);
  });

  it('computes conversion, drop-off and time to convert per step', async () => {
    // a: A@0 B@10; b: A@0 B@30; c: A@0.
    const r = await funnel(
      [ev('a', 'A', 0), ev('a', 'B', 10), ev('b', 'A', 0), ev('b', 'B', 30), ev('c', 'A', 0)],
      {},
    );
    const step2 = r.steps[1];
    expect(step2).toMatchObject({
      count: 2,
      conversionFromPrevious: 2 / 3,
      conversionFromFirst: 2 / 3,
      dropOff: 1,
      dropOffRate: 1 / 3,
      avgTimeToConvertSec: 1200,
      medianTimeToConvertSec: 1200,
    });
    const bins = step2?.timeToConvertHistogram ?? [];
    expect(bins.find((b) => b.fromSec === 300)?.count).toBe(1);
    expect(bins.find((b) => b.fromSec === 1800)?.count).toBe(1);
    expect(r.dateRange).toEqual({
      from: '2024-03-01T00:00:00.000000Z',
      to: '2024-04-01T00:00:00.000000Z',
      timeZone: 'UTC',
    });
  });

  it('runs 20 steps', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `S${i}`);
    const events = names.map((e, i) => ev('p', e, i)).concat(names.slice(0, 7).map((e, i) => ev('q', e, i)));
    const r = await funnel(events, { steps: names.map((event) => ({ event })) });
    expect(counts(r)).toEqual(names.map((_, i) => (i < 7 ? 2 : 1)));
  });
});

describe('funnel variants', () => {
  it('strict: an interleaved event breaks the chain', async () => {
    // broken: A@0, X@1, B@2; clean: A@0, B@2.
    const events = [
      ev('broken', 'A', 0),
      ev('broken', 'X', 1),
      ev('broken', 'B', 2),
      ev('clean', 'A', 0),
      ev('clean', 'B', 2),
    ];
    expect(counts(await funnel(events, { mode: 'strict' }))).toEqual([2, 1]);
    expect(counts(await funnel(events, {}))).toEqual([2, 2]);
  });

  it('unordered: steps in any order within the window', async () => {
    // p: B@0, A@10 → 2 unordered, 1 ordered; q: B@0, A@70 → 1.
    const events = [ev('p', 'B', 0), ev('p', 'A', 10), ev('q', 'B', 0), ev('q', 'A', 70)];
    expect(counts(await funnel(events, { mode: 'unordered' }))).toEqual([2, 1]);
    expect(counts(await funnel(events, {}))).toEqual([2, 0]);
  });

  it('unordered: times to convert follow the order the steps were reached', async () => {
    // p: C@0, A@5, B@20 (steps A, B, C) → reached C, A, B: 5 min then 15 min; q: B@0, A@10 → 10 min.
    const events = [ev('p', 'C', 0), ev('p', 'A', 5), ev('p', 'B', 20), ev('q', 'B', 0), ev('q', 'A', 10)];
    const r = await funnel(events, {
      mode: 'unordered',
      steps: [{ event: 'A' }, { event: 'B' }, { event: 'C' }],
    });
    expect(counts(r)).toEqual([2, 2, 1]);
    expect(r.steps.map((s) => s.avgTimeToConvertSec)).toEqual([null, (5 * 60 + 10 * 60) / 2, 15 * 60]);
  });

  it('unordered: an exclusion stops the count; strict: an exclusion is another event between steps', async () => {
    // u: A@0, X@5, B@10 → 1 (both modes); v: B@0, A@5, X@10 → 2 unordered, 1 strict (B comes before A).
    const events = [
      ev('u', 'A', 0),
      ev('u', 'X', 5),
      ev('u', 'B', 10),
      ev('v', 'B', 0),
      ev('v', 'A', 5),
      ev('v', 'X', 10),
    ];
    const exclusions = [{ event: 'X' }];
    expect(counts(await funnel(events, { mode: 'unordered', exclusions }))).toEqual([2, 1]);
    expect(counts(await funnel(events, { mode: 'strict', exclusions }))).toEqual([2, 0]);
  });

  it('an exclusion step voids the chain it interrupts, not a later clean chain', async () => {
    // voided: A@0, X@5, B@10; after: A@0, B@10, X@15; later: A@0, X@5, A@8, B@10.
    const events = [
      ev('voided', 'A', 0),
      ev('voided', 'X', 5),
      ev('voided', 'B', 10),
      ev('after', 'A', 0),
      ev('after', 'B', 10),
      ev('after', 'X', 15),
      ev('later', 'A', 0),
      ev('later', 'X', 5),
      ev('later', 'A', 8),
      ev('later', 'B', 10),
    ];
    const r = await funnel(events, { exclusions: [{ event: 'X' }] });
    expect(counts(r)).toEqual([3, 2]);
  });

  it('counts sessions instead of persons', async () => {
    // one person, two sessions: s1 A B, s2 A.
    const events: FixtureEvent[] = [
      { ...ev('p', 'A', 0), session: 's1' },
      { ...ev('p', 'B', 1), session: 's1' },
      { ...ev('p', 'A', 2), session: 's2' },
    ];
    expect(counts(await funnel(events, { countBy: 'session' }))).toEqual([2, 1]);
    expect(counts(await funnel(events, {}))).toEqual([1, 1]);
  });
});

describe('breakdown, trend and persons', () => {
  it('attributes a unit to the property of the step-1 event that starts its best chain', async () => {
    // p: A{free}@0, A{pro}@120, B@150 → best chain starts at the pro event.
    // q: A{free}@0, B@10, A{pro}@20 → the chain reaching B starts at the free event.
    const events = [
      ev('p', 'A', 0, { plan: 'free' }),
      ev('p', 'A', 120, { plan: 'pro' }),
      ev('p', 'B', 150),
      ev('q', 'A', 0, { plan: 'free' }),
      ev('q', 'B', 10),
      ev('q', 'A', 20, { plan: 'pro' }),
    ];
    const r = await funnel(events, { breakdown: { property: 'plan' } });
    const byValue = Object.fromEntries(
      (r.breakdown ?? []).map((b) => [b.value, b.steps.map((s) => s.count)]),
    );
    expect(byValue).toEqual({ pro: [1, 1], free: [1, 1] });
    expect(counts(r)).toEqual([2, 2]);
  });

  it('trends conversion by the day of the chain start and pages persons', async () => {
    // d1: a converts, b drops; d2 (1440 min later): c converts.
    const events = [
      ev('a', 'A', 0),
      ev('a', 'B', 5),
      ev('b', 'A', 0),
      ev('c', 'A', 1440),
      ev('c', 'B', 1445),
    ];
    const r = await funnel(events, { persons: { step: 2, status: 'converted', limit: 1, offset: 1 } });
    expect(r.trend).toEqual([
      { cohort: '2024-03-01T00:00:00', entered: 2, converted: 1, conversionRate: 0.5 },
      { cohort: '2024-03-02T00:00:00', entered: 1, converted: 1, conversionRate: 1 },
    ]);
    expect(r.persons).toMatchObject({ total: 2, items: [{ id: 'c', stepsReached: 2 }] });
    const dropped = await funnel(events, { persons: { step: 2, status: 'dropped' } });
    expect(dropped.persons?.items.map((p) => p.id)).toEqual(['b']);
    const past = await funnel(events, { persons: { step: 2, status: 'converted', offset: 5 } });
    expect(past.persons).toMatchObject({ total: 2, items: [] });
  });
});

describe('the DuckDB funnel emitter', () => {
  it('binds every name and value and quotes nothing from the user into the SQL text', async () => {
    const hostile = `x'); DROP TABLE events; --`;
    const spec: FunnelSpec = {
      kind: 'funnel',
      steps: [
        { event: hostile, where: { property: `a"b/c~d`, op: 'in', value: [hostile, 'ok'] } },
        { event: 'B' },
      ],
      breakdown: { property: hostile },
    };
    const plan = planFunnel(spec, { projectId: 'p1', timeZone: 'Europe/Berlin', fromUs: 0, toUs: 10 });
    const q = duckdbDialect.emit(plan);
    expect(q.sql).not.toContain('DROP');
    expect(q.sql.split('\n')[0]).toBe(
      'WITH base AS MATERIALIZED (SELECT coalesce(person_id, distinct_id) AS u, epoch_us("timestamp") AS tus, ' +
        'json_extract_string(properties, $3) AS bd, list_position($7, event) AS en, ' +
        'coalesce(list_contains($2, json_extract_string(properties, $1)), FALSE) AS f0 FROM events ' +
        'WHERE project_id = $4 AND "timestamp" >= $5 AND "timestamp" < $6 AND coalesce(person_id, distinct_id) IS NOT NULL ' +
        'AND list_position($7, event) > 0),',
    );
    expect(q.sql).toContain('FROM base WHERE (en = 2) AND u IN (SELECT u FROM s0)');
    // One unfiltered reference to base keeps DuckDB from pushing every step's test into its scan.
    expect(q.sql).toContain('FROM base b JOIN (SELECT TRUE AS hit) h ON (b.en = 1 AND b.f0) = h.hit)');
    expect(q.params).toEqual([
      '/a"b~1c~0d',
      [hostile, 'ok'],
      `/${hostile}`,
      'p1',
      { timestampUs: 0 },
      { timestampUs: 10 },
      [hostile, 'B'],
      1_209_600_000_000,
      'day',
      'Europe/Berlin',
    ]);
    const rows = await store.wh.all(q);
    expect(rows).toEqual([]);
    expect(
      await store.wh.all({ sql: "SELECT 1 FROM information_schema.tables WHERE table_name = 'events'" }),
    ).toEqual([{ 1: 1 }]);
  });
});
