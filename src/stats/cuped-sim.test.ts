/**
 * CUPED on the simulator's experiment (src/sim/experiment.ts): revenue per person has a planted
 * relative lift of 10%; the covariate is the same person's revenue in the 14 days before exposure.
 * Over seeded replications the CUPED estimate is centred on the planted lift and varies less than
 * the unadjusted difference of means.
 */
import { describe, expect, it } from 'vitest';
import { simulateExperiment } from '../sim/index.js';
import { cuped, cupedMoments, summarize, welchTTest } from './index.js';

const REPLICATIONS = 40;
const PERSONS = 4000;

function variance(xs: readonly number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
}

describe('CUPED on a simulated experiment', () => {
  const plain: number[] = [];
  const adjusted: number[] = [];
  const seRatios: number[] = [];
  let planted = 0;
  for (let seed = 1; seed <= REPLICATIONS; seed++) {
    const sim = simulateExperiment({ seed, persons: PERSONS, lift: 0.1, isWithEvents: false });
    planted = sim.truth.treatmentRevenuePerPerson - sim.truth.controlRevenuePerPerson;
    const arm = (v: string) => sim.persons.filter((p) => p.variant === v);
    const [c, t] = [arm('control'), arm('treatment')];
    const before = welchTTest(summarize(c.map((p) => p.revenue)), summarize(t.map((p) => p.revenue)));
    const result = cuped([
      cupedMoments(
        c.map((p) => p.revenue),
        c.map((p) => p.preRevenue),
      ),
      cupedMoments(
        t.map((p) => p.revenue),
        t.map((p) => p.preRevenue),
      ),
    ]);
    const [ac, at] = result.arms;
    if (!ac || !at) throw new Error('two arms expected');
    const after = welchTTest(ac, at);
    plain.push(before.difference);
    adjusted.push(after.difference);
    seRatios.push(after.standardError / before.standardError);
  }
  const mean = adjusted.reduce((s, x) => s + x, 0) / REPLICATIONS;

  it('recovers the planted lift: the mean CUPED estimate is within 3 standard errors', () => {
    expect(Math.abs(mean - planted)).toBeLessThan(3 * Math.sqrt(variance(adjusted) / REPLICATIONS));
  });

  it('has a smaller variance across replications than the unadjusted estimate', () => {
    expect(variance(adjusted)).toBeLessThan(0.7 * variance(plain));
  });

  it('reports a smaller standard error in every replication', () => {
    expect(Math.max(...seRatios)).toBeLessThan(1);
  });
});
