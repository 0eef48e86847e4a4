import { describe, expect, it } from 'vitest';
import { ageBands, coarseLocation, kAnonymize, shareableFunnel, valueOrAny } from './index.js';

/**
 * A hand-built table of persons by age and country (22 persons):
 *
 *   age | country | persons
 *    23 | DE      | 3
 *    24 | FR      | 4
 *    27 | DE      | 6
 *    31 | US      | 2
 *    33 | CA      | 5
 *    35 | US      | 1
 *    52 | JP      | 1
 *
 * k = 5, suppression budget 10% (2.2 persons). Datafly by hand:
 * 1. raw: groups under 5 hold 3+4+2+1+1 = 11 persons; age has 7 values, country 5 → age to 5-year bands.
 * 2. 20-24/DE 3, 20-24/FR 4, 25-29/DE 6, 30-34/US 2, 30-34/CA 5, 35-39/US 1, 50-54/JP 1: small 11;
 *    5 age values = 5 country values → the first column, age, to 10-year bands.
 * 3. 20-29/DE 9, 20-29/FR 4, 30-39/US 3, 30-39/CA 5, 50-59/JP 1: small 8; age 3 values < country 5
 *    → country to continents.
 * 4. 20-29/EU 13, 30-39/NA 8, 50-59/AS 1: small 1 ≤ 2.2 → stop; suppress 50-59/AS (1 row, 1 person).
 */
const TABLE = [
  { values: { age: 23, country: 'DE' }, persons: 3 },
  { values: { age: 24, country: 'FR' }, persons: 4 },
  { values: { age: 27, country: 'DE' }, persons: 6 },
  { values: { age: 31, country: 'US' }, persons: 2 },
  { values: { age: 33, country: 'CA' }, persons: 5 },
  { values: { age: 35, country: 'US' }, persons: 1 },
  { values: { age: 52, country: 'JP' }, persons: 1 },
];

describe('k-anonymity (generalization, then suppression)', () => {
  it('generalizes age and country until small groups fit the budget, and counts what it suppressed', () => {
    const result = kAnonymize(TABLE, { k: 5, hierarchies: { age: ageBands, country: coarseLocation } });
    expect(result.levels).toEqual({ age: 2, country: 1 });
    expect(result.rows).toEqual([
      { values: { age: '20-29', country: 'EU' }, persons: 13, measures: {} },
      { values: { age: '30-39', country: 'NA' }, persons: 8, measures: {} },
    ]);
    expect(result.suppressedRows).toBe(1);
    expect(result.suppressedPersons).toBe(1);
    expect(result.rows.every((r) => r.persons >= 5)).toBe(true);
  });

  it('suppresses without generalizing when the small groups fit the budget already', () => {
    // Budget 50% of 22 = 11 ≥ the 11 persons in raw groups under 5: five raw rows are dropped.
    const result = kAnonymize(TABLE, { k: 5, maxSuppressedShare: 0.5, hierarchies: { age: ageBands } });
    expect(result.levels).toEqual({ age: 0, country: 0 });
    expect(result.rows.map((r) => r.persons)).toEqual([6, 5]);
    expect(result.suppressedRows).toBe(5);
    expect(result.suppressedPersons).toBe(11);
  });

  it("collapses a column without a hierarchy to '*' when nothing else helps", () => {
    const rows = [
      { values: { plan: 'pro' }, persons: 2 },
      { values: { plan: 'team' }, persons: 2 },
      { values: { plan: 'free' }, persons: 9 },
    ];
    const result = kAnonymize(rows, { k: 5, hierarchies: { plan: valueOrAny } });
    expect(result.rows).toEqual([{ values: { plan: '*' }, persons: 13, measures: {} }]);
    expect(result.suppressedRows).toBe(0);
  });

  it('drops a whole table smaller than k and says so', () => {
    const result = kAnonymize([{ values: { plan: 'pro' }, persons: 3 }], { k: 5 });
    expect(result.rows).toEqual([]);
    expect(result.suppressedRows).toBe(1);
    expect(result.suppressedPersons).toBe(3);
  });
});

describe('shareable funnel breakdowns', () => {
  const step = (count: number) => ({
    count,
    conversionFromPrevious: null,
    conversionFromFirst: null,
    dropOff: 0,
    dropOffRate: null,
    avgTimeToConvertSec: 10,
    medianTimeToConvertSec: 10,
    timeToConvertHistogram: [],
  });
  // DE 6→4, FR 3→1, US 5→2, CA 1→1 (15 persons). Raw: FR and CA (4 persons) are under k = 5, over
  // the 1.5-person budget → countries become continents: EU 9→5, NA 6→3, nothing suppressed.
  const funnel = {
    countBy: 'person' as const,
    steps: [step(15), step(8)],
    breakdown: [
      { value: 'DE', steps: [step(6), step(4)] },
      { value: 'US', steps: [step(5), step(2)] },
      { value: 'FR', steps: [step(3), step(1)] },
      { value: 'CA', steps: [step(1), step(1)] },
    ],
    persons: { items: [{ id: 'u-1' }] },
  };

  it('merges countries into continents with exact step counts and drops the persons list', () => {
    const shared = shareableFunnel(funnel, { field: 'country', k: 5 });
    expect(shared.breakdown?.map((b) => [b.value, b.steps.map((s) => s.count)])).toEqual([
      ['EU', [9, 5]],
      ['NA', [6, 3]],
    ]);
    expect(shared.breakdown?.[0]?.steps[1]?.conversionFromFirst).toBeCloseTo(5 / 9, 12);
    expect(shared.shareable).toEqual({
      k: 5,
      suppressedRows: 0,
      suppressedPersons: 0,
      levels: { country: 1 },
    });
    expect('persons' in shared).toBe(false);
  });

  it('refuses funnels counted by session', () => {
    expect(() => shareableFunnel({ ...funnel, countBy: 'session' }, { field: 'country' })).toThrow(
      /counts persons/,
    );
  });
});
