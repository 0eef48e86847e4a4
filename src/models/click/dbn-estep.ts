import type { PassSums } from './dbn-state.js';
import { clipProb } from './fitted.js';
import type { ClickList } from './list.js';

/** DBN parameters: attraction a and satisfaction s per item, continuation γ. */
export interface DbnParameters {
  readonly a: Float64Array;
  readonly s: Float64Array;
  readonly gamma: number;
  /** Used for items without data. */
  readonly fallbackA: number;
  readonly fallbackS: number;
}

/** A parameter of an item, or the fallback for items without data. */
export function param(arr: Float64Array, i: number, fallback: number): number {
  const v = arr[i];
  return v === undefined || Number.isNaN(v) ? fallback : v;
}

/**
 * Conditional click probabilities (the forward pass): e = P(E_r = 1 | clicks above r); a click
 * leaves E_{r+1} = γ(1 − s), no click updates e by Bayes' rule.
 */
export function dbnConditional(p: DbnParameters, list: ClickList): Float64Array {
  const out = new Float64Array(list.items.length);
  let e = 1;
  for (let r = 0; r < out.length; r++) {
    const item = list.items[r] as number;
    const a = param(p.a, item, p.fallbackA);
    out[r] = clipProb(e * a);
    e = list.clicks[r]
      ? p.gamma * (1 - param(p.s, item, p.fallbackS))
      : (p.gamma * e * (1 - a)) / (1 - e * a);
  }
  return out;
}

/** Unconditional click probabilities: ε_{r+1} = ε_r γ (1 − a s). */
export function dbnFull(p: DbnParameters, list: ClickList): Float64Array {
  const out = new Float64Array(list.items.length);
  let e = 1;
  for (let r = 0; r < out.length; r++) {
    const item = list.items[r] as number;
    const a = param(p.a, item, p.fallbackA);
    out[r] = clipProb(e * a);
    e *= p.gamma * (1 - a * param(p.s, item, p.fallbackS));
  }
  return out;
}

/** Scratch buffers reused across lists (the E-step runs millions of times per pass). */
let beta = new Float64Array(64);
let aOf = new Float64Array(64);
let sOf = new Float64Array(64);

/** Loads the list's a and s into the scratch buffers and returns its log-likelihood (forward pass). */
function loadList(p: DbnParameters, list: ClickList, n: number): number {
  if (beta.length < n + 2) {
    beta = new Float64Array(2 * (n + 2));
    aOf = new Float64Array(2 * (n + 2));
    sOf = new Float64Array(2 * (n + 2));
  }
  let ll = 0;
  let e = 1;
  for (let r = 1; r <= n; r++) {
    const item = list.items[r - 1] as number;
    const a = param(p.a, item, p.fallbackA);
    const s = param(p.s, item, p.fallbackS);
    aOf[r] = a;
    sOf[r] = s;
    const q = clipProb(e * a);
    if (list.clicks[r - 1]) {
      ll += Math.log(q);
      e = p.gamma * (1 - s);
    } else {
      ll += Math.log(1 - q);
      e = (p.gamma * e * (1 - a)) / (1 - e * a);
    }
  }
  return ll;
}

/** Adds one rank's expected examination and click to a's sums and its squared score. */
function addA(sums: PassSums, item: number, a: number, e: number, c: number): void {
  const it = sums.items;
  it.denA[item] = (it.denA[item] as number) + e;
  it.numA[item] = (it.numA[item] as number) + c;
  // Fisher's identity: the observed-data score is the expected complete-data score.
  const score = (c > 0 ? c / a : 0) - (e - c) / (1 - a);
  if (Number.isFinite(score)) it.infoA[item] = (it.infoA[item] as number) + score * score;
}

function addS(sums: PassSums, item: number, s: number, pS: number): void {
  const it = sums.items;
  it.denS[item] = (it.denS[item] as number) + 1;
  it.numS[item] = (it.numS[item] as number) + pS;
  const score = (pS > 0 ? pS / s : 0) - (1 - pS) / (1 - s);
  if (Number.isFinite(score)) it.infoS[item] = (it.infoS[item] as number) + score * score;
}

/**
 * The E-step for one list (Chapelle and Zhang 2009; Chuklin et al. 2015, §4.3), plus its
 * log-likelihood. Down to the last click l everything is known: examined, every click above l
 * unsatisfied. Uncertain are satisfaction at l and how far down the unclicked tail the user
 * examined; both follow from β_r = P(no click at r … n | E_r = 1) = (1 − a_r)(1 − γ + γβ_{r+1}).
 */
export function dbnEStep(p: DbnParameters, list: ClickList, sums: PassSums): void {
  const n = list.items.length;
  const g = p.gamma;
  let l = 0;
  for (let r = n; r >= 1 && l === 0; r--) if (list.clicks[r - 1]) l = r;
  sums.logLik += loadList(p, list, n);
  sums.lists++;
  beta[n + 1] = 1;
  for (let r = n; r > l; r--) beta[r] = (1 - (aOf[r] as number)) * (1 - g + g * (beta[r + 1] as number));
  for (let r = 1; r <= l; r++) {
    const item = list.items[r - 1] as number;
    sums.items.ensure(item);
    const isClick = list.clicks[r - 1] === true;
    addA(sums, item, aOf[r] as number, 1, isClick ? 1 : 0);
    sums.positions.add(list.positions[r - 1] as number, 1, isClick);
    if (isClick && r < l) addS(sums, item, sOf[r] as number, 0);
  }
  if (l > 1) {
    sums.numG += l - 1;
    sums.denG += l - 1;
  }
  let enter = 1;
  if (l >= 1) {
    const item = list.items[l - 1] as number;
    const s = sOf[l] as number;
    const stay = l < n ? 1 - g + g * (beta[l + 1] as number) : 1;
    const pS = s / (s + (1 - s) * stay);
    addS(sums, item, s, pS);
    enter = l < n ? ((1 - s) * g * (beta[l + 1] as number)) / (s + (1 - s) * stay) : 0;
    if (l < n) {
      sums.denG += 1 - pS;
      sums.numG += enter;
    }
  }
  for (let r = l + 1; r <= n; r++) {
    const item = list.items[r - 1] as number;
    sums.items.ensure(item);
    addA(sums, item, aOf[r] as number, enter, 0);
    sums.positions.add(list.positions[r - 1] as number, enter, false);
    if (r === n) break;
    const b = beta[r + 1] as number;
    const next = (enter * g * b) / (1 - g + g * b);
    sums.denG += enter;
    sums.numG += next;
    enter = next;
  }
}
