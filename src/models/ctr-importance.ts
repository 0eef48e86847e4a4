import type { RandomSource } from './ctr-evaluate.js';
import { categoryOf, type FeatureValues } from './ctr-features.js';
import type { CtrModel } from './ctr-model.js';
import type { CtrExample } from './ctr-train.js';
import { logLoss, rocAuc } from './metrics.js';

/** Permutation importance of one raw field (its crosses included): what shuffling it costs. */
export interface FieldImportance {
  readonly field: string;
  /** Mean increase of the sample's log loss over the repeats (nats). */
  readonly logLossIncrease: number;
  /** The same as a share of the unshuffled log loss. */
  readonly logLossIncreaseShare: number;
  readonly logLossIncreaseSd: number;
  readonly aucDrop: number | null;
}

/** A value of a categorical field (or a combination of a cross) and its weight relative to the field's average. */
export interface ValueEffect {
  readonly value: string;
  /** Log-odds relative to the sample-weighted average of the field. */
  readonly effect: number;
  readonly count: number;
}

/** Weight-based importance of a feature group. */
export interface GroupWeights {
  readonly group: string;
  readonly kind: 'categorical' | 'cross' | 'numeric';
  /** Standard deviation over the sample of the group's contribution to the logit. */
  readonly logitSpread: number;
  /** Numeric groups: log-odds per standard deviation. */
  readonly coefficient?: number;
  /** Categorical and cross groups: the values with the highest and lowest effects (support ≥ minSupport). */
  readonly highest?: readonly ValueEffect[];
  readonly lowest?: readonly ValueEffect[];
}

/** Options of importance. */
export interface ImportanceOptions {
  readonly repeats?: number;
  readonly minSupport?: number;
  readonly top?: number;
}

/** Anything that scores rows: a trained model, or a simulator's true probabilities. */
export interface Scorer {
  predict(values: FeatureValues): number;
}

/** The raw fields a model reads (crossed fields included). */
export function fieldsOf(model: CtrModel): string[] {
  return [...new Set(model.encoder.groups.flatMap((g) => g.fields))];
}

function predictAll(
  model: Scorer,
  rows: readonly CtrExample[],
  override?: { field: string; values: unknown[] },
) {
  const probs = new Float64Array(rows.length);
  rows.forEach((ex, i) => {
    if (!override) {
      probs[i] = model.predict(ex.values);
      return;
    }
    // Object.assign, not spread: V8's object spread costs ~10x here (measured).
    const values: Record<string, unknown> = Object.assign({}, ex.values);
    values[override.field] = override.values[i];
    probs[i] = model.predict(values);
  });
  return probs;
}

function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, sd: Math.sqrt(v) };
}

/**
 * Permutation importance (Breiman 2001; Fisher, Rudin and Dominici 2019): shuffle one field's
 * values across the sample rows, so its link to the label breaks while its distribution stays,
 * and measure how much worse the log loss (and AUC) gets; mean over `repeats` shuffles.
 */
export function permutationImportance(
  model: Scorer,
  fields: readonly string[],
  sample: readonly CtrExample[],
  random: RandomSource,
  repeats = 3,
): FieldImportance[] {
  const labels = sample.map((ex) => ex.label);
  const base = predictAll(model, sample);
  const baseLoss = logLoss(labels, base);
  const baseAuc = rocAuc(labels, base);
  return fields
    .map((field) => {
      const original = sample.map((ex) => ex.values[field]);
      const losses: number[] = [];
      const aucs: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const probs = predictAll(model, sample, { field, values: shuffled(original, random) });
        losses.push(logLoss(labels, probs) - baseLoss);
        const auc = rocAuc(labels, probs);
        if (auc !== null && baseAuc !== null) aucs.push(baseAuc - auc);
      }
      const { mean, sd } = meanSd(losses);
      return {
        field,
        logLossIncrease: mean,
        logLossIncreaseShare: mean / baseLoss,
        logLossIncreaseSd: sd,
        aucDrop: aucs.length > 0 ? meanSd(aucs).mean : null,
      };
    })
    .sort((a, b) => b.logLossIncrease - a.logLossIncrease);
}

/** Each row's contribution to the logit by group, from one encoding pass over the sample. */
function contributions(model: CtrModel, sample: readonly CtrExample[]): Float64Array[] {
  const enc = model.encoder;
  const groups = enc.groups.length;
  const out = enc.groups.map(() => new Float64Array(sample.length));
  const idx = new Int32Array(enc.maxNonZeros);
  const val = new Float32Array(enc.maxNonZeros);
  const grp = new Uint16Array(enc.maxNonZeros);
  sample.forEach((ex, i) => {
    const nnz = enc.encode(ex.values, idx, val, grp);
    for (let k = 0; k < nnz; k++) {
      const g = grp[k] as number;
      if (g < groups) (out[g] as Float64Array)[i] = model.weightAt(idx[k] as number) * (val[k] as number);
    }
  });
  return out;
}

function valueEffects(
  sample: readonly CtrExample[],
  fields: readonly string[],
  contribution: Float64Array,
): ValueEffect[] {
  const byValue = new Map<string, { sum: number; count: number }>();
  let total = 0;
  let present = 0;
  sample.forEach((ex, i) => {
    const parts = fields.map((f) => categoryOf(ex.values[f]));
    if (parts.some((p) => p === null)) return;
    const key = parts.join(' x ');
    const c = contribution[i] as number;
    const entry = byValue.get(key) ?? { sum: 0, count: 0 };
    entry.sum += c;
    entry.count++;
    byValue.set(key, entry);
    total += c;
    present++;
  });
  const average = present === 0 ? 0 : total / present;
  return [...byValue].map(([value, e]) => ({ value, effect: e.sum / e.count - average, count: e.count }));
}

/** Weight-based importance per feature group, read off the model over the sample rows. */
export function weightImportance(
  model: CtrModel,
  sample: readonly CtrExample[],
  options: ImportanceOptions = {},
): GroupWeights[] {
  const minSupport = options.minSupport ?? 20;
  const top = options.top ?? 3;
  const contrib = contributions(model, sample);
  return model.encoder.groups.map((g, gi) => {
    const c = contrib[gi] as Float64Array;
    const { sd } = meanSd(Array.from(c));
    if (g.kind === 'numeric') {
      const bucket = model.encoder.numericBucket(g.fields[0] as string);
      return { group: g.name, kind: g.kind, logitSpread: sd, coefficient: model.weightAt(bucket) };
    }
    const effects = valueEffects(sample, g.fields, c)
      .filter((e) => e.count >= minSupport)
      .sort((a, b) => b.effect - a.effect);
    return {
      group: g.name,
      kind: g.kind,
      logitSpread: sd,
      highest: effects.slice(0, top),
      lowest: effects.slice(-top).reverse(),
    };
  });
}
