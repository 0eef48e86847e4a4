import type { ClickPredictor, Estimate } from './list.js';

/** The click models this module fits. */
export type ClickModelName = 'pbm' | 'cascade' | 'dbn';

/** One position's examination probability with its support. */
export interface PositionExamination {
  readonly position: number;
  readonly impressions: number;
  readonly clicks: number;
  readonly examination: Estimate;
}

/** One item's parameters with its support (training impressions and clicks). */
export interface ItemParameters {
  readonly item: number;
  readonly impressions: number;
  readonly clicks: number;
  /** Examinations the model counts (cascade) or expects (DBN, PBM: Σ γ over impressions). */
  readonly examinations?: number;
  readonly attractiveness: Estimate;
  /** DBN only: P(satisfied | clicked). */
  readonly satisfaction?: Estimate;
}

/** A fitted click model: its predictions and its parameter tables. */
export interface FittedClickModel extends ClickPredictor {
  readonly model: ClickModelName;
  /** EM iterations (passes over the data); 1 for a closed form. */
  readonly iterations: number;
  readonly isConverged: boolean;
  /** Log-likelihood of the training data at the fitted parameters (natural log). */
  readonly trainLogLikelihood: number;
  /** DBN only: the continuation probability γ. */
  readonly continuation?: number;
  /** Examination per position (how each model defines it: README, "Click models"). */
  positions(): PositionExamination[];
  /** Parameters of every item seen in training. */
  items(): ItemParameters[];
}

/** Keeps a predicted probability off 0 and 1 so one impossible event does not make the log-likelihood infinite. */
export const PROB_EPSILON = 1e-6;

/** A probability clipped to [PROB_EPSILON, 1 − PROB_EPSILON]. */
export function clipProb(p: number): number {
  return Math.min(Math.max(p, PROB_EPSILON), 1 - PROB_EPSILON);
}

/** Grows a typed array so that index `i` fits. */
export function grow(a: Float64Array<ArrayBuffer>, i: number): Float64Array<ArrayBuffer> {
  if (i < a.length) return a;
  const b = new Float64Array(Math.max(i + 1, a.length * 2));
  b.set(a);
  return b;
}
