import { type PathTable, type PathWeights, pathCodes } from './paths.js';

/** Uniform floats in [0, 1): the seeded generator is injected (STYLE.md §5). */
export interface RandomSource {
  float(): number;
}

/** Shapley values per label code, and how they were computed. */
export interface ShapleyResult {
  readonly method: 'exact' | 'sampled';
  /** Labels that appear in some journey: the players. */
  readonly players: number;
  readonly permutations: number | null;
  readonly conversions: Float64Array;
  readonly value: Float64Array;
  /** Sampled only: a simultaneous Hoeffding bound at the confidence level, and standard errors. */
  readonly bound: { readonly conversions: Float64Array; readonly value: Float64Array } | null;
  readonly standardError: { readonly conversions: Float64Array; readonly value: Float64Array } | null;
}

/** Journeys, conversions and value per distinct touch set (a bitmask over players). */
interface TouchSets {
  readonly masks: number[];
  readonly n: number[];
  readonly c: number[];
  readonly v: number[];
  /** Per player: indices of the sets that hold it. */
  readonly holding: number[][];
}

function touchSets(table: PathTable, w: PathWeights, playerOf: Int32Array, players: number): TouchSets {
  const index = new Map<number, number>();
  const s: TouchSets = { masks: [], n: [], c: [], v: [], holding: Array.from({ length: players }, () => []) };
  for (let p = 0; p < table.count; p++) {
    const n = (w.conversions[p] as number) + (w.nulls[p] as number);
    if (n === 0) continue;
    let mask = 0;
    for (const code of pathCodes(table, p)) mask = (mask | (1 << (playerOf[code] as number))) >>> 0;
    let k = index.get(mask);
    if (k === undefined) {
      k = s.masks.length;
      index.set(mask, k);
      s.masks.push(mask);
      s.n.push(0);
      s.c.push(0);
      s.v.push(0);
      for (let i = 0; i < players; i++) if ((mask >>> i) & 1) s.holding[i]?.push(k);
    }
    s.n[k] = (s.n[k] as number) + n;
    s.c[k] = (s.c[k] as number) + (w.conversions[p] as number);
    s.v[k] = (s.v[k] as number) + (w.value[p] as number);
  }
  return s;
}

/**
 * The characteristic function (README, "Attribution"): with only the channels of coalition S,
 * a journey with touch set T keeps the touches T ∩ S and converts at the rate r(T ∩ S), so
 * v(S) = Σ_T journeys(T) · r(T ∩ S). r(U) is the conversion rate (or value per journey) of the
 * journeys whose touch set is exactly U; when no journey has exactly U, of the journeys whose
 * touch set lies within U; 0 when there is none (and r(∅) = 0). v(all) is every conversion.
 */
class Game {
  private readonly cache = new Map<number, [number, number]>();
  private readonly exact = new Map<number, number>();

  constructor(readonly sets: TouchSets) {
    sets.masks.forEach((m, k) => {
      this.exact.set(m, k);
    });
  }

  /** [conversion rate, value per journey] of a journey left with touch set u. */
  rate(u: number): [number, number] {
    let r = this.cache.get(u);
    if (r) return r;
    const s = this.sets;
    const k = this.exact.get(u);
    if (u === 0) r = [0, 0];
    else if (k !== undefined)
      r = [(s.c[k] as number) / (s.n[k] as number), (s.v[k] as number) / (s.n[k] as number)];
    else r = this.within(u);
    this.cache.set(u, r);
    return r;
  }

  private within(u: number): [number, number] {
    const s = this.sets;
    let n = 0;
    let c = 0;
    let v = 0;
    s.masks.forEach((m, k) => {
      if ((m & ~u) !== 0) return;
      n += s.n[k] as number;
      c += s.c[k] as number;
      v += s.v[k] as number;
    });
    return n === 0 ? [0, 0] : [c / n, v / n];
  }

  /** v(s ∪ {i}) − v(s) for conversions and value: only sets holding i change. */
  marginal(i: number, s: number): [number, number] {
    const sets = this.sets;
    const with_ = (s | (1 << i)) >>> 0;
    let dc = 0;
    let dv = 0;
    for (const k of sets.holding[i] as number[]) {
      const m = sets.masks[k] as number;
      const a = this.rate((m & with_) >>> 0);
      const b = this.rate((m & s) >>> 0);
      dc += (sets.n[k] as number) * (a[0] - b[0]);
      dv += (sets.n[k] as number) * (a[1] - b[1]);
    }
    return [dc, dv];
  }
}

/** Players: the label codes that occur in some journey with weight. */
function playersOf(
  table: PathTable,
  w: PathWeights,
  labels: number,
): { codes: number[]; playerOf: Int32Array } {
  const used = new Uint8Array(labels);
  for (let p = 0; p < table.count; p++) {
    if ((w.conversions[p] as number) + (w.nulls[p] as number) === 0) continue;
    for (const c of pathCodes(table, p)) used[c] = 1;
  }
  const codes = [...used.keys()].filter((c) => used[c] === 1);
  const playerOf = new Int32Array(labels).fill(-1);
  codes.forEach((c, i) => {
    playerOf[c] = i;
  });
  return { codes, playerOf };
}

/** Options of the Shapley computation. */
export interface ShapleyOptions {
  readonly maxExact: number;
  readonly permutations: number;
  readonly confidenceLevel: number;
  readonly rng: RandomSource;
}

