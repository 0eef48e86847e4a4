import { check } from './errors.js';

/** Adjusted p-values (in input order) and which hypotheses are rejected at alpha. */
export interface AdjustedPValues {
  readonly adjusted: readonly number[];
  readonly isRejected: readonly boolean[];
}

function checkPValues(pValues: readonly number[]): void {
  check(
    pValues.every((p) => Number.isFinite(p) && p >= 0 && p <= 1),
    'p-values must lie in [0, 1]',
  );
}

function order(pValues: readonly number[]): number[] {
  return pValues.map((_, i) => i).sort((a, b) => (pValues[a] ?? 0) - (pValues[b] ?? 0) || a - b);
}

/**
 * Holm's step-down adjustment (family-wise error rate), as statsmodels multipletests(method="holm"):
 * adjusted p(i) = max over j ≤ i of min(1, (m − j + 1)·p(j)) in ascending order.
 */
export function holm(pValues: readonly number[], alpha = 0.05): AdjustedPValues {
  checkPValues(pValues);
  const m = pValues.length;
  const adjusted = new Array<number>(m).fill(0);
  let running = 0;
  order(pValues).forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] ?? 1)));
    adjusted[index] = running;
  });
  return { adjusted, isRejected: adjusted.map((p) => p <= alpha) };
}

/**
 * Benjamini–Hochberg step-up adjustment (false discovery rate), as statsmodels
 * multipletests(method="fdr_bh"): adjusted p(i) = min over j ≥ i of min(1, m·p(j)/j).
 */
export function benjaminiHochberg(pValues: readonly number[], alpha = 0.05): AdjustedPValues {
  checkPValues(pValues);
  const m = pValues.length;
  const adjusted = new Array<number>(m).fill(0);
  const sorted = order(pValues);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = sorted[rank] as number;
    running = Math.min(running, (m * (pValues[index] ?? 1)) / (rank + 1));
    adjusted[index] = running;
  }
  return { adjusted, isRejected: adjusted.map((p) => p <= alpha) };
}
