import type { JourneySet } from '../query/index.js';

/**
 * Distinct paths (label sequences) with what ended them: the data-driven models read paths,
 * not journeys, so a million journeys become a few thousand rows.
 */
export interface PathTable {
  readonly count: number;
  readonly offsets: Uint32Array;
  readonly touches: Uint8Array;
  /** Path index of every journey (bootstrap resamples journeys, then re-aggregates). */
  readonly journeyPath: Uint32Array;
}

/** Conversions, non-converting journeys and value per path: the weights a model fits. */
export interface PathWeights {
  readonly conversions: Float64Array;
  readonly nulls: Float64Array;
  readonly value: Float64Array;
}

/** The path index of a journey without touches. */
export const NO_PATH = 0xffffffff;

/** Groups journeys by their path. Journeys without touches get no path (NO_PATH). */
export function pathTable(set: JourneySet): PathTable {
  const index = new Map<string, number>();
  const offsets: number[] = [0];
  const touches: number[] = [];
  const journeyPath = new Uint32Array(set.count);
  for (let j = 0; j < set.count; j++) {
    const lo = set.offsets[j] as number;
    const hi = set.offsets[j + 1] as number;
    if (hi === lo) {
      journeyPath[j] = NO_PATH;
      continue;
    }
    const codes = set.touches.subarray(lo, hi);
    const key = String.fromCharCode(...codes);
    let p = index.get(key);
    if (p === undefined) {
      p = index.size;
      index.set(key, p);
      for (const c of codes) touches.push(c);
      offsets.push(touches.length);
    }
    journeyPath[j] = p;
  }
  return {
    count: index.size,
    offsets: Uint32Array.from(offsets),
    touches: Uint8Array.from(touches),
    journeyPath,
  };
}

/** The observed weights of every path; non-converting journeys count only when asked. */
export function pathWeights(set: JourneySet, table: PathTable, withNulls: boolean): PathWeights {
  const w = emptyWeights(table.count);
  for (let j = 0; j < set.count; j++) addJourney(w, set, table, j, withNulls);
  return w;
}

/** Zeroed weights for a table. */
export function emptyWeights(paths: number): PathWeights {
  return {
    conversions: new Float64Array(paths),
    nulls: new Float64Array(paths),
    value: new Float64Array(paths),
  };
}

/** Adds one journey to the weights of its path. */
export function addJourney(
  w: PathWeights,
  set: JourneySet,
  t: PathTable,
  j: number,
  withNulls: boolean,
): void {
  const p = t.journeyPath[j] as number;
  if (p === NO_PATH) return;
  if (set.isConverted[j] === 1) {
    w.conversions[p] = (w.conversions[p] as number) + 1;
    w.value[p] = (w.value[p] as number) + (set.value[j] as number);
  } else if (withNulls) {
    w.nulls[p] = (w.nulls[p] as number) + 1;
  }
}

/** The codes of path p. */
export function pathCodes(t: PathTable, p: number): Uint8Array {
  return t.touches.subarray(t.offsets[p] as number, t.offsets[p + 1] as number);
}
