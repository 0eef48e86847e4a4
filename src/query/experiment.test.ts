/**
 * Experiment exposures and metric moments on a hand-made fixture (UTC; experiment 03-01 00:00 to
 * 03-03 00:00, variants A and B, window 1 day, CUPED lookback 1 day, `buy` carries `revenue`):
 *
 * | user | exposures (variant)          | buys                                                      |
 * |------|------------------------------|-----------------------------------------------------------|
 * | a    | A 03-01 10:00, A 12:00       | 10 @ 03-01 09:00 (pre), 5 @ 03-02 10:00 (window end), 7 @ 03-02 10:00:01 (late) |
 * | i    | A 03-01 18:00                | 2.5 @ 03-01 20:00, 1.5 @ 03-02 17:00                       |
 * | b    | B 03-01 11:00                | 20 @ 11:30, "oops" @ 11:40 (not a number)                  |
 * | e    | B 03-02 08:00                | 3 @ 03-01 07:59 (before the lookback)                      |
 * | h    | B 03-01 09:00                | 4 @ 08:00 (pre), 6 @ 09:00 (same instant as exposure)      |
 * | c    | A 03-01 13:00, B 14:00       | excluded: two variants                                    |
 * | d    | C 03-01 15:00                | excluded: unknown variant                                 |
 * | f    | A 02-28 23:59, A 03-03 00:00 | never exposed inside the range                            |
 *
 * Per person: revenue y (window) and pre-revenue x — A: a (5, 10), i (4, 0); B: b (20, 0),
 * e (0, 0), h (6, 4). Converted: A 2/2, B 2/3. Moments computed by hand in the tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEvent, openFixtureStore } from '../../test/events.js';
import {
  duckdbDialect,
  type ExperimentMetricQuery,
  type ExperimentScope,
  planExperimentMetrics,
  runExperimentExposures,
  runExperimentMetrics,
} from './index.js';

const DAY_SEC = 86_400;
const exp = (who: string, at: string, variant: string): FixtureEvent => ({
  who,
  event: 'exp',
  at,
  props: { variant },
});
const buy = (who: string, at: string, revenue: number | string): FixtureEvent => ({
  who,
  event: 'buy',
  at,
  props: { revenue },
});

const EVENTS: FixtureEvent[] = [
  exp('a', '2026-03-01T10:00:00Z', 'A'),
  exp('a', '2026-03-01T12:00:00Z', 'A'),
  buy('a', '2026-03-01T09:00:00Z', 10),
  buy('a', '2026-03-02T10:00:00Z', 5),
  buy('a', '2026-03-02T10:00:01Z', 7),
  exp('i', '2026-03-01T18:00:00Z', 'A'),
  buy('i', '2026-03-01T20:00:00Z', 2.5),
  buy('i', '2026-03-02T17:00:00Z', 1.5),
  exp('b', '2026-03-01T11:00:00Z', 'B'),
  buy('b', '2026-03-01T11:30:00Z', 20),
  buy('b', '2026-03-01T11:40:00Z', 'oops'),
  exp('e', '2026-03-02T08:00:00Z', 'B'),
  buy('e', '2026-03-01T07:59:00Z', 3),
  exp('h', '2026-03-01T09:00:00Z', 'B'),
  buy('h', '2026-03-01T08:00:00Z', 4),
  buy('h', '2026-03-01T09:00:00Z', 6),
  exp('c', '2026-03-01T13:00:00Z', 'A'),
  exp('c', '2026-03-01T14:00:00Z', 'B'),
  exp('d', '2026-03-01T15:00:00Z', 'C'),
  exp('f', '2026-02-28T23:59:00Z', 'A'),
  exp('f', '2026-03-03T00:00:00Z', 'A'),
];

describe('experiment plans on DuckDB', () => {
  let store: Awaited<ReturnType<typeof openFixtureStore>>;
  let scope: ExperimentScope;

  beforeAll(async () => {
    store = await openFixtureStore();
    const projectId = await store.project('exp', EVENTS);
    scope = {
      projectId,
      event: 'exp',
      variantProperty: 'variant',
      variants: ['A', 'B'],
      fromUs: Date.parse('2026-03-01T00:00:00Z') * 1000,
      toUs: Date.parse('2026-03-03T00:00:00Z') * 1000,
    };
  });
  afterAll(async () => store?.close());
  const one = async (s: ExperimentScope, m: ExperimentMetricQuery) => {
    const [moments] = await runExperimentMetrics(store.wh, s, [m]);
    if (!moments) throw new Error('one metric expected');
    return moments;
  };

  it('counts first exposures per variant and the persons it must exclude', async () => {
    expect(await runExperimentExposures(store.wh, scope)).toEqual({
      units: { A: 2, B: 3 },
      multipleVariantUnits: 1,
      unknownVariantUnits: 1,
    });
  });

  it('sums revenue in [first, first + window] and the covariate in [first − lookback, first)', async () => {
    const m = await one(scope, {
      kind: 'mean',
      outcome: { event: 'buy', property: 'revenue' },
      windowSec: DAY_SEC,
      lookbackSec: DAY_SEC,
    });
    const [a, b] = m.variants;
    expect(a).toMatchObject({ variant: 'A', n: 2, sumY: 9, meanY: 4.5, meanX: 5 });
    expect(a?.varY).toBeCloseTo(0.5, 12);
    expect(a?.varX).toBeCloseTo(50, 12);
    expect(a?.covXY).toBeCloseTo(5, 12);
    expect(b).toMatchObject({ variant: 'B', n: 3, sumY: 26 });
    expect(b?.varY).toBeCloseTo(316 / 3, 10);
    expect(b?.meanX).toBeCloseTo(4 / 3, 12);
    expect(b?.varX).toBeCloseTo(16 / 3, 12);
    expect(b?.covXY).toBeCloseTo(-16 / 3, 12);
  });

  it('counts a conversion once per person; the covariate counts pre-exposure conversions', async () => {
    const m = await one(scope, {
      kind: 'conversion',
      outcome: { event: 'buy' },
      windowSec: DAY_SEC,
      lookbackSec: DAY_SEC,
    });
    expect(m.variants.map((v) => [v.n, v.sumY, v.meanX])).toEqual([
      [2, 2, 0.5],
      [3, 2, 1 / 3],
    ]);
  });

  it('sums numerator and denominator per person for a ratio metric', async () => {
    const m = await one(scope, {
      kind: 'ratio',
      outcome: { event: 'buy', property: 'revenue' },
      denominator: { event: 'buy' },
      windowSec: DAY_SEC,
    });
    // A: (5, 1), (4, 2); B: (20, 2), (0, 0), (6, 1)
    expect(m.variants.map((v) => [v.sumY, v.meanX])).toEqual([
      [9, 1.5],
      [26, 1],
    ]);
  });

  it('winsorizes at the pooled type-7 percentile: the median of 0, 4, 5, 6, 20 is 5', async () => {
    const m = await one(scope, {
      kind: 'mean',
      outcome: { event: 'buy', property: 'revenue' },
      windowSec: DAY_SEC,
      winsorize: { upper: 0.5 },
    });
    expect(m.caps).toEqual({ lower: null, upper: 5 });
    expect(m.variants.map((v) => v.sumY)).toEqual([9, 10]);
  });

  it('computes several metrics in one pass exactly as one at a time', async () => {
    const metrics: ExperimentMetricQuery[] = [
      { kind: 'conversion', outcome: { event: 'buy' }, windowSec: DAY_SEC, lookbackSec: DAY_SEC },
      {
        kind: 'mean',
        outcome: { event: 'buy', property: 'revenue' },
        windowSec: 2 * DAY_SEC,
        winsorize: { upper: 0.5 },
      },
      {
        kind: 'ratio',
        outcome: { event: 'buy', property: 'revenue' },
        denominator: { event: 'buy' },
        windowSec: 3600,
      },
    ];
    const together = await runExperimentMetrics(store.wh, scope, metrics);
    for (const [i, m] of metrics.entries()) expect(together[i]).toEqual(await one(scope, m));
  });

  it('binds hostile event and property names instead of splicing them into SQL', () => {
    const hostile = "x'); DROP TABLE events; --";
    const q = duckdbDialect.emit(
      planExperimentMetrics({ ...scope, event: hostile, variantProperty: hostile }, [
        { kind: 'mean', outcome: { event: hostile, property: hostile }, windowSec: DAY_SEC },
      ]),
    );
    expect(q.sql).not.toContain('DROP TABLE');
    expect(q.params).toContain(hostile);
    expect(q.params).toContain(`/${hostile}`);
  });
});
