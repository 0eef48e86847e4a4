import { PathwiseError } from '../core/index.js';
import {
  type CtrMetrics,
  CtrModel,
  type CtrModelConfig,
  type CtrModelParams,
  ctrMetrics,
  decodeWeights,
  describeCtrDrivers,
  encodeWeights,
  type FieldImportance,
  fieldsOf,
  type GroupWeights,
  permutationImportance,
  type ResolvedTrainer,
  resolveTrainer,
  scoreTestRows,
  type TrainProgress,
  type TrainSummary,
  trainCtrModel,
  weightImportance,
} from '../models/index.js';
import { type CtrTrainingPlan, planCtrTraining, streamCtrRows } from '../query/index.js';
import { Rng } from '../sim/index.js';
import { findModel, type ModelRecord, saveModel, type Warehouse } from '../store/index.js';
import type { CtrTrainSpec } from './ctr-spec.js';

/** Where a training run is: its phase and the share of the work done (0..1). */
export interface TrainingProgress {
  readonly phase: 'plan' | 'train' | 'refit' | 'optimize' | 'score' | 'importance' | 'save';
  readonly fraction: number;
  readonly rowsDone?: number;
  readonly rowsTotal?: number;
  readonly iteration?: number;
  readonly loss?: number;
}

/** What a CTR model stores as its metrics (README, "CTR prediction"). */
export interface CtrReport {
  readonly test: CtrMetrics;
  readonly training: TrainSummary & { readonly seconds: number };
  readonly data: {
    readonly trainRows: number;
    readonly trainClicks: number;
    readonly testRows: number;
    readonly testClicks: number;
    readonly clickEvents: number;
    readonly unmatchedClicks: number;
  };
  readonly importance: {
    readonly permutation: readonly FieldImportance[];
    readonly weights: readonly GroupWeights[];
  };
  /** "What drives CTR" in plain words. */
  readonly summary: string;
}

/** Share of a run's time each phase takes, roughly: progress runs 0 → 1 through them. */
const SPAN = { plan: [0, 0.05], train: [0.05, 0.75], score: [0.75, 0.9], importance: [0.9, 0.98] } as const;

function modelConfig(spec: CtrTrainSpec): CtrModelConfig {
  const { features, hashBits, hashSeed, trainer, classWeight } = spec;
  return {
    features,
    ...(hashBits === undefined ? {} : { hashBits }),
    ...(hashSeed === undefined ? {} : { hashSeed }),
    ...(trainer === undefined ? {} : { trainer }),
    ...(classWeight === undefined ? {} : { classWeight }),
  };
}

function checkData(plan: CtrTrainingPlan): void {
  const reason =
    plan.train.rows === 0
      ? 'no impressions before the test period'
      : plan.test.rows === 0
        ? 'no impressions in the test period'
        : plan.train.clicks === 0
          ? 'no clicked impressions in the training period'
          : plan.train.clicks === plan.train.rows
            ? 'every training impression was clicked'
            : null;
  if (reason) throw new PathwiseError('PW_MODEL_NO_DATA', { reason });
}

async function evaluate(
  wh: Warehouse,
  plan: CtrTrainingPlan,
  model: CtrModel,
  spec: CtrTrainSpec,
  report: (p: TrainingProgress) => Promise<void>,
) {
  const rng = new Rng(spec.evaluation?.seed ?? 1, 0xc7);
  const random = () => rng.float();
  const scored = await scoreTestRows(model, streamCtrRows(wh, plan, 'test'), {
    sampleSize: spec.evaluation?.importanceRows ?? 20_000,
    random,
    rowsTotal: plan.test.rows,
    onProgress: (p) =>
      report({ ...p, phase: 'score', fraction: lerp(SPAN.score, p.rowsDone / plan.test.rows) }),
  });
  const test = ctrMetrics(scored.labels, scored.probs, plan.train.clicks / plan.train.rows);
  await report({ phase: 'importance', fraction: SPAN.importance[0] });
  const permutation = permutationImportance(
    model,
    fieldsOf(model),
    scored.sample,
    random,
    spec.evaluation?.permutationRepeats ?? 3,
  );
  const weights = weightImportance(model, scored.sample);
  return { test, permutation, weights, summary: describeCtrDrivers(test, permutation, weights) };
}

