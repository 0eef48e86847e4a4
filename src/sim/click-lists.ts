import { Rng } from './rng.js';

/** The click model that generates a list's clicks. */
export type ListClickModel = 'pbm' | 'cascade' | 'dbn';

/** Planted parameters of generated click lists. */
export interface ClickListParams {
  readonly model: ListClickModel;
  /** Attractiveness per item (item index = array index). */
  readonly attractiveness: readonly number[];
  /** DBN: P(satisfied | clicked) per item. */
  readonly satisfaction: readonly number[];
  /** PBM: P(examined) per position (index = position − 1); position 1 is 1. */
  readonly examination: readonly number[];
  /** DBN: P(continue | examined and not satisfied). */
  readonly continuation: number;
  readonly listSize: number;
  /** Ranking: candidates sorted by logit(attractiveness) + N(0, rankingNoise²). */
  readonly rankingNoise: number;
}

/** One generated list: items in position order, positions 1…n, clicks. */
export interface GeneratedList {
  readonly items: number[];
  readonly positions: number[];
  readonly clicks: boolean[];
}

/** Options of `clickListParams`; every field has a default. */
export interface ClickListOptions {
  readonly model: ListClickModel;
  readonly items?: number;
  readonly listSize?: number;
  readonly continuation?: number;
  readonly rankingNoise?: number;
  readonly seed?: number;
}

/**
 * Planted parameters for lists from one click model (the test data of issue 10: each model's
 * fit on its own data against the others). Attractiveness is logistic(−1.5 + 0.9·N(0, 1)) as in
 * the feed scenario; satisfaction uniform in [0.2, 0.9]; examination (1/k)^0.7.
 */
export function clickListParams(o: ClickListOptions): ClickListParams {
  const rng = new Rng(o.seed ?? 7, 0xc11c);
  const n = o.items ?? 200;
  const listSize = o.listSize ?? 10;
  return {
    model: o.model,
    attractiveness: Array.from({ length: n }, () => 1 / (1 + Math.exp(1.5 - 0.9 * rng.normal()))),
    satisfaction: Array.from({ length: n }, () => rng.range(0.2, 0.9)),
    examination: Array.from({ length: listSize }, (_, k) => (1 / (k + 1)) ** 0.7),
    continuation: o.continuation ?? 0.8,
    listSize,
    rankingNoise: o.rankingNoise ?? 1.2,
  };
}

function rankList(p: ClickListParams, rng: Rng): number[] {
  const picked = new Set<number>();
  while (picked.size < p.listSize) picked.add(rng.int(p.attractiveness.length));
  const logit = (a: number) => Math.log(a / (1 - a));
  return [...picked]
    .map((i) => ({ i, score: logit(p.attractiveness[i] as number) + p.rankingNoise * rng.normal() }))
    .sort((x, y) => y.score - x.score)
    .map((x) => x.i);
}

/** Clicks of one ranked list under the planted model (Chuklin et al. 2015, ch. 3). */
function clicksOf(p: ClickListParams, items: readonly number[], rng: Rng): boolean[] {
  let isExamining = true;
  return items.map((item, k) => {
    const a = p.attractiveness[item] as number;
    if (p.model === 'pbm') return rng.chance((p.examination[k] ?? 0) * a);
    if (!isExamining) return false;
    const isClick = rng.chance(a);
    if (p.model === 'cascade') isExamining = !isClick;
    else {
      const isSatisfied = isClick && rng.chance(p.satisfaction[item] as number);
      isExamining = !isSatisfied && rng.chance(p.continuation);
    }
    return isClick;
  });
}

/** `count` lists drawn from the planted model; list i draws from its own stream, so any slice is reproducible. */
export function* generateClickLists(
  p: ClickListParams,
  count: number,
  seed = 1,
  first = 0,
): Generator<GeneratedList> {
  for (let i = first; i < first + count; i++) {
    const rng = new Rng(seed, 0x11575, i);
    const items = rankList(p, rng);
    yield { items, positions: items.map((_, k) => k + 1), clicks: clicksOf(p, items, rng) };
  }
}

/**
 * A generated list as Segment track messages (the feed convention of README, "Click-through
 * analytics"): one `$impression` with `items`, and one `$click` per click 5 s later per rank.
 */
export function listMessages(
  list: GeneratedList,
  index: number,
  options: { readonly startMs: number; readonly persons: number; readonly listId?: string },
): Record<string, unknown>[] {
  const t = options.startMs + index * 60_000;
  const userId = `u${index % options.persons}`;
  const requestId = `r${index}`;
  const listId = options.listId ?? 'feed';
  const item = (i: number) => `item_${i}`;
  const impression = {
    type: 'track',
    event: '$impression',
    userId,
    messageId: `imp-${index}`,
    timestamp: new Date(t).toISOString(),
    properties: {
      list_id: listId,
      request_id: requestId,
      items: list.items.map((i, k) => ({ item_id: item(i), position: list.positions[k] })),
    },
  };
  const clicks = list.items.flatMap((i, k) =>
    list.clicks[k]
      ? [
          {
            type: 'track',
            event: '$click',
            userId,
            messageId: `clk-${index}-${k}`,
            timestamp: new Date(t + 5_000 * (k + 1)).toISOString(),
            properties: {
              item_id: item(i),
              position: list.positions[k],
              list_id: listId,
              request_id: requestId,
            },
          },
        ]
      : [],
  );
  return [impression, ...clicks];
}
