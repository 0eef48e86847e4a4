import { normCdf, normPpf } from './dist.js';
import { check, checkFinite, checkProbability } from './errors.js';
import type { Alternative } from './types.js';

/**
 * Power, sample size and minimum detectable effect for a two-arm test of variant against control,
 * normal approximation. Sizes are per arm: nVariant = ratio · nControl.
 *
 * Proportions: the classic formula with the pooled variance under H0 and the unpooled one under H1
 * (statsmodels power_proportions_2indep / samplesize_proportions_2indep_onetail). Means: a z-test
 * with a known common standard deviation (statsmodels NormalIndPower). Sample size and MDE use the
 * one-tail closed form (the far tail of a two-sided test is ignored); power counts both tails.
 */
export interface PowerDesign {
  /** Significance level, default 0.05. */
  readonly alpha?: number;
  /** Default "two-sided". */
  readonly alternative?: Alternative;
  /** nVariant / nControl, default 1. */
  readonly ratio?: number;
}

/** A two-arm comparison of conversion rates: baseline and the effect to detect. */
export interface ProportionEffect extends PowerDesign {
  /** Control conversion rate in (0, 1). */
  readonly baselineRate: number;
  /** Absolute difference variant − control (e.g. 0.01 for +1 point). */
  readonly mde: number;
}

/** A two-arm comparison of means: per-unit standard deviation and the effect to detect. */
export interface MeanEffect extends PowerDesign {
  /** Standard deviation of the metric per unit (both arms). */
  readonly sd: number;
  /** Absolute difference variant − control. */
  readonly mde: number;
}

/** Required units per arm, rounded up separately, and the unrounded control size. */
export interface SampleSize {
  readonly nControl: number;
  readonly nVariant: number;
  readonly total: number;
  readonly exactNControl: number;
}

interface Design {
  readonly alpha: number;
  readonly alternative: Alternative;
  readonly ratio: number;
}

function resolveDesign(design: PowerDesign): Design {
  const alpha = design.alpha ?? 0.05;
  const ratio = design.ratio ?? 1;
  checkProbability(alpha, 'alpha');
  check(Number.isFinite(ratio) && ratio > 0, `ratio must be positive, got ${ratio}`);
  return { alpha, alternative: design.alternative ?? 'two-sided', ratio };
}

function criticalZ(d: Design): number {
  return normPpf(1 - (d.alternative === 'two-sided' ? d.alpha / 2 : d.alpha));
}

/** Standard errors (times √nControl) of the difference under H0 and H1 for proportions. */
function proportionScales(pc: number, delta: number, ratio: number): { null: number; alt: number } {
  const pv = pc + delta;
  check(pc > 0 && pc < 1, `baselineRate must be between 0 and 1, got ${pc}`);
  check(pv > 0 && pv < 1, `baselineRate + mde must be between 0 and 1, got ${pv}`);
  const pooled = (pc + ratio * pv) / (1 + ratio);
  return {
    null: Math.sqrt(pooled * (1 - pooled) * (1 + 1 / ratio)),
    alt: Math.sqrt(pc * (1 - pc) + (pv * (1 - pv)) / ratio),
  };
}

function powerFrom(delta: number, se0: number, se1: number, d: Design): number {
  const z = criticalZ(d);
  const upper = normCdf((delta - z * se0) / se1);
  const lower = normCdf((-delta - z * se0) / se1);
  if (d.alternative === 'greater') return upper;
  if (d.alternative === 'less') return lower;
  return upper + lower;
}

function nFrom(delta: number, scale0: number, scale1: number, power: number, d: Design): number {
  return ((criticalZ(d) * scale0 + normPpf(power) * scale1) / delta) ** 2;
}

function sampleSizeOf(exactNControl: number, ratio: number): SampleSize {
  // Round before ceil so that 3842.0000000001 from floating point does not become 3843.
  const up = (x: number) => Math.ceil(Number(x.toPrecision(12)));
  const nControl = up(exactNControl);
  const nVariant = up(exactNControl * ratio);
  return { nControl, nVariant, total: nControl + nVariant, exactNControl };
}

function checkEffect(mde: number): void {
  checkFinite(mde, 'mde');
  check(mde !== 0, 'mde must not be 0');
}

