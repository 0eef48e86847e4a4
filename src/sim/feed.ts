import { CONSUMER, HOUR_MS } from './calendar.js';
import { CATEGORIES, type Platform } from './catalog-data.js';
import { uuid } from './format.js';
import {
  dwellMs,
  type HouseholdInput,
  innerPage,
  newUserId,
  offlineDelayMs,
  planSessionStarts,
  type ScenarioContext,
} from './journey.js';
import { utf8 } from './line-buffer.js';
import type { HouseholdWriter, Session } from './message.js';
import { createDevice, type Device } from './population.js';
import { Rng, Weighted } from './rng.js';
import { type BooksState, booksState, mergeBooks, RateBook, type RateTable, round } from './truth.js';

const ORIGIN = 'https://news.example.net';
const FEED_APP = { name: 'Daily Feed', namespace: 'net.example.feed' };
const LIST_SIZE = 10;

/** Which click model generates the clicks of each list. */
export type ClickModelKind = 'pbm' | 'cascade';

/**
 * Planted parameters of the `feed` scenario. PBM (position-based model): an item at position k
 * is clicked with probability examination[k] × attractiveness[item], independently per position;
 * examination is normalized so that position 1 is examined with probability 1. Cascade: the
 * user scans from the top, clicks item k with probability attractiveness[item] and stops at the
 * first click (Chuklin, Markov and de Rijke, "Click Models for Web Search", 2015, ch. 3).
 */
export const FEED = {
  platformShares: { ios_app: 0.35, android_app: 0.3, mobile_web: 0.2, desktop_web: 0.15 } as Record<
    Platform,
    number
  >,
  sharedDeviceShare: 0.03,
  listSize: LIST_SIZE,
  lists: { home_feed: { model: 'pbm', share: 0.7 }, search_results: { model: 'cascade', share: 0.3 } },
  /** examination[k − 1] = (1 / k)^0.7. */
  examination: Array.from({ length: LIST_SIZE }, (_, i) => round((1 / (i + 1)) ** 0.7)),
  /** Ranking: candidates sorted by logit(attractiveness) + N(0, rankingNoise²), so every item appears at every position. */
  rankingNoise: 1.2,
  impressionEvent: '$impression',
  clickEvent: '$click',
} as const;

/** One feed item and its planted attractiveness. */
export interface FeedItem {
  readonly item_id: string;
  readonly item_category: string;
  readonly attractiveness: number;
}

function buildItems(): FeedItem[] {
  const rng = new Rng(0xfeed, 1);
  return Array.from({ length: 300 }, (_, i) => ({
    item_id: `post_${1000 + i}`,
    item_category: CATEGORIES[i % CATEGORIES.length] ?? 'books',
    attractiveness: round(1 / (1 + Math.exp(-(-1.5 + 0.9 * rng.normal())))),
  }));
}

/** The feed's items (the same for every seed). */
export const FEED_ITEMS: readonly FeedItem[] = buildItems();

/** JSON pieces of each item, in the key order the events had when built as objects. */
const ITEM_JSON = FEED_ITEMS.map((item) => ({
  /** `{"item_id":…,"position":` opening an impression's items[] entry and a click's properties. */
  head: `{"item_id":${JSON.stringify(item.item_id)},"position":`,
  /** `,"item_category":…}` closing both. */
  category: `,"item_category":${JSON.stringify(item.item_category)}}`,
  headUtf8: utf8(`{"item_id":${JSON.stringify(item.item_id)},"position":`),
  categoryUtf8: utf8(`,"item_category":${JSON.stringify(item.item_category)}}`),
  /** An article screen's properties. */
  screen: JSON.stringify({ item_id: item.item_id }),
  path: `/posts/${item.item_id}`,
  title: `Post ${item.item_id}`,
}));

/** The items[] entry of each item at each position (`{"item_id":…,"position":k,"item_category":…}`). */
const ITEM_AT = ITEM_JSON.map((json) =>
  Array.from({ length: LIST_SIZE }, (_, k) => utf8(`${json.head}${k + 1}${json.category}`)),
);

