/**
 * Limited-memory BFGS (Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithm 7.4 and
 * 7.5: two-loop recursion, initial Hessian γ·I with γ = sᵀy / yᵀy) with a backtracking Armijo
 * line search, for smooth convex objectives such as regularized log loss. Stops as SciPy's
 * L-BFGS-B does: largest gradient component ≤ gtol, or relative decrease of f ≤ ftol.
 */

/** Computes f(x) and writes ∇f(x) into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

/** Stopping rules and memory. */
export interface LbfgsOptions {
  readonly memory: number;
  readonly maxIterations: number;
  readonly gradientTolerance: number;
  /** SciPy's default: factr 1e7 × machine epsilon. */
  readonly functionTolerance?: number;
  /** Called after each iteration; awaited, so a caller can yield to its event loop. */
  readonly onIteration?: (info: {
    iteration: number;
    f: number;
    gradientMax: number;
  }) => void | Promise<void>;
}

/** Why the optimizer stopped. */
export type LbfgsStop = 'gradient' | 'function' | 'max_iterations' | 'line_search';

/** The minimizer found and how. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly stop: LbfgsStop;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** History of (s, y) pairs, newest last. */
interface Memory {
  readonly s: Float64Array[];
  readonly y: Float64Array[];
  readonly rho: number[];
}

/** d = −H·g by the two-loop recursion. */
function direction(g: Float64Array, mem: Memory, d: Float64Array): void {
  const k = mem.s.length;
  const alpha = new Float64Array(k);
  for (let i = 0; i < d.length; i++) d[i] = -(g[i] as number);
  for (let j = k - 1; j >= 0; j--) {
    const s = mem.s[j] as Float64Array;
    const y = mem.y[j] as Float64Array;
    const a = (mem.rho[j] as number) * dot(s, d);
    alpha[j] = a;
    for (let i = 0; i < d.length; i++) d[i] = (d[i] as number) - a * (y[i] as number);
  }
  if (k > 0) {
    const s = mem.s[k - 1] as Float64Array;
    const y = mem.y[k - 1] as Float64Array;
    const gamma = dot(s, y) / dot(y, y);
    for (let i = 0; i < d.length; i++) d[i] = (d[i] as number) * gamma;
  }
  for (let j = 0; j < k; j++) {
    const s = mem.s[j] as Float64Array;
    const y = mem.y[j] as Float64Array;
    const b = (mem.rho[j] as number) * dot(y, d);
    const a = alpha[j] as number;
    for (let i = 0; i < d.length; i++) d[i] = (d[i] as number) + (a - b) * (s[i] as number);
  }
}

/**
 * Backtracking line search: halves the step from `step` until the Armijo condition
 * f(x + t·d) ≤ f + 1e-4 · t · slope holds; writes the point and its gradient to xNew, gNew.
 * Returns f there, or NaN when 40 halvings did not find one.
 */
function backtrack(
  fg: Objective,
  at: { x: Float64Array; d: Float64Array; f: number; slope: number; step: number },
  xNew: Float64Array,
  gNew: Float64Array,
): { f: number; evaluations: number } {
  let step = at.step;
  for (let tries = 1; tries <= 40; tries++) {
    for (let i = 0; i < xNew.length; i++) xNew[i] = (at.x[i] as number) + step * (at.d[i] as number);
    const f = fg(xNew, gNew);
    if (f <= at.f + 1e-4 * step * at.slope) return { f, evaluations: tries };
    step *= 0.5;
  }
  return { f: Number.NaN, evaluations: 40 };
}

/** Minimizes fg from x0 (which it does not modify). */
export async function minimizeLbfgs(
  fg: Objective,
  x0: Float64Array,
  options: LbfgsOptions,
): Promise<LbfgsResult> {
  const n = x0.length;
  const ftol = options.functionTolerance ?? 1e7 * Number.EPSILON;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  const mem: Memory = { s: [], y: [], rho: [] };
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    if (maxAbs(g) <= options.gradientTolerance)
      return { x, f, iterations: iteration - 1, evaluations, stop: 'gradient' };
    direction(g, mem, d);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      mem.s.length = 0;
      mem.y.length = 0;
      mem.rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -(g[i] as number);
      slope = dot(g, d);
    }
    const firstStep = mem.s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const search = backtrack(fg, { x, d, f, slope, step: firstStep }, xNew, gNew);
    evaluations += search.evaluations;
    const fNew = search.f;
    if (Number.isNaN(fNew)) return { x, f, iterations: iteration, evaluations, stop: 'line_search' };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (mem.s.length === options.memory) {
        mem.s.shift();
        mem.y.shift();
        mem.rho.shift();
      }
      mem.s.push(s);
      mem.y.push(y);
      mem.rho.push(1 / sy);
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    await options.onIteration?.({ iteration, f, gradientMax: maxAbs(g) });
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol)
      return { x, f, iterations: iteration, evaluations, stop: 'function' };
  }
  return { x, f, iterations: options.maxIterations, evaluations, stop: 'max_iterations' };
}
