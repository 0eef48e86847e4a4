import type { FeatureCount, StepCount } from '../query/index.js';
import { benjaminiHochberg, twoProportionZTest } from '../stats/index.js';
import { oddsRatio } from './odds.js';
import type { Correlation } from './result.js';
import { type Labels, rateOrNull, stepRef } from './shared.js';

/** Most correlations listed. */
const MAX_CORRELATIONS = 50;

/**
 * Features (an event, or a property value on an event, before the step) that change the odds of
 * converting, as PostHog's funnel correlation does, per step: the 2×2 table of converted/dropped
 * with/without the feature gives the odds ratio (Haldane–Anscombe, Woolf interval); the test is
 * the two-proportion z-test of conversion with vs without (pooled, two-sided), and
 * Benjamini–Hochberg runs across every feature of every step at `fdr`. Only significant ones are
 * listed, the strongest (|ln OR|) first within each step.
 */
export function correlate(
  totals: readonly StepCount[],
  features: readonly FeatureCount[],
  labels: Labels,
  fdr: number,
): { correlations: Correlation[]; tested: number } {
  const rows: Correlation[] = [];
  for (const f of features) {
    const total = totals[f.step];
    if (!total) continue;
    const without = { n: total.n - f.converted - f.dropped, c: total.c - f.converted };
    if (without.n <= 0) continue;
    const withUnits = { n: f.converted + f.dropped, c: f.converted };
    const or = oddsRatio(f.converted, f.dropped, without.c, without.n - without.c);
    const test = twoProportionZTest(
      { conversions: without.c, n: without.n },
      { conversions: withUnits.c, n: withUnits.n },
    );
    rows.push({
      ...stepRef(f.step, labels),
      event: f.event,
      property: f.property,
      value: f.value,
      converted: f.converted,
      dropped: f.dropped,
      withRate: withUnits.c / withUnits.n,
      withoutRate: rateOrNull(without),
      oddsRatio: or.oddsRatio,
      ciLower: or.lower,
      ciUpper: or.upper,
      pValue: test.pValue,
      adjustedPValue: 1,
    });
  }
  if (rows.length === 0) return { correlations: [], tested: 0 };
  const bh = benjaminiHochberg(
    rows.map((r) => r.pValue),
    fdr,
  );
  rows.forEach((r, i) => {
    r.adjustedPValue = bh.adjusted[i] ?? 1;
  });
  const significant = rows
    .filter((_, i) => bh.isRejected[i])
    .sort((a, b) => a.step - b.step || Math.abs(Math.log(b.oddsRatio)) - Math.abs(Math.log(a.oddsRatio)))
    .slice(0, MAX_CORRELATIONS);
  return { correlations: significant, tested: rows.length };
}
