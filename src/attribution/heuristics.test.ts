/**
 * Rule-based models and roles on hand-built journeys, values computed by hand (half-life 1 day,
 * position-based 40/20/40, "direct" is direct; d = days before the conversion):
 *
 * | journey | touches (time before conversion)         | converted | value |
 * |---------|------------------------------------------|-----------|-------|
 * | J1      | A (0)                                    | yes       | 100   |
 * | J2      | A (2d), B (1d)                           | yes       | 60    |
 * | J3      | B (3d), direct (2d), C (1d), direct (0)  | yes       | 40    |
 * | J4      | direct (0)                               | yes       | 10    |
 * | J5      | C, A                                     | no        | —     |
 */
import { describe, expect, it } from 'vitest';
import { journeySetOf } from '../query/index.js';
import { type HeuristicModel, heuristicCredit } from './heuristics.js';
import { channelRoles } from './roles.js';

const D = 86_400;
const set = journeySetOf([
  { touches: ['A'], secondsBefore: [0], isConverted: true, value: 100 },
  { touches: ['A', 'B'], secondsBefore: [2 * D, D], isConverted: true, value: 60 },
  {
    touches: ['B', 'direct', 'C', 'direct'],
    secondsBefore: [3 * D, 2 * D, D, 0],
    isConverted: true,
    value: 40,
  },
  { touches: ['direct'], secondsBefore: [0], isConverted: true, value: 10 },
  { touches: ['C', 'A'], secondsBefore: [D, 0], isConverted: false },
]);
const rules = {
  isDirect: set.labels.map((l) => l === 'direct'),
  halfLifeSec: D,
  positionFirst: 0.4,
  positionLast: 0.4,
};
const credit = heuristicCredit(set, rules);

function of(model: HeuristicModel, what: 'conversions' | 'value'): Record<string, number> {
  return Object.fromEntries(set.labels.map((l, c) => [l, credit[model][what][c] as number]));
}

function expectCredit(actual: Record<string, number>, expected: Record<string, number>): void {
  for (const [k, v] of Object.entries(expected)) expect(actual[k]).toBeCloseTo(v, 12);
}

describe('rule-based attribution', () => {
  it('first touch credits the journey opener', () => {
    expectCredit(of('first_touch', 'conversions'), { A: 2, B: 1, C: 0, direct: 1 });
    expectCredit(of('first_touch', 'value'), { A: 160, B: 40, C: 0, direct: 10 });
  });

  it('last touch credits the closer', () => {
    expectCredit(of('last_touch', 'conversions'), { A: 1, B: 1, C: 0, direct: 2 });
    expectCredit(of('last_touch', 'value'), { A: 100, B: 60, C: 0, direct: 50 });
  });

  it('last non-direct skips direct touches and falls back to direct when nothing else is there', () => {
    expectCredit(of('last_non_direct', 'conversions'), { A: 1, B: 1, C: 1, direct: 1 });
    expectCredit(of('last_non_direct', 'value'), { A: 100, B: 60, C: 40, direct: 10 });
  });

  it('linear gives every touch an equal share, so a label touched twice gets two', () => {
    expectCredit(of('linear', 'conversions'), { A: 1.5, B: 0.75, C: 0.25, direct: 1.5 });
    expectCredit(of('linear', 'value'), { A: 130, B: 40, C: 10, direct: 30 });
  });

  it('time decay halves a touch per half-life before the conversion', () => {
    // J2: weights 1/4, 1/2 → A 1/3, B 2/3. J3: 1/8, 1/4, 1/2, 1 (sum 15/8) → B 1/15, direct 2/3, C 4/15.
    expectCredit(of('time_decay', 'conversions'), { A: 4 / 3, B: 11 / 15, C: 4 / 15, direct: 5 / 3 });
    expectCredit(of('time_decay', 'value'), { A: 120, B: 40 + 40 / 15, C: 160 / 15, direct: 80 / 3 + 10 });
  });

  it('position-based gives 40/20/40, a two-touch journey 50/50 and a one-touch journey all', () => {
    expectCredit(of('position_based', 'conversions'), { A: 1.5, B: 0.9, C: 0.1, direct: 1.5 });
    expectCredit(of('position_based', 'value'), { A: 130, B: 46, C: 4, direct: 30 });
    const c = heuristicCredit(set, { ...rules, positionFirst: 0.3, positionLast: 0.3 }).position_based;
    const byLabel = Object.fromEntries(set.labels.map((l, i) => [l, c.conversions[i] as number]));
    // J3: B 0.3, direct (middle) 0.2, C 0.2, direct (last) 0.3.
    expectCredit(byLabel, { A: 1.5, B: 0.8, C: 0.2, direct: 1.5 });
  });

  it('every rule hands out exactly the conversions and value of converting journeys', () => {
    for (const m of Object.keys(credit) as HeuristicModel[]) {
      expect(credit[m].conversions.reduce((a, b) => a + b, 0)).toBeCloseTo(4, 12);
      expect(credit[m].value.reduce((a, b) => a + b, 0)).toBeCloseTo(210, 9);
    }
  });
});

describe('roles', () => {
  const roles = Object.fromEntries(channelRoles(set).map((r) => [r.channel, r]));

  it('counts starts, assists and closes once per converting journey', () => {
    expect(roles.A).toMatchObject({ journeys: 3, convertingJourneys: 2, starts: 2, assists: 0, closes: 1 });
    expect(roles.B).toMatchObject({ journeys: 2, convertingJourneys: 2, starts: 1, assists: 0, closes: 1 });
    expect(roles.C).toMatchObject({ journeys: 2, convertingJourneys: 1, starts: 0, assists: 1, closes: 0 });
    expect(roles.direct).toMatchObject({
      journeys: 2,
      convertingJourneys: 2,
      starts: 1,
      assists: 1,
      closes: 2,
    });
  });

  it('calls a label an initiator or a closer by its share of starts among starts and closes', () => {
    expect(roles.A?.role).toBe('initiator');
    expect(roles.B?.role).toBe('balanced');
    expect(roles.C?.role).toBeNull();
    expect(roles.direct?.role).toBe('closer');
    expect(roles.direct?.closeShare).toBe(1);
    expect(roles.direct?.assistShare).toBe(0.5);
    expect(roles.C?.journeyConversionRate).toBe(0.5);
  });

  it('reports positions and times to conversion of touches in converting journeys', () => {
    expect(roles.A).toMatchObject({ avgPosition: 1, avgPositionFromEnd: 1.5, avgSecondsToConversion: D });
    expect(roles.A?.medianSecondsToConversion).toBe(D);
    expect(roles.direct?.avgPosition).toBeCloseTo(7 / 3, 12);
    expect(roles.direct?.avgSecondsToConversion).toBeCloseTo((2 * D) / 3, 9);
    expect(roles.direct?.medianSecondsToConversion).toBe(0);
  });
});
