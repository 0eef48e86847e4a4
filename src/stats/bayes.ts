import { beta, normCdf, normPdf, normPpf } from './dist.js';
import { check, checkProbability } from './errors.js';
import { checkMeanArm } from './means.js';
import { checkProportionArm } from './proportions.js';
import { integrate, solveNewton } from './quadrature.js';
import type { Interval, MeanArm, ProportionArm } from './types.js';

/** A Bayesian comparison of variant with control. */
export interface BayesResult {
  /** P(variant > control) under the posterior. */
  readonly probabilityToBeatControl: number;
  /** E[max(control − variant, 0)]: what shipping the variant costs when it is worse (absolute units). */
  readonly expectedLoss: number;
  /** E[max(variant − control, 0)]: what keeping control costs when the variant is better. */
  readonly expectedLossControl: number;
  /** Equal-tailed credible interval of variant − control. */
  readonly differenceInterval: Interval;
  readonly controlInterval: Interval;
  readonly variantInterval: Interval;
}

/** Options: a Beta(a, b) prior for both arms (default Beta(1, 1)) and the credible level (0.95). */
export interface BayesOptions {
  readonly prior?: { readonly a: number; readonly b: number };
  readonly credibleLevel?: number;
}

interface Posterior {
  readonly a: number;
  readonly b: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

const TAIL = 1e-13;
// 8 panels × 20 nodes over the 1e-13 tails: agreement with scipy's adaptive quad is ~1e-11 (advanced.test.ts).
const PANELS = 8;

function posterior(arm: ProportionArm, prior: { a: number; b: number }): Posterior {
  const a = prior.a + arm.conversions;
  const b = prior.b + arm.n - arm.conversions;
  return { a, b, mean: a / (a + b), lo: beta.ppf(TAIL, a, b), hi: beta.ppf(1 - TAIL, a, b) };
}

function betaVariance(p: Posterior): number {
  return (p.a * p.b) / ((p.a + p.b) ** 2 * (p.a + p.b + 1));
}

function betaInterval(p: Posterior, level: number): Interval {
  return { lower: beta.ppf((1 - level) / 2, p.a, p.b), upper: beta.ppf((1 + level) / 2, p.a, p.b) };
}

/**
 * E[g(P, Q)] for independent posteriors P and Q, given as E over P of onP(p) or as E over Q of
 * onQ(q): integrates over the narrower posterior's support, where the other one's CDF is smooth.
 */
function overNarrower(
  p: Posterior,
  q: Posterior,
  onP: (x: number) => number,
  onQ: (x: number) => number,
): number {
  if (p.hi - p.lo <= q.hi - q.lo) return integrate((x) => beta.pdf(x, p.a, p.b) * onP(x), p.lo, p.hi, PANELS);
  return integrate((x) => beta.pdf(x, q.a, q.b) * onQ(x), q.lo, q.hi, PANELS);
}

/** Upper tail of a beta distribution without cancellation: 1 − I_x(a, b) = I_{1−x}(b, a). */
function betaSf(x: number, a: number, b: number): number {
  return beta.cdf(1 - x, b, a);
}

/**
 * E[max(W − L, 0)] for independent beta W and L. Given W = x it is x·F_L(x) − E[L; L < x]; given
 * L = x it is E[W; W > x] − x·(1 − F_W(x)); E[L; L < x] = mean_L · I_x(a_L + 1, b_L).
 */
function expectedShortfall(w: Posterior, l: Posterior): number {
  return overNarrower(
    w,
    l,
    (x) => x * beta.cdf(x, l.a, l.b) - l.mean * beta.cdf(x, l.a + 1, l.b),
    (x) => w.mean * betaSf(x, w.a + 1, w.b) - x * betaSf(x, w.a, w.b),
  );
}

/**
 * Beta-binomial model: each arm's rate has a Beta(a + conversions, b + failures) posterior
 * (independent arms, Beta(1, 1) prior by default). Probability to beat control, expected losses
 * and the difference's credible interval are one-dimensional integrals computed by quadrature
 * (no Monte Carlo, so the numbers are deterministic).
 */
export function bayesBinomial(
  control: ProportionArm,
  variant: ProportionArm,
  options: BayesOptions = {},
): BayesResult {
  checkProportionArm(control, 'control');
  checkProportionArm(variant, 'variant');
  const prior = options.prior ?? { a: 1, b: 1 };
  check(prior.a > 0 && prior.b > 0, 'the Beta prior needs positive a and b');
  const level = options.credibleLevel ?? 0.95;
  checkProbability(level, 'credibleLevel');
  const c = posterior(control, prior);
  const v = posterior(variant, prior);
  const probability = overNarrower(
    c,
    v,
    (x) => betaSf(x, v.a, v.b),
    (x) => beta.cdf(x, c.a, c.b),
  );
  const cdfOfDifference = (d: number) =>
    overNarrower(
      c,
      v,
      (x) => beta.cdf(x + d, v.a, v.b),
      (x) => betaSf(x - d, c.a, c.b),
    );
  // Density of D = V − C, for Newton steps on its CDF.
  const pdfOfDifference = (d: number) =>
    overNarrower(
      c,
      v,
      (x) => beta.pdf(x + d, v.a, v.b),
      (x) => beta.pdf(x - d, c.a, c.b),
    );
  const mean = v.mean - c.mean;
  const sd = Math.sqrt(betaVariance(c) + betaVariance(v));
  const quantile = (p: number) =>
    solveNewton(cdfOfDifference, pdfOfDifference, p, {
      lo: v.lo - c.hi,
      hi: v.hi - c.lo,
      start: mean + normPpf(p) * sd,
    });
  return {
    probabilityToBeatControl: probability,
    expectedLoss: expectedShortfall(c, v),
    expectedLossControl: expectedShortfall(v, c),
    differenceInterval: { lower: quantile((1 - level) / 2), upper: quantile((1 + level) / 2) },
    controlInterval: betaInterval(c, level),
    variantInterval: betaInterval(v, level),
  };
}

/**
 * Normal model for means: with a flat prior each arm's mean has posterior N(x̄, s²/n), so
 * D = variant − control ~ N(Δ, V). P(D > 0) = Φ(Δ/√V); E[max(−D, 0)] = √V·φ(Δ/√V) − Δ·Φ(−Δ/√V);
 * credible intervals are equal-tailed (= highest density for a normal).
 */
export function bayesNormal(
  control: MeanArm,
  variant: MeanArm,
  options: { credibleLevel?: number } = {},
): BayesResult {
  checkMeanArm(control, 'control');
  checkMeanArm(variant, 'variant');
  const level = options.credibleLevel ?? 0.95;
  checkProbability(level, 'credibleLevel');
  const z = normPpf((1 + level) / 2);
  const vc = control.variance / control.n;
  const vv = variant.variance / variant.n;
  const delta = variant.mean - control.mean;
  const sd = Math.sqrt(vc + vv);
  const around = (m: number, s: number) => ({ lower: m - z * s, upper: m + z * s });
  const loss = (d: number) => (sd === 0 ? Math.max(-d, 0) : sd * normPdf(d / sd) - d * normCdf(-d / sd));
  return {
    probabilityToBeatControl: sd === 0 ? (delta > 0 ? 1 : delta < 0 ? 0 : 0.5) : normCdf(delta / sd),
    expectedLoss: loss(delta),
    expectedLossControl: loss(-delta),
    differenceInterval: around(delta, sd),
    controlInterval: around(control.mean, Math.sqrt(vc)),
    variantInterval: around(variant.mean, Math.sqrt(vv)),
  };
}