/** Power of the two-proportion z-test with nControl units in control. */
export function powerProportions(input: ProportionEffect & { readonly nControl: number }): number {
  const d = resolveDesign(input);
  checkEffect(input.mde);
  check(input.nControl > 0, `nControl must be positive, got ${input.nControl}`);
  const s = proportionScales(input.baselineRate, input.mde, d.ratio);
  const root = Math.sqrt(input.nControl);
  return powerFrom(input.mde, s.null / root, s.alt / root, d);
}

/** Units per arm for the two-proportion z-test to reach the given power. */
export function sampleSizeProportions(input: ProportionEffect & { readonly power: number }): SampleSize {
  const d = resolveDesign(input);
  checkEffect(input.mde);
  checkProbability(input.power, 'power');
  const s = proportionScales(input.baselineRate, input.mde, d.ratio);
  return sampleSizeOf(nFrom(Math.abs(input.mde), s.null, s.alt, input.power, d), d.ratio);
}

/** Power of the z-test for means with nControl units in control. */
export function powerMeans(input: MeanEffect & { readonly nControl: number }): number {
  const d = resolveDesign(input);
  checkEffect(input.mde);
  check(input.sd > 0, `sd must be positive, got ${input.sd}`);
  check(input.nControl > 0, `nControl must be positive, got ${input.nControl}`);
  const se = input.sd * Math.sqrt((1 + 1 / d.ratio) / input.nControl);
  return powerFrom(input.mde, se, se, d);
}

/** Units per arm for the z-test for means to reach the given power. */
export function sampleSizeMeans(input: MeanEffect & { readonly power: number }): SampleSize {
  const d = resolveDesign(input);
  checkEffect(input.mde);
  checkProbability(input.power, 'power');
  check(input.sd > 0, `sd must be positive, got ${input.sd}`);
  const scale = input.sd * Math.sqrt(1 + 1 / d.ratio);
  return sampleSizeOf(nFrom(Math.abs(input.mde), scale, scale, input.power, d), d.ratio);
}

/** Inputs for a minimum detectable effect: the design, its size and the power wanted. */
export interface MdeInput extends PowerDesign {
  readonly nControl: number;
  readonly power: number;
}

/** The smallest absolute difference detectable with the given power, and relative to baseline. */
export interface Mde {
  readonly absolute: number;
  readonly relative: number | null;
}

/** MDE for means: (z_crit + z_power) · sd · √(1/nControl + 1/nVariant). */
export function mdeMeans(input: MdeInput & { readonly sd: number; readonly baselineMean?: number }): Mde {
  const d = resolveDesign(input);
  checkProbability(input.power, 'power');
  check(input.sd > 0, `sd must be positive, got ${input.sd}`);
  check(input.nControl > 0, `nControl must be positive, got ${input.nControl}`);
  const se = input.sd * Math.sqrt((1 + 1 / d.ratio) / input.nControl);
  const absolute = (criticalZ(d) + normPpf(input.power)) * se;
  const base = input.baselineMean;
  return { absolute, relative: base === undefined || base === 0 ? null : absolute / base };
}

/**
 * MDE for proportions: the increase δ > 0 whose classic sample size equals nControl (bisection; the
 * pooled variance depends on δ so there is no closed form). A decrease of the same size needs a
 * slightly different n; Pathwise reports the upward MDE.
 */
export function mdeProportions(input: MdeInput & { readonly baselineRate: number }): Mde {
  const d = resolveDesign(input);
  checkProbability(input.power, 'power');
  checkProbability(input.baselineRate, 'baselineRate');
  check(input.nControl > 0, `nControl must be positive, got ${input.nControl}`);
  const pc = input.baselineRate;
  const needed = (delta: number) => {
    const s = proportionScales(pc, delta, d.ratio);
    return nFrom(delta, s.null, s.alt, input.power, d);
  };
  let lo = 1e-12;
  let hi = (1 - pc) * (1 - 1e-12);
  check(needed(hi) <= input.nControl, `no effect is detectable with nControl = ${input.nControl}`);
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (needed(mid) > input.nControl) lo = mid;
    else hi = mid;
  }
  const absolute = (lo + hi) / 2;
  return { absolute, relative: absolute / pc };
}
