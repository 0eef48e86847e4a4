import type { Interval } from '../spec/common.js';
import type { Expr, Field, Scope } from './nodes.js';

/**
 * Where impressions and clicks come from, and how they are joined (README, "Click-through
 * analytics"). Impressions in [from, to) count; the join also reads impressions up to one
 * window before `from` and clicks up to one window after `to`.
 */
export interface ClickSource {
  readonly scope: Scope;
  readonly impressionEvent: string;
  readonly clickEvent: string;
  readonly windowUs: number;
  readonly joinBy: 'auto' | 'request_id' | 'list_id';
  /** Filters on the impression events. */
  readonly where: Expr | null;
  /** Rows inserted after this instant are ignored: every pass of a fit reads the same rows. */
  readonly asOfUs: number | null;
}

/** A dimension of a CTR table: `itemProp` reads the item's key, then the event's; `field` the impression event's row. */
export type CtrDim =
  | { readonly kind: 'item' }
  | { readonly kind: 'position' }
  | { readonly kind: 'itemProp'; readonly name: string }
  | { readonly kind: 'field'; readonly field: Field }
  | { readonly kind: 'time'; readonly interval: Interval };

/** Impressions, clicked impressions and matched clicks per group, with a totals row. */
export interface CtrTablePlan {
  readonly kind: 'ctrTable';
  readonly source: ClickSource;
  readonly dims: readonly CtrDim[];
  readonly minImpressions: number;
  readonly limit: number;
}

/** Every click in range with how it joined: matched, outside the window, no impression, no key. */
export interface ClickMatchPlan {
  readonly kind: 'clickMatch';
  readonly source: ClickSource;
}

/** Which lists a click-model query reads: all, or the train or test side of a hash split. */
export interface ListSplit {
  readonly part: 'all' | 'train' | 'test';
  /** Lists with hash(list) mod 10000 below this are the test side. */
  readonly testPer10k: number;
}

/** The items of click-model data, ordered by id (the order defines their dense index), with support. */
export interface ClickItemsPlan {
  readonly kind: 'clickItems';
  readonly source: ClickSource;
  readonly maxPosition: number;
}

/** Impressions and clicked impressions per (item index, position): PBM's sufficient statistics. */
export interface ClickCellsPlan {
  readonly kind: 'clickCells';
  readonly source: ClickSource;
  readonly maxPosition: number;
  readonly split: ListSplit;
  /** The item dictionary (index = position in this list), from the items query. */
  readonly itemIds: readonly string[];
}

/** One row per list: its slots packed as numbers (see emitClickLists). */
export interface ClickListsPlan {
  readonly kind: 'clickLists';
  readonly source: ClickSource;
  readonly maxPosition: number;
  readonly split: ListSplit;
  readonly itemIds: readonly string[];
  /** Packing: position · slotBase + item index · 2 + clicked; 2^23 (INTEGER) up to 2^22 items, else 2^33 (BIGINT). */
  readonly slotBase: number;
}

/** The click plan nodes. */
export type ClickPlanNode = CtrTablePlan | ClickMatchPlan | ClickItemsPlan | ClickCellsPlan | ClickListsPlan;