/** Shapley values of every label: exact up to `maxExact` players, else by sampled permutations. */
export function shapley(table: PathTable, w: PathWeights, labels: number, o: ShapleyOptions): ShapleyResult {
  const { codes, playerOf } = playersOf(table, w, labels);
  const game = new Game(touchSets(table, w, playerOf, codes.length));
  const m = codes.length;
  const spread = (phi: Float64Array) => {
    const out = new Float64Array(labels);
    codes.forEach((c, i) => {
      out[c] = phi[i] as number;
    });
    return out;
  };
  if (m <= o.maxExact) {
    const [c, v] = exactShapley(game, m);
    return {
      method: 'exact',
      players: m,
      permutations: null,
      conversions: spread(c),
      value: spread(v),
      bound: null,
      standardError: null,
    };
  }
  const s = sampledShapley(game, m, o);
  return {
    method: 'sampled',
    players: m,
    permutations: o.permutations,
    conversions: spread(s.mean[0]),
    value: spread(s.mean[1]),
    bound: { conversions: spread(s.bound[0]), value: spread(s.bound[1]) },
    standardError: { conversions: spread(s.se[0]), value: spread(s.se[1]) },
  };
}

/** φ_i = Σ_{S ∌ i} |S|! (m − |S| − 1)! / m! · (v(S ∪ {i}) − v(S)), over every coalition. */
function exactShapley(game: Game, m: number): [Float64Array, Float64Array] {
  const size = 2 ** m;
  const vc = new Float64Array(size);
  const vv = new Float64Array(size);
  for (let s = 1; s < size; s++) {
    const i = 31 - Math.clz32(s);
    const rest = s ^ (1 << i);
    const [dc, dv] = game.marginal(i, rest);
    vc[s] = (vc[rest] as number) + dc;
    vv[s] = (vv[rest] as number) + dv;
  }
  // weight[k] = k! (m − k − 1)! / m! = 1 / (m · C(m − 1, k)).
  const weight = new Float64Array(m);
  let binom = 1;
  for (let k = 0; k < m; k++) {
    weight[k] = 1 / (m * binom);
    binom = (binom * (m - 1 - k)) / (k + 1);
  }
  const pc = new Float64Array(m);
  const pv = new Float64Array(m);
  for (let s = 0; s < size; s++) {
    const k = popcount(s);
    for (let i = 0; i < m; i++) {
      if ((s >>> i) & 1) continue;
      const t = s | (1 << i);
      const wk = weight[k] as number;
      pc[i] = (pc[i] as number) + wk * ((vc[t] as number) - (vc[s] as number));
      pv[i] = (pv[i] as number) + wk * ((vv[t] as number) - (vv[s] as number));
    }
  }
  return [pc, pv];
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

interface Sampled {
  readonly mean: [Float64Array, Float64Array];
  readonly se: [Float64Array, Float64Array];
  readonly bound: [Float64Array, Float64Array];
}

/**
 * Monte Carlo over uniformly random orders (Castro, Gómez & Tejada 2009). A marginal
 * contribution of i lies in [−R_i, R_i] with R_i = Σ_{T ∋ i} journeys(T) · (largest rate), so
 * with M orders every estimate is within R_i · 2 · sqrt(ln(2m/δ) / (2M)) of its Shapley value,
 * all m at once with probability ≥ 1 − δ (Hoeffding and a union bound).
 */
function sampledShapley(game: Game, m: number, o: ShapleyOptions): Sampled {
  const sum = [new Float64Array(m), new Float64Array(m)] as const;
  const sq = [new Float64Array(m), new Float64Array(m)] as const;
  const order = [...Array(m).keys()];
  for (let k = 0; k < o.permutations; k++) {
    for (let i = m - 1; i > 0; i--) {
      const j = Math.floor(o.rng.float() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    let s = 0;
    for (const i of order) {
      const [dc, dv] = game.marginal(i, s);
      sum[0][i] = (sum[0][i] as number) + dc;
      sum[1][i] = (sum[1][i] as number) + dv;
      sq[0][i] = (sq[0][i] as number) + dc * dc;
      sq[1][i] = (sq[1][i] as number) + dv * dv;
      s = (s | (1 << i)) >>> 0;
    }
  }
  const M = o.permutations;
  const mean = sum.map((a) => a.map((x) => x / M)) as [Float64Array, Float64Array];
  const se = sq.map((a, g) =>
    a.map((x, i) =>
      Math.sqrt(Math.max(0, x / M - ((mean[g] as Float64Array)[i] as number) ** 2) / Math.max(1, M - 1)),
    ),
  ) as [Float64Array, Float64Array];
  const z = Math.sqrt(Math.log((2 * m) / (1 - o.confidenceLevel)) / (2 * M));
  const sets = game.sets;
  let maxRate = [0, 0];
  sets.masks.forEach((_, k) => {
    maxRate = [
      Math.max(maxRate[0] as number, (sets.c[k] as number) / (sets.n[k] as number)),
      Math.max(maxRate[1] as number, (sets.v[k] as number) / (sets.n[k] as number)),
    ];
  });
  const reach = Float64Array.from({ length: m }, (_, i) =>
    (sets.holding[i] as number[]).reduce((a, k) => a + (sets.n[k] as number), 0),
  );
  const bound = [0, 1].map((g) => reach.map((r) => 2 * r * (maxRate[g] as number) * z)) as [
    Float64Array,
    Float64Array,
  ];
  return { mean, se, bound };
}
