/**
 * Absorption in a Markov chain: x = Q x + r over the transient states, where Q[s][t] is the
 * probability of moving from s to t and r[s] of being absorbed (converting) from s. x[s] is the
 * probability of conversion from s; with r scaled by the mean conversion value at s, the
 * expected value. This is the linear system (I − Q) x = r, solved exactly (up to rounding),
 * never by simulating walks.
 */
export interface SparseChain {
  readonly states: number;
  /** CSR rows: transitions of state s are `rowStart[s] … rowStart[s+1]`. */
  readonly rowStart: Uint32Array;
  readonly to: Uint32Array;
  /** The order Gauss–Seidel sweeps states in: later states (closer to absorption) first. */
  readonly sweep: Uint32Array;
}

/** Sweeps until the largest change is below this (relative to the largest |x|, at least 1). */
const TOLERANCE = 1e-15;
const MAX_SWEEPS = 20_000;

/**
 * Solves (I − Q) x = r for two right-hand sides at once; states with `isKilled` are absorbing
 * with x = 0 (a removed channel sends journeys to the null state). Gauss–Seidel converges for
 * this system (I − Q is a non-singular M-matrix when every state can reach absorption, which
 * holds for states built from observed paths); if it has not within MAX_SWEEPS, a dense LU
 * with partial pivoting solves it directly.
 */
export function absorb(
  chain: SparseChain,
  q: Float64Array,
  r1: Float64Array,
  r2: Float64Array,
  isKilled: (s: number) => boolean,
): [Float64Array, Float64Array] {
  const x = new Float64Array(chain.states);
  const y = new Float64Array(chain.states);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let delta = 0;
    let scale = 1;
    for (const s of chain.sweep) {
      if (isKilled(s)) continue;
      let a = r1[s] as number;
      let b = r2[s] as number;
      for (let e = chain.rowStart[s] as number; e < (chain.rowStart[s + 1] as number); e++) {
        const t = chain.to[e] as number;
        a += (q[e] as number) * (x[t] as number);
        b += (q[e] as number) * (y[t] as number);
      }
      delta = Math.max(delta, Math.abs(a - (x[s] as number)), Math.abs(b - (y[s] as number)));
      scale = Math.max(scale, Math.abs(a), Math.abs(b));
      x[s] = a;
      y[s] = b;
    }
    if (delta <= TOLERANCE * scale) return [x, y];
  }
  return absorbDense(chain, q, r1, r2, isKilled);
}

/** The same system by dense Gaussian elimination with partial pivoting (fallback and tests). */
export function absorbDense(
  chain: SparseChain,
  q: Float64Array,
  r1: Float64Array,
  r2: Float64Array,
  isKilled: (s: number) => boolean,
): [Float64Array, Float64Array] {
  const live: number[] = [];
  const pos = new Int32Array(chain.states).fill(-1);
  for (let s = 0; s < chain.states; s++) {
    if (isKilled(s)) continue;
    pos[s] = live.length;
    live.push(s);
  }
  const n = live.length;
  const w = n + 2;
  const a = new Float64Array(n * w);
  live.forEach((s, i) => {
    a[i * w + i] = 1;
    for (let e = chain.rowStart[s] as number; e < (chain.rowStart[s + 1] as number); e++) {
      const j = pos[chain.to[e] as number] as number;
      if (j >= 0) a[i * w + j] = (a[i * w + j] as number) - (q[e] as number);
    }
    a[i * w + n] = r1[s] as number;
    a[i * w + n + 1] = r2[s] as number;
  });
  eliminate(a, n, w);
  const x = new Float64Array(chain.states);
  const y = new Float64Array(chain.states);
  live.forEach((s, i) => {
    x[s] = a[i * w + n] as number;
    y[s] = a[i * w + n + 1] as number;
  });
  return [x, y];
}

/** Gauss–Jordan on an n × (n + 2) row-major matrix: leaves the solutions in the last columns. */
function eliminate(a: Float64Array, n: number, w: number): void {
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++)
      if (Math.abs(a[i * w + k] as number) > Math.abs(a[p * w + k] as number)) p = i;
    if (p !== k) {
      for (let j = 0; j < w; j++) {
        const t = a[k * w + j] as number;
        a[k * w + j] = a[p * w + j] as number;
        a[p * w + j] = t;
      }
    }
    const pivot = a[k * w + k] as number;
    for (let j = k; j < w; j++) a[k * w + j] = (a[k * w + j] as number) / pivot;
    for (let i = 0; i < n; i++) {
      const f = a[i * w + k] as number;
      if (i === k || f === 0) continue;
      for (let j = k; j < w; j++) a[i * w + j] = (a[i * w + j] as number) - f * (a[k * w + j] as number);
    }
  }
}
