import type { JourneySet } from '../query/index.js';

/** The rule-based models, in the order results list them. */
export const HEURISTIC_MODELS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
] as const;
export type HeuristicModel = (typeof HEURISTIC_MODELS)[number];

/** What the rules need besides the journey. */
export interface HeuristicRules {
  /** isDirect[code]: the label is skipped by "last non-direct". */
  readonly isDirect: readonly boolean[];
  readonly halfLifeSec: number;
  readonly positionFirst: number;
  readonly positionLast: number;
}

/** Conversions and value credited to each label code. */
export interface Credit {
  readonly conversions: Float64Array;
  readonly value: Float64Array;
}

type Weigh = (codes: Uint8Array, secs: Uint32Array, rules: HeuristicRules, w: Float64Array) => void;

/**
 * Each rule writes one weight per touch, summing to 1 (README, "Attribution" states them):
 * linear is per touch (a label touched twice gets two shares, as in ChannelAttribution);
 * time-decay halves a touch's weight every half-life before the conversion; position-based
 * gives a one-touch journey all, a two-touch journey first/(first+last) and last/(first+last),
 * and spreads the rest evenly over middle touches; last non-direct falls back to the last
 * touch when every touch is direct.
 */
const WEIGH: { readonly [M in HeuristicModel]: Weigh } = {
  first_touch: (_c, _s, _r, w) => {
    w[0] = 1;
  },
  last_touch: (c, _s, _r, w) => {
    w[c.length - 1] = 1;
  },
  last_non_direct: (c, _s, r, w) => {
    let i = c.length - 1;
    while (i > 0 && r.isDirect[c[i] as number]) i--;
    w[r.isDirect[c[i] as number] ? c.length - 1 : i] = 1;
  },
  linear: (c, _s, _r, w) => {
    w.fill(1 / c.length, 0, c.length);
  },
  time_decay: (c, s, r, w) => {
    let sum = 0;
    for (let i = 0; i < c.length; i++) {
      const x = 2 ** (-(s[i] as number) / r.halfLifeSec);
      w[i] = x;
      sum += x;
    }
    for (let i = 0; i < c.length; i++) w[i] = (w[i] as number) / sum;
  },
  position_based: (c, _s, r, w) => {
    const n = c.length;
    if (n === 1) w[0] = 1;
    else if (n === 2) {
      const both = r.positionFirst + r.positionLast;
      w[0] = both === 0 ? 0.5 : r.positionFirst / both;
      w[1] = both === 0 ? 0.5 : r.positionLast / both;
    } else {
      w.fill((1 - r.positionFirst - r.positionLast) / (n - 2), 1, n - 1);
      w[0] = r.positionFirst;
      w[n - 1] = r.positionLast;
    }
  },
};

/** Credits every converting journey's conversion and value to its touches, per rule. */
export function heuristicCredit(set: JourneySet, rules: HeuristicRules): Record<HeuristicModel, Credit> {
  const labels = set.labels.length;
  const out = Object.fromEntries(
    HEURISTIC_MODELS.map((m) => [
      m,
      { conversions: new Float64Array(labels), value: new Float64Array(labels) },
    ]),
  ) as Record<HeuristicModel, Credit>;
  let w = new Float64Array(64);
  for (let j = 0; j < set.count; j++) {
    if (set.isConverted[j] !== 1) continue;
    const lo = set.offsets[j] as number;
    const hi = set.offsets[j + 1] as number;
    if (hi === lo) continue;
    const codes = set.touches.subarray(lo, hi);
    const secs = set.secondsBefore.subarray(lo, hi);
    if (w.length < codes.length) w = new Float64Array(codes.length);
    const value = set.value[j] as number;
    for (const m of HEURISTIC_MODELS) {
      w.fill(0, 0, codes.length);
      WEIGH[m](codes, secs, rules, w);
      const credit = out[m];
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i] as number;
        credit.conversions[c] = (credit.conversions[c] as number) + (w[i] as number);
        credit.value[c] = (credit.value[c] as number) + (w[i] as number) * value;
      }
    }
  }
  return out;
}
