import type { ClickList, ClickPredictor } from './list.js';

/** Held-out fit of one model (Chuklin et al. 2015, ch. 5). */
export interface HeldOutFit {
  readonly lists: number;
  readonly impressions: number;
  readonly clicks: number;
  /** Σ log P(clicks of a list), natural log, over the held-out lists. */
  readonly logLikelihood: number;
  /** logLikelihood / lists. */
  readonly logLikelihoodPerList: number;
  /** 2^(−mean log₂ P(C_r = c_r)) per position, with P unconditional (full) click probabilities. */
  readonly perplexityByPosition: readonly {
    readonly position: number;
    readonly impressions: number;
    readonly perplexity: number;
  }[];
  /** The mean of the per-position perplexities. */
  readonly perplexity: number;
}

interface Acc {
  ll: number;
  readonly log2ByPos: number[];
  readonly nByPos: number[];
}

/**
 * Scores models on held-out lists, one list at a time (so the lists can be streamed): the
 * log-likelihood uses conditional click probabilities P(C_r | C_<r), perplexity the
 * unconditional P(C_r) (as PyClick does; Chuklin et al. 2015, §5.1–5.2).
 */
export class HeldOutEvaluator {
  private readonly acc: Acc[];
  private lists = 0;
  private impressions = 0;
  private clicks = 0;

  constructor(private readonly models: readonly ClickPredictor[]) {
    this.acc = models.map(() => ({ ll: 0, log2ByPos: [], nByPos: [] }));
  }

  /** Adds one held-out list. */
  add(list: ClickList): void {
    this.lists++;
    this.impressions += list.items.length;
    for (const c of list.clicks) if (c) this.clicks++;
    this.models.forEach((m, j) => {
      const acc = this.acc[j] as Acc;
      const cond = m.conditionalClickProbs(list);
      const full = m.fullClickProbs(list);
      list.clicks.forEach((c, r) => {
        const q = cond[r] as number;
        const f = full[r] as number;
        acc.ll += Math.log(c ? q : 1 - q);
        const k = (list.positions[r] as number) - 1;
        acc.log2ByPos[k] = (acc.log2ByPos[k] ?? 0) + Math.log2(c ? f : 1 - f);
        acc.nByPos[k] = (acc.nByPos[k] ?? 0) + 1;
      });
    });
  }

  /** One result per model, in the order given. */
  results(): HeldOutFit[] {
    return this.acc.map((acc) => {
      const perplexityByPosition: { position: number; impressions: number; perplexity: number }[] = [];
      acc.nByPos.forEach((n, k) => {
        if (n)
          perplexityByPosition.push({
            position: k + 1,
            impressions: n,
            perplexity: 2 ** (-(acc.log2ByPos[k] as number) / n),
          });
      });
      const mean =
        perplexityByPosition.reduce((s, p) => s + p.perplexity, 0) / (perplexityByPosition.length || 1);
      return {
        lists: this.lists,
        impressions: this.impressions,
        clicks: this.clicks,
        logLikelihood: acc.ll,
        logLikelihoodPerList: this.lists > 0 ? acc.ll / this.lists : 0,
        perplexityByPosition,
        perplexity: mean,
      };
    });
  }
}
