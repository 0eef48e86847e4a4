import type { SegmentCondition, StepCount } from '../query/index.js';

/** Names for results: dimension labels by index, step labels by 0-based step. */
export interface Labels {
  readonly dimensions: readonly string[];
  readonly steps: readonly string[];
}

/** A count minus a part of it. */
export function minus(a: StepCount, b: StepCount): StepCount {
  return { n: a.n - b.n, c: a.c - b.c };
}

/** c / n, 0 for nobody. */
export function rateOf(x: StepCount): number {
  return x.n === 0 ? 0 : x.c / x.n;
}

/** c / n, null for nobody. */
export function rateOrNull(x: StepCount): number | null {
  return x.n === 0 ? null : x.c / x.n;
}

/** A value as shown: null (not set) is `(none)`. */
export function valueText(value: string | null): string {
  return value === null ? '(none)' : value;
}

/** `os = Android, app_version = 2.1`; `everyone` for no conditions. */
export function segmentLabel(conditions: readonly SegmentCondition[], labels: Labels): string {
  if (conditions.length === 0) return 'everyone';
  return conditions.map((c) => `${labels.dimensions[c.dimension] ?? '?'} = ${valueText(c.value)}`).join(', ');
}

/** The move from 0-based step k to k+1, named as in results (1-based index of the step reached). */
export function stepRef(k: number, labels: Labels): { step: number; fromEvent: string; toEvent: string } {
  return { step: k + 2, fromEvent: labels.steps[k] ?? '?', toEvent: labels.steps[k + 1] ?? '?' };
}
