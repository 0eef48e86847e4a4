import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** An odds ratio with its interval. */
export interface OddsRatio {
  readonly oddsRatio: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * The odds ratio of a 2×2 table — converted with / without the feature (a, c), dropped with /
 * without (b, d) — as (a·d)/(b·c) with the Haldane–Anscombe correction (0.5 added to every cell,
 * so empty cells give finite values), and Woolf's logit interval exp(ln OR ± z·√(1/a+1/b+1/c+1/d))
 * on the corrected cells (Woolf, "On estimating the relation between blood group and disease",
 * Ann. Hum. Genet. 19, 1955). src/stats has no odds ratio; this is the one diagnose needs.
 */
export function oddsRatio(a: number, b: number, c: number, d: number, alpha = 0.05): OddsRatio {
  const [a1, b1, c1, d1] = [a + 0.5, b + 0.5, c + 0.5, d + 0.5];
  const log = Math.log((a1 * d1) / (b1 * c1));
  const se = Math.sqrt(1 / a1 + 1 / b1 + 1 / c1 + 1 / d1);
  const z = normalQuantile(1 - alpha / 2, 0, 1);
  return { oddsRatio: Math.exp(log), lower: Math.exp(log - z * se), upper: Math.exp(log + z * se) };
}
