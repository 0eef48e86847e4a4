/**
 * One logged result list (a "session" in Chuklin, Markov and de Rijke, "Click Models for Web
 * Search", 2015): the items shown, in position order, their 1-based positions and which were
 * clicked. Items are dense indexes (0 … itemCount − 1) into the caller's item dictionary.
 */
export interface ClickList {
  readonly items: readonly number[];
  readonly positions: readonly number[];
  readonly clicks: readonly boolean[];
}

/** Clicks and impressions of one item at one position: PBM's sufficient statistics. */
export interface PositionCell {
  readonly item: number;
  readonly position: number;
  readonly impressions: number;
  readonly clicks: number;
}

/** An estimate with a 95% interval. */
export interface Estimate {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** What every fitted click model predicts for a list, rank by rank. */
export interface ClickPredictor {
  /** P(C_r = 1 | the list's clicks above r): the terms of the log-likelihood. */
  conditionalClickProbs(list: ClickList): Float64Array;
  /** P(C_r = 1), not conditioned on other clicks: the terms of perplexity. */
  fullClickProbs(list: ClickList): Float64Array;
}

/** The rank of the last click (1-based), 0 when nothing was clicked. */
export function lastClickRank(list: ClickList): number {
  for (let r = list.clicks.length; r >= 1; r--) if (list.clicks[r - 1]) return r;
  return 0;
}

/** The rank of the first click (1-based), 0 when nothing was clicked. */
export function firstClickRank(list: ClickList): number {
  const i = list.clicks.indexOf(true);
  return i + 1;
}
