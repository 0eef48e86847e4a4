import { FEED, FEED_ITEMS, type FeedItem } from './feed.js';
import { Rng } from './rng.js';

/**
 * Impressions with a known logistic click probability, for testing and benchmarking CTR
 * prediction: unlike the `feed` scenario's click models, the truth here is exactly a logistic
 * model of the features below, so a well-trained model can match the truth's AUC.
 *
 * logit P(click) = logit(attractiveness[item]) + log(examination[position]) + LIST[list]
 *                  + DEVICE_HOUR(device, hour) + AGE · item_age_h + BASE
 */
export const CTR_SIM = {
  base: -0.3,
  list: { home_feed: 0, search_results: 0.4 } as Record<string, number>,
  listShares: [
    ['home_feed', 0.7],
    ['search_results', 0.3],
  ] as const,
  devices: [
    ['mobile', 0.6],
    ['desktop', 0.3],
    ['tablet', 0.1],
  ] as const,
  /** Log-odds per hour of item age. */
  age: -0.012,
  meanAgeH: 36,
} as const;

/** The planted device × hour effect (hour in UTC). */
export function deviceHourEffect(device: string, hour: number): number {
  if (device === 'mobile') return hour >= 18 ? 0.35 : 0;
  if (device === 'desktop') return hour >= 9 && hour < 18 ? 0.3 : -0.2;
  return 0;
}

/** One simulated impression: time, the click, its true probability and the feature values. */
export interface SimImpression {
  readonly tsUs: number;
  readonly label: number;
  readonly p: number;
  readonly values: {
    readonly item_id: string;
    readonly position: number;
    readonly list_id: string;
    readonly item_category: string;
    readonly device_type: string;
    readonly hour: number;
    readonly item_age_h: number;
  };
}

/** What to simulate: about `impressions` rows (whole lists of 10) spread evenly over `days` from `startMs`. */
export interface ImpressionSimOptions {
  readonly seed: number;
  readonly impressions: number;
  readonly startMs?: number;
  readonly days?: number;
  readonly batchSize?: number;
}

function pickWeighted(rng: Rng, table: readonly (readonly [string, number])[]): string {
  let u = rng.float();
  for (const [name, w] of table) {
    u -= w;
    if (u < 0) return name;
  }
  return (table.at(-1) as readonly [string, number])[0];
}

function rankedList(rng: Rng): FeedItem[] {
  const picked = new Set<number>();
  while (picked.size < FEED.listSize) picked.add(rng.int(FEED_ITEMS.length));
  return [...picked]
    .map((i) => {
      const item = FEED_ITEMS[i] as FeedItem;
      const a = item.attractiveness;
      return { item, score: Math.log(a / (1 - a)) + FEED.rankingNoise * rng.normal() };
    })
    .sort((x, y) => y.score - x.score)
    .map((x) => x.item);
}

const ATTRACTIVENESS = new Map(FEED_ITEMS.map((item) => [item.item_id, item.attractiveness]));

/** The planted P(click) of an impression's feature values (the formula above). */
export function plantedClickProbability(values: Readonly<Record<string, unknown>>): number {
  const a = ATTRACTIVENESS.get(String(values.item_id)) ?? 0.5;
  const logit =
    Math.log(a / (1 - a)) +
    Math.log(FEED.examination[Number(values.position) - 1] ?? 1) +
    (CTR_SIM.list[String(values.list_id)] ?? 0) +
    deviceHourEffect(String(values.device_type), Number(values.hour)) +
    CTR_SIM.age * Number(values.item_age_h) +
    CTR_SIM.base;
  return 1 / (1 + Math.exp(-logit));
}

function listImpressions(rng: Rng, tsMs: number): SimImpression[] {
  const list = pickWeighted(rng, CTR_SIM.listShares);
  const device = pickWeighted(rng, CTR_SIM.devices);
  const hour = new Date(tsMs).getUTCHours();
  return rankedList(rng).map((item, k) => {
    const values = {
      item_id: item.item_id,
      position: k + 1,
      list_id: list,
      item_category: item.item_category,
      device_type: device,
      hour,
      item_age_h: Math.round(rng.exponential(CTR_SIM.meanAgeH) * 10) / 10,
    };
    const p = plantedClickProbability(values);
    return { tsUs: tsMs * 1000, label: rng.chance(p) ? 1 : 0, p, values };
  });
}

/** Simulated impressions in time order, in batches; the same options give the same rows. */
export function* simulateImpressions(options: ImpressionSimOptions): Generator<SimImpression[]> {
  const rng = new Rng(options.seed, 0x1c7);
  const lists = Math.max(1, Math.round(options.impressions / FEED.listSize));
  const startMs = options.startMs ?? Date.UTC(2026, 0, 1);
  const stepMs = ((options.days ?? 14) * 86_400_000) / lists;
  const batchSize = options.batchSize ?? 5000;
  let batch: SimImpression[] = [];
  for (let l = 0; l < lists; l++) {
    batch.push(...listImpressions(rng, Math.floor(startMs + (l + rng.float()) * stepMs)));
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
