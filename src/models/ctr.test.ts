/**
 * CTR prediction on simulated impressions whose click probabilities are known (src/sim,
 * ctr-impressions.ts: a planted logistic model of item, position, list, device × hour and item
 * age). The best any model can do is the AUC of the true probabilities; trained on the earlier
 * 80% of the time range and tested on the later 20%, the model must come within 0.01 of it and be
 * calibrated within 1% (ECE over deciles).
 */
import { describe, expect, it } from 'vitest';
import { plantedClickProbability, Rng, type SimImpression, simulateImpressions } from '../sim/index.js';
import type { CtrModelConfig } from './ctr-config.js';
import { ctrMetrics, scoreTestRows } from './ctr-evaluate.js';
import { numericStatsOf } from './ctr-features.js';
import { fieldsOf, permutationImportance, weightImportance } from './ctr-importance.js';
import { describeCtrDrivers } from './ctr-summary.js';
import { trainCtrModel } from './ctr-train.js';
import { logLoss, rocAuc } from './metrics.js';

const ROWS = [...simulateImpressions({ seed: 11, impressions: 400_000 })].flat();
const CUT = ROWS[Math.floor(ROWS.length * 0.8)]?.tsUs ?? 0;
// Time-based split: every training impression is earlier than every test impression.
const TRAIN = ROWS.filter((r) => r.tsUs < CUT);
const TEST = ROWS.filter((r) => r.tsUs >= CUT);
const TEST_LABELS = TEST.map((r) => r.label);
const TRUE_AUC = rocAuc(
  TEST_LABELS,
  TEST.map((r) => r.p),
) as number;

const FEATURES = {
  categorical: ['item_id', 'position', 'list_id', 'item_category', 'device_type', 'hour'],
  crosses: [['device_type', 'hour']],
  numeric: ['item_age_h'],
};

async function trainAndScore(config: CtrModelConfig, train: readonly SimImpression[] = TRAIN) {
  const positives = train.reduce((s, r) => s + r.label, 0);
  const numericStats = numericStatsOf(
    train.map((r) => r.values),
    config.features.numeric ?? [],
  );
  const { model, summary } = await trainCtrModel({
    config,
    train: () => [train],
    rows: train.length,
    positives,
    numericStats,
  });
  const rng = new Rng(5);
  const scored = await scoreTestRows(model, [TEST], { sampleSize: 20_000, random: () => rng.float() });
  return {
    model,
    summary,
    scored,
    metrics: ctrMetrics(scored.labels, scored.probs, positives / train.length),
  };
}

/** The default FTRL fit, shared by the tests that only read it. */
let defaultFit: ReturnType<typeof trainAndScore> | undefined;
function ftrlFit() {
  defaultFit ??= trainAndScore({ features: FEATURES });
  return defaultFit;
}

describe('CTR prediction recovers planted click probabilities', () => {
  it.each([
    ['FTRL-Proximal', null],
    ['L-BFGS', { algorithm: 'lbfgs', l2: 1e-5, maxIterations: 60 } as const],
  ])('%s: test AUC within 0.01 of the true probabilities, ECE under 1%%', async (_, trainer) => {
    const { metrics } = await (trainer === null ? ftrlFit() : trainAndScore({ features: FEATURES, trainer }));
    expect(TRUE_AUC - (metrics.rocAuc as number)).toBeLessThan(0.01);
    expect(metrics.ece).toBeLessThan(0.01);
    expect(Math.abs(metrics.meanPredicted - metrics.ctr)).toBeLessThan(0.005);
    // The truth is the floor: log loss cannot be much below the true probabilities' own.
    const trueLoss = logLoss(
      TEST_LABELS,
      TEST.map((r) => r.p),
    );
    expect(metrics.logLoss).toBeGreaterThan(trueLoss - 0.002);
    expect(metrics.logLoss - trueLoss).toBeLessThan(0.005);
  });

  it('balanced class weights keep predictions calibrated (prior correction of the intercept)', async () => {
    const { metrics, model } = await trainAndScore({ features: FEATURES, classWeight: 'balanced' });
    expect(model.params.classWeights.positive).toBeGreaterThan(5);
    expect(metrics.ece).toBeLessThan(0.01);
    expect(TRUE_AUC - (metrics.rocAuc as number)).toBeLessThan(0.01);
  });

  it('the planted device x hour interaction needs the cross: without it test log loss is worse', async () => {
    const small = TRAIN.slice(0, 150_000);
    const withCross = await trainAndScore({ features: FEATURES }, small);
    const without = await trainAndScore({ features: { ...FEATURES, crosses: [] } }, small);
    expect(withCross.metrics.logLoss).toBeLessThan(without.metrics.logLoss);
    // Planted: mobile +0.35 from 18:00, desktop +0.3 in office hours and −0.2 outside.
    const cross = weightImportance(withCross.model, withCross.scored.sample, {
      minSupport: 50,
      top: 100,
    }).find((g) => g.group === 'device_type x hour');
    const effect = (v: string) => cross?.highest?.find((e) => e.value === v)?.effect ?? Number.NaN;
    expect(effect('mobile x 20')).toBeGreaterThan(effect('mobile x 10'));
    expect(effect('desktop x 11')).toBeGreaterThan(effect('desktop x 22'));
  });

  it('permutation importance ranks the planted drivers and the summary names them', async () => {
    const { model, scored, metrics } = await ftrlFit();
    const sample = scored.sample.slice(0, 8000);
    const rng = new Rng(9);
    const fields = fieldsOf(model);
    const perm = permutationImportance(model, fields, sample, () => rng.float(), 2);
    // The same measure on the planted probabilities themselves is the truth to recover.
    const truth = permutationImportance(
      { predict: plantedClickProbability },
      fields,
      sample,
      () => rng.float(),
      2,
    );
    expect(perm.slice(0, 3).map((p) => p.field)).toEqual(truth.slice(0, 3).map((p) => p.field));
    // Within a factor 1.5: the shrunk weights of 300 items hand part of their effect to
    // position (the feed ranks attractive items higher), e.g. 0.041 vs 0.059 nats for items.
    for (const t of truth.slice(0, 3)) {
      const m = perm.find((p) => p.field === t.field)?.logLossIncrease ?? 0;
      expect(m / t.logLossIncrease).toBeGreaterThan(1 / 1.5);
      expect(m / t.logLossIncrease).toBeLessThan(1.5);
    }
    // item_category is a function of item_id: shuffling it alone costs almost nothing.
    expect(perm.find((p) => p.field === 'item_category')?.logLossIncreaseShare).toBeLessThan(0.005);
    const text = describeCtrDrivers(metrics, perm, weightImportance(model, sample));
    expect(text).toContain(`\`${truth[0]?.field}\` matters most`);
    expect(text).toMatch(/clicks are likeliest for 1 \(/);
    expect(text).toContain('`item_age_h` lowers the odds');
  });
});
