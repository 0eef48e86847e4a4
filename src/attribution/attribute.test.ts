/**
 * The whole comparison on the fixed journey set of test/fixtures/attribution (100 conversions,
 * 5 channels; the Markov and Shapley numbers are checked against the Python reference in
 * reference.test.ts, the rules in heuristics.test.ts). Here: that the pieces are put together
 * right — totals, cost and ROI arithmetic, intervals, seeding and the advice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JourneyExtract, journeySetOf } from '../query/index.js';
import { Rng } from '../sim/index.js';
import { attribute } from './attribute.js';
import { optionsOf } from './options.js';

const DIR = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'attribution');
const paths = (
  JSON.parse(readFileSync(join(DIR, 'journeys.json'), 'utf8')) as {
    paths: { path: string[]; conversions: number; nulls: number; value: number }[];
  }
).paths;
const set = journeySetOf(
  paths.flatMap((p) => [
    ...Array.from({ length: p.conversions }, () => ({
      touches: p.path,
      isConverted: true,
      value: p.value / p.conversions,
    })),
    ...Array.from({ length: p.nulls }, () => ({ touches: p.path, isConverted: false })),
  ]),
);
const extract: JourneyExtract = {
  dateRange: { from: '2026-02-01T00:00:00.000000Z', to: '2026-03-01T00:00:00.000000Z', timeZone: 'UTC' },
  timeZone: 'UTC',
  set,
  conversions: 103,
  conversionValue: 10_000,
  distinctLabels: 5,
  truncatedJourneys: 0,
  settings: {
    conversion: { event: 'purchase' },
    touchpoints: [{ kind: 'session' }],
    lookbackDays: 30,
    collapseRepeats: true,
    maxLabels: 20,
    maxTouches: 50,
  },
};
const random = (seed: number, stream: number) => new Rng(seed, stream);
const run = (spec: Parameters<typeof optionsOf>[0]) => attribute(extract, optionsOf(spec), random);

describe('the attribution comparison', () => {
  const r = run({ markovOrders: [1, 2], bootstrapSamples: 200, spend: { email: 100, display: 20_000 } });
  const row = (c: string) => r.comparison.find((x) => x.channel === c);

  it('lists every model, and each hands out exactly the attributed conversions and value', () => {
    expect(r.models.map((m) => m.id)).toEqual([
      'first_touch',
      'last_touch',
      'last_non_direct',
      'linear',
      'time_decay',
      'position_based',
      'markov_1',
      'markov_2',
      'shapley',
    ]);
    expect(r.summary).toMatchObject({
      convertingJourneys: 100,
      attributedConversions: 100,
      unattributedConversions: 3,
    });
    const attributedValue = paths.reduce((a, p) => a + p.value, 0);
    for (const m of r.models) {
      expect(r.comparison.reduce((a, c) => a + (c.conversions[m.id] ?? 0), 0)).toBeCloseTo(100, 6);
      expect(r.comparison.reduce((a, c) => a + (c.value[m.id] ?? 0), 0)).toBeCloseTo(attributedValue, 6);
    }
  });

  it('computes cost per conversion and ROI from spend and each model credit', () => {
    const display = row('display');
    // First touch credits display with 34 conversions (reference.json) and 2,880 of value.
    expect(display?.costPerConversion.first_touch).toBeCloseTo(20_000 / 34, 9);
    const v = display?.value.first_touch as number;
    expect(display?.roi.first_touch).toBeCloseTo((v - 20_000) / 20_000, 9);
    expect(row('direct')?.spend).toBeNull();
    expect(row('direct')?.costPerConversion.markov_2).toBeNull();
    expect(r.budget).toEqual({ totalSpend: 20_100, unmatched: [] });
  });

  it('gives Markov percentile intervals around the point estimate', () => {
    for (const c of r.comparison) {
      const [lo, hi] = (c.intervals.markov_2 as { conversions: [number, number] }).conversions;
      expect(lo).toBeLessThanOrEqual(c.conversions.markov_2 as number);
      expect(hi).toBeGreaterThanOrEqual(c.conversions.markov_2 as number);
      expect(hi - lo).toBeGreaterThan(0);
    }
  });

  it('advises growing a channel that is clearly cheap and cutting one that is clearly dear', () => {
    const advice = Object.fromEntries(r.recommendation.channels.map((a) => [a.channel, a]));
    expect(r.recommendation.basis).toBe('markov_2');
    expect(advice.email?.action).toBe('grow');
    expect(advice.display?.action).toBe('cut');
    expect(advice.direct?.action).toBe('unpriced');
    expect(r.recommendation.summary).toMatch(/^Grow email\. Cut display\./);
    expect(r.recommendation.summary).toContain('95% bootstrap intervals over 200 resamples');
    expect(advice.email?.text).toMatch(/returns [\d.,]+ per unit spent \(95% CI/);
  });

  it('keeps channels whose interval includes the average, and names spend nobody touched', () => {
    // Spend in proportion to each channel's Markov value credit: every channel is exactly average.
    const value = Object.fromEntries(r.comparison.map((c) => [c.channel, (c.value.markov_2 as number) / 3]));
    const x = run({ markovOrders: [2], bootstrapSamples: 100, spend: { ...value, podcast: 50 } });
    expect(x.recommendation.channels.map((a) => a.action)).toEqual(['keep', 'keep', 'keep', 'keep', 'keep']);
    expect(x.recommendation.summary).toMatch(
      /^Keep display, search, email, social, direct \(the data cannot/,
    );
    expect(x.budget?.unmatched).toEqual(['podcast']);
  });

  it('repeats itself exactly with the same seed and not with another', () => {
    const a = run({ bootstrapSamples: 50, seed: 9 });
    const b = run({ bootstrapSamples: 50, seed: 9 });
    const c = run({ bootstrapSamples: 50, seed: 10 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.comparison[0]?.intervals.markov_1).not.toEqual(c.comparison[0]?.intervals.markov_1);
  });

  it('names top journeys and Sankey links that add up to the journeys', () => {
    expect(r.topJourneys[0]).toEqual({
      path: ['display'],
      journeys: 41,
      conversions: 1,
      conversionRate: 1 / 41,
      value: 80,
    });
    const first = r.sankey.filter((l) => l.step === 1 || (l.step === 1 && l.to.startsWith('(')));
    expect(first.length).toBeGreaterThan(0);
    const fromDisplayAtStep1 = r.sankey.filter((l) => l.step === 1 && l.from === 'display');
    const displayFirst = paths
      .filter((p) => p.path[0] === 'display')
      .reduce((a, p) => a + p.conversions + p.nulls, 0);
    expect(fromDisplayAtStep1.reduce((a, l) => a + l.journeys, 0)).toBe(displayFirst);
  });

  it('without spend names the largest contributors and asks for spend', () => {
    const x = run({ bootstrapSamples: 20 });
    expect(x.recommendation.summary).toMatch(
      /^Largest contributions under Markov order 1 \(conversions\): search/,
    );
    expect(x.recommendation.summary).toContain('Give spend per channel');
    expect(x.budget).toBeNull();
  });

  it('says there is nothing to attribute when no journey converted', () => {
    const none = attribute(
      { ...extract, set: journeySetOf([{ touches: ['display'], isConverted: false }]), conversions: 0 },
      optionsOf({ bootstrapSamples: 10 }),
      random,
    );
    expect(none.recommendation.summary).toBe('No converting journeys in the range: nothing to attribute.');
    expect(none.comparison[0]?.conversions).toMatchObject({ first_touch: 0, markov_1: 0, shapley: 0 });
    expect(none.summary).toMatchObject({ journeys: 1, convertingJourneys: 0, unattributedConversions: 0 });
  });
});