/** logit(attractiveness) of each item, the mean of its ranking score. */
const ITEM_LOGIT = FEED_ITEMS.map((item) => Math.log(item.attractiveness / (1 - item.attractiveness)));

/** Pre-encoded pieces of the impression and click properties of each list. */
const LIST_UTF8 = {
  home_feed: listUtf8('home_feed'),
  search_results: listUtf8('search_results'),
};
const LIST_SEGMENTS = { home_feed: { list_id: 'home_feed' }, search_results: { list_id: 'search_results' } };
const POSITIONS = Array.from({ length: LIST_SIZE }, (_, k) => String(k + 1));
const ITEMS_OPEN = utf8('","items":[');
const ITEMS_CLOSE = utf8(']}');
const COMMA = 44;
const QUOTE = 34;

function listUtf8(listId: string) {
  return {
    /** `{"list_id":…,"request_id":"` opening an impression's properties. */
    impression: utf8(`{"list_id":${JSON.stringify(listId)},"request_id":"`),
    /** `,"list_id":…,"request_id":"` in a click's properties. */
    click: utf8(`,"list_id":${JSON.stringify(listId)},"request_id":"`),
  };
}

/** The feed part of the truth manifest. */
export interface FeedTruth {
  readonly persons: number;
  readonly parameters: typeof FEED;
  readonly items: readonly FeedItem[];
  /** Expected CTR by list_id → position: Σ P(click) / impressions. */
  readonly expectedCtr: RateTable;
}

const platformPicker = new Weighted(Object.entries(FEED.platformShares) as [Platform, number][]);

/** The `feed` scenario: feed and search result lists with impressions and model-generated clicks. */
export class FeedScenario {
  private readonly ctr = new RateBook();
  private persons = 0;

  constructor(private readonly ctx: ScenarioContext) {}

  /** Whether a household shares its device (a family tablet). */
  isSharedHousehold(rng: Rng): boolean {
    return rng.chance(FEED.sharedDeviceShare);
  }

  /** Generates one household's readers. */
  household({ rng, writer, personNumbers }: HouseholdInput): void {
    const device = createDevice(rng, platformPicker.sample(rng), FEED_APP, this.ctx.releaseMs);
    const isShared = personNumbers.length > 1;
    for (const number of personNumbers) {
      this.persons++;
      const userId = newUserId(rng, number);
      const identifies = isShared || rng.chance(0.6);
      const count = 1 + rng.geometric(0.15);
      const visits = planSessionStarts(
        rng,
        this.ctx.calendar,
        CONSUMER,
        device.country.utcOffsetHours,
        count,
        1.5,
      );
      visits.forEach((start, i) => {
        const isLoggedIn = identifies && (isShared || i > 0);
        const s = writer.session(
          device,
          ORIGIN,
          isLoggedIn && !isShared ? userId : null,
          offlineDelayMs(rng, isApp(device)),
        );
        if (identifies && (isShared || i === 0))
          writer.identify(s, start, userId, { email: `${userId}@example.net` });
        this.visit(rng, writer, s, start + 500);
      });
    }
  }

  /** The accumulated truth as plain data. */
  truthState(): BooksState {
    return booksState(this.persons, { rates: [this.ctr], counts: [], means: [] });
  }

  /** Adds the truth accumulated by another thread. */
  mergeTruth(state: BooksState): void {
    this.persons += state.persons;
    mergeBooks({ rates: [this.ctr], counts: [], means: [] }, state);
  }

  /** The planted truth. */
  truth(): FeedTruth {
    return { persons: this.persons, parameters: FEED, items: FEED_ITEMS, expectedCtr: this.ctr.table() };
  }

  private visit(rng: Rng, w: HouseholdWriter, s: Session, start: number): void {
    let t = start;
    if (isApp(s.device)) {
      w.track(s, t, 'Application Opened', { from_background: false });
      t += 400;
      w.screen(s, t, 'Home');
    } else innerPage(w, s, t, '/', 'Daily Feed');
    const requests = 1 + rng.poisson(1.5);
    for (let r = 0; r < requests && t < this.ctx.calendar.endMs - HOUR_MS; r++) {
      const isSearch = rng.chance(FEED.lists.search_results.share);
      if (isSearch) {
        t += dwellMs(rng, 8000);
        w.track(s, t, 'search', { query: rng.pick(CATEGORIES) });
      }
      t = this.list(rng, w, s, t + 600, isSearch ? 'search_results' : 'home_feed');
    }
  }

