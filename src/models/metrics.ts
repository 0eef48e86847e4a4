/**
 * Evaluation metrics of a binary classifier, with the definitions of scikit-learn 1.2 (README,
 * "CTR prediction: definitions"); test/fixtures/models holds the reference values and the script
 * that computed them.
 */

/** Predictions are clipped to [ε, 1 − ε] before the log: ε = 2^-52, scikit-learn's float64 default. */
export const LOG_LOSS_EPSILON = Number.EPSILON;

/** Labels are 0/1; predictions and scores are any numbers (probabilities for log loss and calibration). */
export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

function checkLengths(labels: Labels, scores: Scores): number {
  if (labels.length !== scores.length) throw new RangeError('labels and scores differ in length');
  return labels.length;
}

/** Mean log loss −[y log p + (1 − y) log(1 − p)] with p clipped to [ε, 1 − ε]; NaN when empty. */
export function logLoss(labels: Labels, probs: Scores): number {
  const n = checkLengths(labels, probs);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probs[i] as number));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / n;
}

/** Entropy (nats) of a Bernoulli(rate) variable: the log loss of always predicting `rate`. */
export function bernoulliEntropy(rate: number): number {
  if (rate <= 0 || rate >= 1) return 0;
  return -(rate * Math.log(rate) + (1 - rate) * Math.log(1 - rate));
}

/** The share of ones. */
export function positiveRate(labels: Labels): number {
  let ones = 0;
  for (let i = 0; i < labels.length; i++) ones += labels[i] === 1 ? 1 : 0;
  return ones / labels.length;
}

/**
 * Normalized entropy (He et al., "Practical Lessons from Predicting Clicks on Ads at Facebook",
 * 2014): log loss divided by the entropy of the background CTR (default: the evaluated labels'
 * own rate), so 1 is no better than predicting that rate for everyone; null when it is 0 or 1.
 */
export function normalizedEntropy(labels: Labels, probs: Scores, backgroundRate?: number): number | null {
  const h = bernoulliEntropy(backgroundRate ?? positiveRate(labels));
  return h === 0 ? null : logLoss(labels, probs) / h;
}

/** Scores of positives and of negatives, each sorted descending. */
function splitSorted(labels: Labels, scores: Scores): { pos: Float64Array; neg: Float64Array } {
  const n = checkLengths(labels, scores);
  let ones = 0;
  for (let i = 0; i < n; i++) ones += labels[i] === 1 ? 1 : 0;
  const pos = new Float64Array(ones);
  const neg = new Float64Array(n - ones);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === 1) pos[p++] = scores[i] as number;
    else neg[q++] = scores[i] as number;
  }
  // Native typed-array sort (ascending), read from the end: no comparator on millions of rows.
  pos.sort();
  neg.sort();
  return { pos, neg };
}

/**
 * Calls visit(tp, fp) after each group of tied scores, from the highest score down: the points of
 * the ROC and precision-recall curves at each distinct threshold.
 */
function walkThresholds(labels: Labels, scores: Scores, visit: (tp: number, fp: number) => void): void {
  const { pos, neg } = splitSorted(labels, scores);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  while (i >= 0 || j >= 0) {
    const top = Math.max(i >= 0 ? (pos[i] as number) : -Infinity, j >= 0 ? (neg[j] as number) : -Infinity);
    while (i >= 0 && pos[i] === top) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === top) {
      fp++;
      j--;
    }
    visit(tp, fp);
  }
}

/**
 * ROC AUC: the trapezoidal area under the ROC curve over distinct thresholds, so a tie between a
 * positive and a negative counts one half (the Mann–Whitney U / (P·N)); null without both classes.
 */
export function rocAuc(labels: Labels, scores: Scores): number | null {
  let area = 0;
  let lastTp = 0;
  let lastFp = 0;
  walkThresholds(labels, scores, (tp, fp) => {
    area += ((fp - lastFp) * (tp + lastTp)) / 2;
    lastTp = tp;
    lastFp = fp;
  });
  return lastTp === 0 || lastFp === 0 ? null : area / (lastTp * lastFp);
}

/**
 * PR AUC as average precision: Σ (R_k − R_{k−1}) · P_k over distinct thresholds from the top (a
 * step function, no interpolation; tied scores form one threshold); null without positives.
 */
export function averagePrecision(labels: Labels, scores: Scores): number | null {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  if (positives === 0) return null;
  let ap = 0;
  let lastTp = 0;
  walkThresholds(labels, scores, (tp, fp) => {
    ap += ((tp - lastTp) / positives) * (tp / (tp + fp));
    lastTp = tp;
  });
  return ap;
}
