import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_CHANNELS, attributionPerson, attributionTruth } from './attribution.js';

const OPTIONS = { persons: 20_000, seed: 3, startMs: Date.parse('2026-01-05T00:00:00Z'), days: 20 };

describe('planted multi-touch journeys', () => {
  const truth = attributionTruth();

  it('has start and close shares that each add up to one', () => {
    const sum = (t: Record<string, number>) => Object.values(t).reduce((a, b) => a + b, 0);
    expect(sum(truth.startShare)).toBeCloseTo(1, 12);
    expect(sum(truth.closeShare)).toBeCloseTo(1, 12);
    expect(truth.contributionRanking).toHaveLength(ATTRIBUTION_CHANNELS.length);
  });

  it('converts as often as the chain says (within four standard errors over 20,000 persons)', () => {
    let purchases = 0;
    for (let i = 0; i < OPTIONS.persons; i++)
      purchases += attributionPerson(OPTIONS, i).filter((m) => m.event === 'purchase').length;
    const p = truth.conversionProbability;
    const se = Math.sqrt((p * (1 - p)) / OPTIONS.persons);
    expect(Math.abs(purchases / OPTIONS.persons - p)).toBeLessThan(4 * se);
  });

  it('gives a person the same messages for the same seed and index', () => {
    expect(attributionPerson(OPTIONS, 17)).toEqual(attributionPerson(OPTIONS, 17));
    expect(attributionPerson(OPTIONS, 17)).not.toEqual(attributionPerson({ ...OPTIONS, seed: 4 }, 17));
  });
});