  /** One impression list and its clicks; returns the time after the user is done with it. */
  private list(
    rng: Rng,
    w: HouseholdWriter,
    s: Session,
    start: number,
    listId: keyof typeof FEED.lists,
  ): number {
    const requestId = uuid(rng);
    const shown = rank(rng, listId);
    const model = FEED.lists[listId].model;
    const clicks: number[] = [];
    let survive = 1;
    // One $impression event per list view with the shown items in properties.items, as feed
    // SDKs batch them (issue 10's convention); clicks are one event each.
    const o = w.openTrack(s, start, FEED.impressionEvent);
    if (o) {
      o.raw(LIST_UTF8[listId].impression);
      o.text(requestId);
      o.raw(ITEMS_OPEN);
      for (let k = 0; k < shown.length; k++) {
        if (k > 0) o.byte(COMMA);
        o.raw((ITEM_AT[shown[k] as number] as Uint8Array[])[k] as Uint8Array);
      }
      o.raw(ITEMS_CLOSE);
      w.closeLine(s, start);
    }
    const segments = LIST_SEGMENTS[listId];
    for (let k = 0; k < shown.length; k++) {
      const alpha = (FEED_ITEMS[shown[k] as number] as FeedItem).attractiveness;
      const p = model === 'pbm' ? (FEED.examination[k] ?? 0) * alpha : survive * alpha;
      this.ctr.add(segments, POSITIONS[k] as string, p);
      if (model === 'pbm' ? rng.chance(p) : clicks.length === 0 && rng.chance(alpha)) clicks.push(k);
      survive *= 1 - alpha;
    }
    let t = start + shown.length * 250;
    for (const k of clicks) {
      const json = ITEM_JSON[shown[k] as number] as (typeof ITEM_JSON)[number];
      t += dwellMs(rng, 4000);
      const c = w.openTrack(s, t, FEED.clickEvent);
      if (c) {
        c.raw(json.headUtf8);
        c.uint(k + 1);
        c.raw(LIST_UTF8[listId].click);
        c.text(requestId);
        c.byte(QUOTE);
        c.raw(json.categoryUtf8);
        w.closeLine(s, t);
      }
      t += 300;
      if (isApp(s.device)) w.screenJson(s, t, 'Article', json.screen);
      else innerPage(w, s, t, json.path, json.title);
      t += dwellMs(rng, 45_000);
    }
    return t + dwellMs(rng, 5000);
  }
}

function isApp(device: Device): boolean {
  return device.platform === 'ios_app' || device.platform === 'android_app';
}

/**
 * Ten distinct candidates (indexes into FEED_ITEMS) ranked by noisy attractiveness: drawn
 * until ten differ, each scored in the order first drawn, sorted by score (stable, descending).
 */
function rank(rng: Rng, _listId: string): Int32Array {
  const picked = new Int32Array(LIST_SIZE);
  let n = 0;
  while (n < LIST_SIZE) {
    const i = rng.int(FEED_ITEMS.length);
    let isNew = true;
    for (let j = 0; j < n; j++) if (picked[j] === i) isNew = false;
    if (isNew) picked[n++] = i;
  }
  const scores = new Float64Array(LIST_SIZE);
  for (let j = 0; j < LIST_SIZE; j++) {
    const i = picked[j] as number;
    const score = (ITEM_LOGIT[i] as number) + FEED.rankingNoise * rng.normal();
    // Insertion sort: stable, and the fastest for ten.
    let k = j;
    while (k > 0 && (scores[k - 1] as number) < score) {
      scores[k] = scores[k - 1] as number;
      picked[k] = picked[k - 1] as number;
      k--;
    }
    scores[k] = score;
    picked[k] = i;
  }
  return picked;
}