/**
 * How far training is (0..1): FTRL reads the rows once per epoch, then once more for the
 * intercept refit; L-BFGS reads them once (a quarter of its time, roughly), then iterates.
 */
function trainShare(p: TrainProgress, trainer: ResolvedTrainer): number {
  const read = p.rowsTotal > 0 ? p.rowsDone / p.rowsTotal : 1;
  if (trainer.algorithm === 'lbfgs')
    return p.phase === 'optimize' ? 0.25 + 0.75 * ((p.iteration ?? 0) / trainer.maxIterations) : 0.25 * read;
  const passes = trainer.epochs + (trainer.refitIntercept ? 1 : 0);
  const pass = p.phase === 'refit' ? trainer.epochs : (p.epoch ?? 1) - 1;
  return (pass + (p.phase === 'refit' ? 0 : read)) / passes;
}

function lerp(span: readonly [number, number], t: number): number {
  return span[0] + (span[1] - span[0]) * Math.min(1, Math.max(0, t));
}

/**
 * Trains, evaluates and stores a CTR model as the next version of `name`: the rows are
 * extracted and labelled in the store and streamed (query), trained and scored in TypeScript
 * (models), and the model is saved with its spec, ranges and metrics (store).
 */
export async function trainCtr(
  wh: Warehouse,
  projectId: string,
  name: string,
  spec: CtrTrainSpec,
  onProgress: (p: TrainingProgress) => void | Promise<void> = () => undefined,
): Promise<ModelRecord> {
  const report = async (p: TrainingProgress) => onProgress(p);
  const started = performance.now();
  await report({ phase: 'plan', fraction: 0 });
  const config = modelConfig(spec);
  const f = spec.features;
  const fields = [...new Set([...f.categorical, ...(f.crosses ?? []).flat(), ...(f.numeric ?? [])])];
  const plan = await planCtrTraining(wh, projectId, spec, { fields, numeric: f.numeric ?? [] });
  checkData(plan);
  const { model, summary } = await trainCtrModel(
    {
      config,
      train: () => streamCtrRows(wh, plan, 'train'),
      rows: plan.train.rows,
      positives: plan.train.clicks,
      numericStats: plan.numericStats,
    },
    (p) => report({ ...p, fraction: lerp(SPAN.train, trainShare(p, resolveTrainer(config.trainer))) }),
  );
  const seconds = (performance.now() - started) / 1000;
  const evaluation = await evaluate(wh, plan, model, spec, report);
  const metrics: CtrReport = {
    test: evaluation.test,
    training: { ...summary, seconds },
    data: {
      trainRows: plan.train.rows,
      trainClicks: plan.train.clicks,
      testRows: plan.test.rows,
      testClicks: plan.test.clicks,
      clickEvents: plan.clickEvents,
      unmatchedClicks: plan.unmatchedClicks,
    },
    importance: { permutation: evaluation.permutation, weights: evaluation.weights },
    summary: evaluation.summary,
  };
  await report({ phase: 'save', fraction: 0.99 });
  const version = await saveModel(wh, {
    projectId,
    name,
    kind: 'ctr',
    spec: { ...spec, kind: 'ctr' },
    trainFromUs: plan.train.fromUs,
    trainToUs: plan.train.toUs,
    testFromUs: plan.test.fromUs,
    testToUs: plan.test.toUs,
    metrics,
    params: model.params,
    weights: encodeWeights(model.weights),
  });
  return findModel(wh, projectId, name, version);
}

/** A stored CTR model, ready to score. */
export function ctrModelOf(record: ModelRecord & { readonly weights: Uint8Array }): CtrModel {
  if (record.kind !== 'ctr')
    throw new PathwiseError('PW_MODEL_INVALID_SPEC', {
      reason: `model "${record.name}" is a ${record.kind} model`,
    });
  return new CtrModel(record.params as CtrModelParams, decodeWeights(record.weights));
}

/** A model record as shown to people: its ranges and metrics, without its weights. */
export function describeModel(record: ModelRecord): Record<string, unknown> {
  return {
    name: record.name,
    version: record.version,
    kind: record.kind,
    createdAt: record.createdAt,
    trainRange: { from: record.trainFrom, to: record.trainTo },
    testRange: { from: record.testFrom, to: record.testTo },
    spec: record.spec,
    metrics: record.metrics,
    params: record.params,
  };
}
