/**
 * Accumulators for planted truth. A planted rate is recorded per unit at risk as the
 * probability the generator used for it, so the manifest's expected rate of a segment is
 * Σp / n over exactly the units at risk, and its standard error sqrt(Σp(1−p)) / n is that of
 * the observed rate given who was at risk (a Poisson-binomial), whatever mix of segments,
 * faults and variants produced the individual p.
 *
 * Sums are exact (ExactSum), so books filled by several threads merge into the same manifest,
 * bit for bit, whatever the split. Each book has a plain-data state (structured-clone safe)
 * that a worker sends and the parent merges.
 */

/**
 * An exactly rounded sum of doubles: Shewchuk's non-overlapping partials with the final
 * rounding of Python's math.fsum (msum, ActiveState recipe 393090). The value does not depend
 * on the order of the terms, which is what makes a multi-threaded run's manifest identical.
 */
export class ExactSum {
  private partials: number[] = [];

  /** Adds a finite term. */
  add(term: number): void {
    const ps = this.partials;
    let x = term;
    let i = 0;
    for (let j = 0; j < ps.length; j++) {
      let y = ps[j] as number;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) ps[i++] = lo;
      x = hi;
    }
    ps.length = i;
    ps.push(x);
  }

  /** Adds every term of another sum's partials. */
  merge(partials: readonly number[]): void {
    for (const p of partials) this.add(p);
  }

  /** The partials (the state to send to another thread). */
  state(): number[] {
    return [...this.partials];
  }

  /** The sum, correctly rounded. */
  value(): number {
    const ps = this.partials;
    let n = ps.length;
    if (n === 0) return 0;
    let hi = ps[--n] as number;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = ps[--n] as number;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half to even across the remaining partials, as math.fsum does.
    const next = ps[n - 1];
    if (n > 0 && next !== undefined && ((lo < 0 && next < 0) || (lo > 0 && next > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

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
  readonly sumP: ExactSum;
  readonly sumVar: ExactSum;
}

/** A RateBook's cells in insertion order: [dimension, value, step, n, Σp partials, Σp(1−p) partials]. */
export type RateBookState = [string, string, string, number, number[], number[]][];

/** Collects the per-unit probabilities of planted Bernoulli outcomes, by segment. */
export class RateBook {
  private readonly cells = new Map<string, Map<string, Map<string, Cell>>>();

  /** The cell of a dimension's value and step, created empty on first use. */
  private cellAt(dimension: string, value: string, step: string): Cell {
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
    let cell = bySteps.get(step);
    if (!cell) {
      cell = { n: 0, sumP: new ExactSum(), sumVar: new ExactSum() };
      bySteps.set(step, cell);
    }
    return cell;
  }

  /** Records one unit at risk of `step` in each given segment, converting with probability p. */
  add(segments: Readonly<Record<string, string>>, step: string, p: number): void {
    for (const dimension in segments) {
      const cell = this.cellAt(dimension, segments[dimension] as string, step);
      cell.n++;
      cell.sumP.add(p);
      cell.sumVar.add(p * (1 - p));
    }
  }

  /** The cells as plain data. */
  state(): RateBookState {
    const out: RateBookState = [];
    for (const [dimension, byValue] of this.cells)
      for (const [value, bySteps] of byValue)
        for (const [step, c] of bySteps)
          out.push([dimension, value, step, c.n, c.sumP.state(), c.sumVar.state()]);
    return out;
  }

  /**
   * Adds another book's cells. Steps keep their order of first appearance: every scenario adds
   * a unit's steps in funnel order, so any subset of households sees them in the same order.
   */
  merge(state: RateBookState): void {
    for (const [dimension, value, step, n, sumP, sumVar] of state) {
      const cell = this.cellAt(dimension, value, step);
      cell.n += n;
      cell.sumP.merge(sumP);
      cell.sumVar.merge(sumVar);
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
          steps[step] = {
            atRisk: c.n,
            rate: round(c.sumP.value() / c.n),
            se: round(Math.sqrt(c.sumVar.value()) / c.n),
          };
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

  /** The counts as plain data. */
  state(): [string, number][] {
    return [...this.counts.entries()];
  }

  /** Adds another book's counts. */
  merge(state: readonly [string, number][]): void {
    for (const [key, by] of state) this.add(key, by);
  }

  /** The counts as a plain object with sorted keys. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** Sums of a per-unit expectation (e.g. expected revenue), by group. */
export class MeanBook {
  private readonly sums = new Map<string, { n: number; sum: ExactSum }>();

  /** Records one unit of a group with its expected value. */
  add(group: string, value: number): void {
    this.group(group, 1).sum.add(value);
  }

  /** The sums as plain data: [group, units, partials]. */
  state(): [string, number, number[]][] {
    return [...this.sums.entries()].map(([group, s]) => [group, s.n, s.sum.state()]);
  }

  /** Adds another book's sums. */
  merge(state: readonly [string, number, number[]][]): void {
    for (const [group, n, partials] of state) this.group(group, n).sum.merge(partials);
  }

  private group(group: string, units: number): { n: number; sum: ExactSum } {
    let s = this.sums.get(group);
    if (!s) {
      s = { n: 0, sum: new ExactSum() };
      this.sums.set(group, s);
    }
    s.n += units;
    return s;
  }

  /** The mean expectation per group. */
  toJSON(): Record<string, { units: number; mean: number }> {
    const out: Record<string, { units: number; mean: number }> = {};
    for (const key of [...this.sums.keys()].sort()) {
      const s = this.sums.get(key);
      if (s) out[key] = { units: s.n, mean: round(s.sum.value() / s.n) };
    }
    return out;
  }
}

/** Rounds to 9 significant decimals so manifests are stable and readable. */
export function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** The books of one scenario, in a fixed order. */
export interface Books {
  readonly rates: readonly RateBook[];
  readonly counts: readonly CountBook[];
  readonly means: readonly MeanBook[];
}

/** A scenario's accumulated truth as plain data (sent from a worker thread). */
export interface BooksState {
  readonly persons: number;
  readonly rates: RateBookState[];
  readonly counts: [string, number][][];
  readonly means: [string, number, number[]][][];
}

/** The state of a scenario's books. */
export function booksState(persons: number, books: Books): BooksState {
  return {
    persons,
    rates: books.rates.map((b) => b.state()),
    counts: books.counts.map((b) => b.state()),
    means: books.means.map((b) => b.state()),
  };
}

/** Adds a state (from the same scenario's books) into books. */
export function mergeBooks(books: Books, state: BooksState): void {
  books.rates.forEach((b, i) => {
    b.merge(state.rates[i] ?? []);
  });
  books.counts.forEach((b, i) => {
    b.merge(state.counts[i] ?? []);
  });
  books.means.forEach((b, i) => {
    b.merge(state.means[i] ?? []);
  });
}
