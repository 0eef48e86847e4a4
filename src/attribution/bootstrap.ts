import type { JourneySet } from '../query/index.js';
import { fitChain, type MarkovChain } from './markov.js';
import { emptyWeights, NO_PATH, type PathTable, type PathWeights } from './paths.js';
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
  const cells = cellsOf(set, table, withNulls);
  for (let b = 0; b < samples; b++) {
    const w = resample(set, cells, table.count, rng);
    const fit = fitChain(chain, w, set.labels.length);
    conversions.push(fit.conversions);
    value.push(fit.value);
  }
  return { conversions, value };
}

/**
 * Each journey's cell: its path times two, plus one when it converted (NO_PATH when it has no
 * path or is a non-converting journey left out), so a draw touches one small array.
 */
function cellsOf(set: JourneySet, table: PathTable, withNulls: boolean): Uint32Array {
  const cells = new Uint32Array(set.count);
  for (let j = 0; j < set.count; j++) {
    const p = table.journeyPath[j] as number;
    const isConverted = set.isConverted[j] === 1;
    cells[j] = p === NO_PATH || (!isConverted && !withNulls) ? NO_PATH : p * 2 + (isConverted ? 1 : 0);
  }
  return cells;
}

/** Path weights of one resample: as many journeys as there are, drawn with replacement. */
function resample(set: JourneySet, cells: Uint32Array, paths: number, rng: RandomSource): PathWeights {
  const counts = new Float64Array(paths * 2);
  const value = new Float64Array(paths);
  const n = set.count;
  for (let k = 0; k < n; k++) {
    const j = Math.floor(rng.float() * n);
    const cell = cells[j] as number;
    if (cell === NO_PATH) continue;
    counts[cell] = (counts[cell] as number) + 1;
    if (cell & 1) value[cell >>> 1] = (value[cell >>> 1] as number) + (set.value[j] as number);
  }
  const w = emptyWeights(paths);
  for (let p = 0; p < paths; p++) {
    w.nulls[p] = counts[2 * p] as number;
    w.conversions[p] = counts[2 * p + 1] as number;
    w.value[p] = value[p] as number;
  }
  return w;
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
