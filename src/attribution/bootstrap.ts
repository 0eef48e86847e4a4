import type { JourneySet } from '../query/index.js';
import { fitChain, type MarkovChain } from './markov.js';
import { addJourney, emptyWeights, type PathTable } from './paths.js';
import type { RandomSource } from './shapley.js';

/** Bootstrap replicates of a Markov model's credit: one row per resample, one column per label code. */
export interface Replicates {
  readonly conversions: readonly Float64Array[];
  readonly value: readonly Float64Array[];
}

/**
 * Resamples journeys with replacement (as many as there are) and refits the chain's transition
 * probabilities and removal effects on each resample; the chain's states stay those of the data.
 */
export function bootstrapMarkov(
  set: JourneySet,
  table: PathTable,
  chain: MarkovChain,
  samples: number,
  withNulls: boolean,
  rng: RandomSource,
): Replicates {
  const conversions: Float64Array[] = [];
  const value: Float64Array[] = [];
  for (let b = 0; b < samples; b++) {
    const w = emptyWeights(table.count);
    for (let k = 0; k < set.count; k++)
      addJourney(w, set, table, Math.floor(rng.float() * set.count), withNulls);
    const fit = fitChain(chain, w, set.labels.length);
    conversions.push(fit.conversions);
    value.push(fit.value);
  }
  return { conversions, value };
}

/** The q-quantile of sorted values, interpolating between order statistics (R's type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Percentile interval of column c of the replicates, at the confidence level. */
export function percentileInterval(
  rows: readonly Float64Array[],
  c: number,
  level: number,
): [number, number] {
  const values = Float64Array.from(rows, (r) => r[c] as number).sort();
  const a = (1 - level) / 2;
  return [quantile(values, a), quantile(values, 1 - a)];
}
