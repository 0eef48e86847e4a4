import { OTHER_VALUE, type SegmentCounts, type StepCount } from '../query/index.js';
import { benjaminiHochberg, twoProportionZTest } from '../stats/index.js';
import type { PeriodChange } from './result.js';
import { type Labels, rateOrNull, segmentLabel, stepRef } from './shared.js';

/** Most segment changes listed (the largest losses first). */
const MAX_SEGMENT_CHANGES = 50;

function compare(before: StepCount, after: StepCount): number | null {
  if (before.n === 0 || after.n === 0) return null;
  return twoProportionZTest({ conversions: before.c, n: before.n }, { conversions: after.c, n: after.n })
    .pValue;
}

function change(row: SegmentCounts, labels: Labels, pValue: number | null): PeriodChange {
  const before = row.before ?? { n: 0, c: 0 };
  const after = row.after ?? { n: 0, c: 0 };
  const b = rateOrNull(before);
  const a = rateOrNull(after);
  return {
    ...stepRef(row.step, labels),
    segment: row.conditions.map((c) => ({
      dimension: labels.dimensions[c.dimension] ?? '?',
      value: c.value,
    })),
    label: segmentLabel(row.conditions, labels),
    before: { ...before, rate: b },
    after: { ...after, rate: a },
    change: a === null || b === null ? null : a - b,
    peopleLost: a === null || b === null ? 0 : (b - a) * after.n,
    pValue,
    adjustedPValue: null,
    isSignificant: false,
  };
}

/**
 * Before vs after the compare date, for every step and every tested segment (mature entrants,
 * conversion within the horizon): two-sided two-proportion z-tests, Benjamini–Hochberg across
 * all of them at `fdr`. Steps are all listed; segments only when significant.
 */
export function comparePeriods(
  rows: readonly SegmentCounts[],
  labels: Labels,
  fdr: number,
): { steps: PeriodChange[]; segments: PeriodChange[]; tested: number } {
  const usable = rows.filter((r) => !r.conditions.some((c) => c.value === OTHER_VALUE));
  const changes = usable.map((r) =>
    change(r, labels, compare(r.before ?? { n: 0, c: 0 }, r.after ?? { n: 0, c: 0 })),
  );
  const withP = changes.filter((c) => c.pValue !== null);
  if (withP.length > 0) {
    const bh = benjaminiHochberg(
      withP.map((c) => c.pValue ?? 1),
      fdr,
    );
    withP.forEach((c, i) => {
      c.adjustedPValue = bh.adjusted[i] ?? 1;
      c.isSignificant = bh.isRejected[i] ?? false;
    });
  }
  const steps = changes.filter((c) => c.segment.length === 0);
  const segments = changes
    .filter((c) => c.segment.length > 0 && c.isSignificant)
    .sort((a, b) => b.peopleLost - a.peopleLost)
    .slice(0, MAX_SEGMENT_CHANGES);
  return { steps, segments, tested: withP.length };
}
