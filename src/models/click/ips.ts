import type { ClickList } from './list.js';
import { Z95 } from './wilson.js';

/** The IPS estimate of a new ranking from logged lists. */
export interface ReplayEstimate {
  readonly lists: number;
  /** Clicks per list as logged. */
  readonly loggedClicksPerList: number;
  /** Estimated clicks per list under the new ranking, with a 95% interval (normal, over lists). */
  readonly clicksPerList: { readonly value: number; readonly low: number; readonly high: number };
  /** estimated / logged. */
  readonly ratio: number | null;
  /** Per new position: logged CTR at that position and the estimated CTR under the new ranking. */
  readonly byPosition: readonly {
    readonly position: number;
    readonly loggedCtr: number;
    readonly estimatedCtr: number;
  }[];
  /** Clicks whose weight was capped at maxWeight. */
  readonly clippedClicks: number;
}

/**
 * Counterfactual replay of a re-ranking with inverse propensity scoring under the
 * position-based model (Wang et al., "Learning to Rank with Selection Bias", SIGIR 2016;
 * Joachims et al., "Unbiased Learning-to-Rank with Biased Feedback", WSDM 2017). A click on an
 * item logged at position k and moved to position k' counts γ_k' / γ_k clicks: unbiased for
 * the new ranking's expected clicks when PBM holds and γ_k > 0. Positions with no fitted γ
 * (beyond the data) are not examined.
 */
export class IpsReplay {
  private lists = 0;
  private logged = 0;
  private sum = 0;
  private sumSq = 0;
  private clipped = 0;
  private readonly loggedByPos: number[] = [];
  private readonly loggedShownByPos: number[] = [];
  private readonly shownByPos: number[] = [];
  private readonly estByPos: number[] = [];

  constructor(
    private readonly examination: (position: number) => number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {}

  /** Adds a logged list and the positions its items take under the new ranking. */
  add(list: ClickList, newPositions: readonly number[]): void {
    let est = 0;
    list.items.forEach((_, r) => {
      const k = list.positions[r] as number;
      const k2 = newPositions[r] as number;
      this.shownByPos[k2 - 1] = (this.shownByPos[k2 - 1] ?? 0) + 1;
      this.loggedShownByPos[k - 1] = (this.loggedShownByPos[k - 1] ?? 0) + 1;
      if (!list.clicks[r]) return;
      this.logged++;
      this.loggedByPos[k - 1] = (this.loggedByPos[k - 1] ?? 0) + 1;
      const g = this.examination(k);
      let w = g > 0 ? this.examination(k2) / g : 0;
      if (w > this.maxWeight) {
        w = this.maxWeight;
        this.clipped++;
      }
      est += w;
      this.estByPos[k2 - 1] = (this.estByPos[k2 - 1] ?? 0) + w;
    });
    this.lists++;
    this.sum += est;
    this.sumSq += est * est;
  }

  /** The estimate over the lists added so far. */
  result(): ReplayEstimate {
    const n = this.lists;
    const mean = n > 0 ? this.sum / n : 0;
    const variance = n > 1 ? (this.sumSq - n * mean * mean) / (n - 1) : 0;
    const half = n > 0 ? Z95 * Math.sqrt(Math.max(0, variance) / n) : 0;
    const loggedPerList = n > 0 ? this.logged / n : 0;
    const byPosition: { position: number; loggedCtr: number; estimatedCtr: number }[] = [];
    const positions = Math.max(this.shownByPos.length, this.loggedShownByPos.length);
    for (let k = 0; k < positions; k++) {
      const logged = this.loggedShownByPos[k] ?? 0;
      const shown = this.shownByPos[k] ?? 0;
      if (!logged && !shown) continue;
      byPosition.push({
        position: k + 1,
        loggedCtr: logged ? (this.loggedByPos[k] ?? 0) / logged : 0,
        estimatedCtr: shown ? (this.estByPos[k] ?? 0) / shown : 0,
      });
    }
    return {
      lists: n,
      loggedClicksPerList: loggedPerList,
      clicksPerList: { value: mean, low: Math.max(0, mean - half), high: mean + half },
      ratio: loggedPerList > 0 ? mean / loggedPerList : null,
      byPosition,
      clippedClicks: this.clipped,
    };
  }
}

/**
 * The positions a list's items take when re-ranked by score (higher first; ties and unscored
 * items keep their logged order, unscored items after scored ones). The list keeps its set of
 * positions: a re-ranking moves items between the slots that were shown.
 */
export function rerankPositions(list: ClickList, scoreOf: (item: number) => number | undefined): number[] {
  const slots = [...list.positions].sort((x, y) => x - y);
  const order = list.items
    .map((item, r) => ({ r, score: scoreOf(item) ?? Number.NEGATIVE_INFINITY }))
    .sort((x, y) => y.score - x.score || x.r - y.r);
  const out = new Array<number>(list.items.length);
  order.forEach((o, j) => {
    out[o.r] = slots[j] as number;
  });
  return out;
}
