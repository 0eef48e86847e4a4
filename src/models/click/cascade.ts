import {
  clipProb,
  type FittedClickModel,
  grow,
  type ItemParameters,
  type PositionExamination,
} from './fitted.js';
import { type ClickList, firstClickRank } from './list.js';
import { wilsonInterval } from './wilson.js';

/**
 * The cascade model (Craswell et al. 2008; Chuklin et al. 2015, §3.3): the user scans from the
 * top, clicks the item at rank r with probability α, and stops at the first click. Its MLE is a
 * closed form: α = clicks / examinations, where a list examines every rank down to its first
 * click (all ranks without a click). Clicks below the first click are outside the model; they
 * are left out of fitting (and cost the model in the held-out likelihood).
 */
export class CascadeCounter {
  private examined = new Float64Array(64);
  private clicked = new Float64Array(64);
  private shown = new Float64Array(64);
  private readonly posShown: number[] = [];
  private readonly posExamined: number[] = [];
  private readonly posClicked: number[] = [];

  /** Adds one training list. */
  add(list: ClickList): void {
    const first = firstClickRank(list);
    const last = first === 0 ? list.items.length : first;
    list.items.forEach((item, r) => {
      this.shown = grow(this.shown, item);
      this.shown[item] = (this.shown[item] as number) + 1;
      const p = (list.positions[r] as number) - 1;
      this.posShown[p] = (this.posShown[p] ?? 0) + 1;
    });
    for (let r = 0; r < last; r++) {
      const item = list.items[r] as number;
      this.examined = grow(this.examined, item);
      this.clicked = grow(this.clicked, item);
      this.examined[item] = (this.examined[item] as number) + 1;
      const isClick = r + 1 === first;
      if (isClick) this.clicked[item] = (this.clicked[item] as number) + 1;
      const p = (list.positions[r] as number) - 1;
      this.posExamined[p] = (this.posExamined[p] ?? 0) + 1;
      if (isClick) this.posClicked[p] = (this.posClicked[p] ?? 0) + 1;
    }
  }

  /** The closed-form fit. */
  fit(): CascadeModel {
    return new CascadeModel(
      { shown: this.shown, examined: this.examined, clicked: this.clicked },
      { shown: this.posShown, examined: this.posExamined, clicked: this.posClicked },
    );
  }
}

/** A fitted cascade model; items unseen in training get the pooled click rate of examined items. */
export class CascadeModel implements FittedClickModel {
  readonly model = 'cascade';
  readonly iterations = 1;
  readonly isConverged = true;
  readonly trainLogLikelihood: number;
  private readonly fallback: number;

  private readonly examined: Float64Array;
  private readonly clicked: Float64Array;

  constructor(
    private readonly byItem: { shown: Float64Array; examined: Float64Array; clicked: Float64Array },
    private readonly byPos: {
      shown: readonly number[];
      examined: readonly number[];
      clicked: readonly number[];
    },
  ) {
    const { examined, clicked } = byItem;
    this.examined = examined;
    this.clicked = clicked;
    let e = 0;
    let c = 0;
    let ll = 0;
    examined.forEach((n, i) => {
      const k = clicked[i] as number;
      e += n;
      c += k;
      if (k > 0) ll += k * Math.log(k / n);
      if (n > k) ll += (n - k) * Math.log(1 - k / n);
    });
    this.fallback = e > 0 ? c / e : 0.5;
    this.trainLogLikelihood = ll;
  }

  /** α of an item. */
  attractiveness(item: number): number {
    const n = this.examined[item] ?? 0;
    return n > 0 ? (this.clicked[item] as number) / n : this.fallback;
  }

  conditionalClickProbs(list: ClickList): Float64Array {
    const out = new Float64Array(list.items.length);
    let isStopped = false;
    list.items.forEach((item, r) => {
      out[r] = clipProb(isStopped ? 0 : this.attractiveness(item));
      if (list.clicks[r]) isStopped = true;
    });
    return out;
  }

  fullClickProbs(list: ClickList): Float64Array {
    const out = new Float64Array(list.items.length);
    let reach = 1;
    list.items.forEach((item, r) => {
      const a = this.attractiveness(item);
      out[r] = clipProb(reach * a);
      reach *= 1 - a;
    });
    return out;
  }

  /** Share of training lists showing a position that examined it (no click above it), Wilson interval. */
  positions(): PositionExamination[] {
    const out: PositionExamination[] = [];
    this.byPos.shown.forEach((n, k) => {
      if (!n) return;
      const e = this.byPos.examined[k] ?? 0;
      out.push({
        position: k + 1,
        impressions: n,
        clicks: this.byPos.clicked[k] ?? 0,
        examination: { value: e / n, ...wilsonInterval(e, n) },
      });
    });
    return out;
  }

  items(): ItemParameters[] {
    const out: ItemParameters[] = [];
    this.byItem.shown.forEach((shown, i) => {
      if (!(shown > 0)) return;
      const n = this.examined[i] ?? 0;
      const c = this.clicked[i] ?? 0;
      const a = n > 0 ? c / n : this.fallback;
      out.push({
        item: i,
        impressions: shown,
        clicks: c,
        examinations: n,
        attractiveness: { value: a, ...wilsonInterval(c, n) },
      });
    });
    return out;
  }
}
