/** Gauss–Legendre nodes and weights on [−1, 1] (Newton's method on P_n; Numerical Recipes' gauleg). */
function gaussLegendre(order: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(order);
  const weights = new Float64Array(order);
  for (let i = 0; i < Math.ceil(order / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (order + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = 0;
      for (let j = 1; j <= order; j++) {
        const p2 = p1;
        p1 = p0;
        p0 = ((2 * j - 1) * x * p1 - (j - 1) * p2) / j;
      }
      dp = (order * (x * p0 - p1)) / (x * x - 1);
      const step = p0 / dp;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes[i] = -x;
    nodes[order - 1 - i] = x;
    const w = 2 / ((1 - x * x) * dp * dp);
    weights[i] = w;
    weights[order - 1 - i] = w;
  }
  return { nodes, weights };
}

const RULE = gaussLegendre(20);

/** ∫ f over [a, b] by composite 20-point Gauss–Legendre on `panels` equal panels. */
export function integrate(f: (x: number) => number, a: number, b: number, panels = 64): number {
  const width = (b - a) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * width;
    let sum = 0;
    for (let i = 0; i < RULE.nodes.length; i++) {
      sum += (RULE.weights[i] as number) * f(mid + 0.5 * width * (RULE.nodes[i] as number));
    }
    total += 0.5 * width * sum;
  }
  return total;
}

/**
 * The x where an increasing g crosses target, by Newton steps from `start` using g's derivative,
 * falling back to bisection whenever a step leaves the bracket [lo, hi] (which always holds the
 * root). Stops when a step is below 1e-12 of the bracket's initial width.
 */
export function solveNewton(
  g: (x: number) => number,
  derivative: (x: number) => number,
  target: number,
  bracket: { lo: number; hi: number; start: number },
): number {
  let { lo, hi } = bracket;
  let x = Math.min(hi, Math.max(lo, bracket.start));
  const tolerance = 1e-12 * (hi - lo);
  for (let i = 0; i < 100; i++) {
    const gap = g(x) - target;
    if (gap < 0) lo = x;
    else hi = x;
    const slope = derivative(x);
    let next = slope > 0 ? x - gap / slope : Number.NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) < tolerance) return next;
    x = next;
  }
  return x;
}
