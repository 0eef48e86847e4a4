/**
 * Accumulators for planted truth. A planted rate is recorded per unit at risk as the
 * probability the generator used for it, so the manifest's expected rate of a segment is
 * Σp / n over exactly the units at risk, and its standard error sqrt(Σp(1−p)) / n is that of
 * the observed rate given who was at risk (a Poisson-binomial), whatever mix of segments,
 * faults and variants produced the individual p.
 */

/** An expected rate over the units at risk, with the standard error of the observed rate. */
export interface ExpectedRate {
  readonly atRisk: number;
  readonly rate: number;
  readonly se: number;
}

/** Expected rates by dimension → value → step. */
export type RateTable = Record<string, Record<string, Record<string, ExpectedRate>>>;

interface Cell {
  n: number;
  sumP: number;
  sumVar: number;
}

/** Collects the per-unit probabilities of planted Bernoulli outcomes, by segment. */
export class RateBook {
  private readonly cells = new Map<string, Map<string, Map<string, Cell>>>();

  /** Records one unit at risk of `step` in each given segment, converting with probability p. */
  add(segments: Readonly<Record<string, string>>, step: string, p: number): void {
    for (const dimension in segments) {
      const value = segments[dimension] as string;
      let byValue = this.cells.get(dimension);
      if (!byValue) {
        byValue = new Map();
        this.cells.set(dimension, byValue);
      }
      let bySteps = byValue.get(value);
      if (!bySteps) {
        bySteps = new Map();
        byValue.set(value, bySteps);
      }
      const cell = bySteps.get(step) ?? { n: 0, sumP: 0, sumVar: 0 };
      cell.n++;
      cell.sumP += p;
      cell.sumVar += p * (1 - p);
      bySteps.set(step, cell);
    }
  }

  /** The expected rates, keys sorted for stable output. */
  table(): RateTable {
    const out: RateTable = {};
    for (const dimension of [...this.cells.keys()].sort()) {
      const byValue = this.cells.get(dimension) ?? new Map<string, Map<string, Cell>>();
      const values: Record<string, Record<string, ExpectedRate>> = {};
      for (const value of [...byValue.keys()].sort()) {
        const steps: Record<string, ExpectedRate> = {};
        for (const [step, c] of byValue.get(value) ?? []) {
          steps[step] = { atRisk: c.n, rate: round(c.sumP / c.n), se: round(Math.sqrt(c.sumVar) / c.n) };
        }
        values[value] = steps;
      }
      out[dimension] = values;
    }
    return out;
  }
}

/** Counts by key, written with sorted keys. */
export class CountBook {
  private readonly counts = new Map<string, number>();

  /** Adds `by` to a key. */
  add(key: string, by = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }

  /** The counts as a plain object with sorted keys. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** Sums of a per-unit expectation (e.g. expected revenue), by group. */
export class MeanBook {
  private readonly sums = new Map<string, { n: number; sum: number }>();

  /** Records one unit of a group with its expected value. */
  add(group: string, value: number): void {
    const s = this.sums.get(group) ?? { n: 0, sum: 0 };
    s.n++;
    s.sum += value;
    this.sums.set(group, s);
  }

  /** The mean expectation per group. */
  toJSON(): Record<string, { units: number; mean: number }> {
    const out: Record<string, { units: number; mean: number }> = {};
    for (const key of [...this.sums.keys()].sort()) {
      const s = this.sums.get(key) ?? { n: 0, sum: 0 };
      out[key] = { units: s.n, mean: round(s.sum / s.n) };
    }
    return out;
  }
}

/** Rounds to 9 significant decimals so manifests are stable and readable. */
export function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
