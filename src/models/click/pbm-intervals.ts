import { invertSpd } from './linalg.js';
import type { Estimate } from './list.js';
import { wilsonInterval, Z95 } from './wilson.js';

interface Cells {
  readonly item: Int32Array;
  readonly pos: Int32Array;
  readonly n: Float64Array;
  readonly c: Float64Array;
}

interface Margins {
  readonly n: Float64Array;
  readonly c: Float64Array;
}

/** Per-cell terms of the observed information (the negative Hessian of the log-likelihood). */
function cellInfo(a: number, g: number, n: number, c: number) {
  const u = n - c;
  const q = 1 - g * a;
  const w = u > 0 && q > 0 ? u / (q * q) : 0;
  return { aa: (c > 0 ? c / (a * a) : 0) + w * g * g, gg: (c > 0 ? c / (g * g) : 0) + w * a * a, ag: w };
}

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));

/** A probability's interval from its standard error, on the logit scale (stays inside (0, 1)). */
function logitInterval(p: number, se: number): Estimate {
  const d = (Z95 * se) / (p * (1 - p));
  return { value: p, low: expit(logit(p) - d), high: expit(logit(p) + d) };
}

/**
 * 95% intervals of the normalized PBM parameters from the observed information at the MLE:
 * the full matrix over items and free positions, inverted by blocks (items are a diagonal
 * block, so only a positions × positions Schur complement is inverted). Examination intervals
 * are on the log scale, attractiveness intervals on the logit scale; an attractiveness on the
 * boundary (no clicks, or only clicks) gets the Wilson interval over its expected examinations.
 */
export function pbmIntervals(
  cells: Cells,
  alpha: Float64Array,
  gamma: Float64Array,
  items: Margins,
  positions: Margins,
): { items: (Estimate | undefined)[]; positions: (Estimate | undefined)[] } {
  const ref = positions.n.findIndex((n) => n > 0);
  const free = new Int32Array(gamma.length).fill(-1);
  let m = 0;
  positions.n.forEach((n, k) => {
    if (n > 0 && k !== ref) free[k] = m++;
  });
  const isInterior = (i: number) =>
    (items.c[i] as number) > 0 && (items.c[i] as number) < (items.n[i] as number);
  const A = new Float64Array(alpha.length);
  const D = new Float64Array(m);
  const byItem = new Map<number, { k: number; b: number }[]>();
  const examined = new Float64Array(alpha.length);
  for (let j = 0; j < cells.n.length; j++) {
    const i = cells.item[j] as number;
    const k = cells.pos[j] as number;
    const t = cellInfo(alpha[i] as number, gamma[k] as number, cells.n[j] as number, cells.c[j] as number);
    A[i] = (A[i] as number) + t.aa;
    examined[i] = (examined[i] as number) + (cells.n[j] as number) * (gamma[k] as number);
    const f = free[k] as number;
    if (f < 0) continue;
    D[f] = (D[f] as number) + t.gg;
    if (!isInterior(i)) continue;
    const list = byItem.get(i) ?? [];
    list.push({ k: f, b: t.ag });
    byItem.set(i, list);
  }
  // S = D − Bᵀ A⁻¹ B over interior items (boundary items are not free parameters of the MLE).
  const S = new Float64Array(m * m);
  for (let f = 0; f < m; f++) S[f * m + f] = D[f] as number;
  for (const [i, list] of byItem) {
    for (const x of list)
      for (const y of list) S[x.k * m + y.k] = (S[x.k * m + y.k] as number) - (x.b * y.b) / (A[i] as number);
  }
  const Sinv = invertSpd(S, m);
  const posOut: (Estimate | undefined)[] = Array.from(gamma, (g, k) => {
    if (k === ref) return { value: 1, low: 1, high: 1 };
    const f = free[k] as number;
    if (f < 0) return undefined;
    const v = Sinv ? (Sinv[f * m + f] as number) : 1 / (D[f] as number);
    const d = (Z95 * Math.sqrt(v)) / g;
    return { value: g, low: g * Math.exp(-d), high: g * Math.exp(d) };
  });
  const itemOut: (Estimate | undefined)[] = Array.from(alpha, (a, i) => {
    if (!((items.n[i] as number) > 0)) return undefined;
    if (!isInterior(i)) return { value: a, ...wilsonInterval(items.c[i] as number, examined[i] as number) };
    let v = 1 / (A[i] as number);
    const list = byItem.get(i);
    if (Sinv && list) {
      let quad = 0;
      for (const x of list) for (const y of list) quad += x.b * y.b * (Sinv[x.k * m + y.k] as number);
      v += quad / ((A[i] as number) * (A[i] as number));
    }
    return logitInterval(a, Math.sqrt(v));
  });
  return { items: itemOut, positions: posOut };
}
