import {
  CascadeCounter,
  type ClickModelName,
  DbnFitter,
  type Estimate,
  type FittedClickModel,
  fitPbm,
  HeldOutEvaluator,
  type HeldOutFit,
  type PositionExamination,
} from '../models/index.js';
import {
  type ClickDataSet,
  type ClickJoinStats,
  openClickData,
  type QueryOptions,
  type ResolvedDateRange,
} from '../query/index.js';
import type { Warehouse } from '../store/index.js';
import type { ClickModelSpec } from './spec.js';

/** One item's parameters under one model, by item id. */
export interface ItemReport {
  readonly itemId: string;
  readonly impressions: number;
  readonly clicks: number;
  readonly examinations?: number;
  readonly attractiveness: Estimate;
  readonly satisfaction?: Estimate;
}

/** One fitted model: convergence, examination per position, parameters per item. */
export interface ModelReport {
  readonly model: ClickModelName;
  readonly iterations: number;
  readonly isConverged: boolean;
  readonly trainLogLikelihood: number;
  readonly continuation?: number;
  readonly positions: readonly PositionExamination[];
  /** Items with at least minImpressions training impressions, the most shown first, up to itemLimit. */
  readonly items: readonly ItemReport[];
  readonly itemCount: number;
}

/** A row of the model comparison on held-out lists. */
export interface ComparisonRow extends HeldOutFit {
  readonly model: ClickModelName;
}

/** What `fitClickModels` returns (README, "Click models"). */
export interface ClickModelReport {
  readonly dateRange: ResolvedDateRange;
  readonly normalization: string;
  readonly data: {
    readonly items: number;
    readonly trainLists: number | null;
    readonly testLists: number;
    readonly testFraction: number;
    readonly clickJoin: ClickJoinStats;
  };
  readonly models: readonly ModelReport[];
  /** Held-out fit, best log-likelihood first (empty when testFraction is 0). */
  readonly comparison: readonly ComparisonRow[];
}

/** Progress of a fit: one call per pass over the lists. */
export type FitProgress = (event: {
  readonly model: string;
  readonly pass: number;
  readonly lists: number;
}) => void;

export const NORMALIZATION =
  'PBM: examination at position 1 = 1 (attractiveness = CTR at position 1); cascade and DBN: examination of position 1 = 1 by definition, later positions are the models’ posterior examination averaged over lists';

/** The models fitted on the training side of a data set, in the order asked. */
export async function fitModels(
  data: ClickDataSet,
  spec: ClickModelSpec,
  onPass: FitProgress = () => undefined,
): Promise<{ models: FittedClickModel[]; trainLists: number | null }> {
  const names = spec.models ?? ['pbm', 'cascade', 'dbn'];
  const fitted = new Map<ClickModelName, FittedClickModel>();
  if (names.includes('pbm')) {
    fitted.set('pbm', fitPbm(await data.cells('train'), spec.pbm ?? {}));
    onPass({ model: 'pbm', pass: 1, lists: 0 });
  }
  let trainLists: number | null = null;
  if (names.includes('cascade') || names.includes('dbn')) {
    const cascade = new CascadeCounter();
    const dbn = names.includes('dbn') ? new DbnFitter(spec.dbn ?? {}) : null;
    trainLists = 0;
    for await (const batch of data.lists('train')) {
      for (const l of batch) {
        cascade.add(l);
        dbn?.add(l);
      }
      trainLists += batch.length;
    }
    onPass({ model: 'cascade', pass: 1, lists: trainLists });
    if (names.includes('cascade')) fitted.set('cascade', cascade.fit());
    if (dbn) fitted.set('dbn', await fitDbn(data, dbn, onPass));
  }
  return { models: names.map((n) => fitted.get(n) as FittedClickModel), trainLists };
}

/** DBN EM: one streamed pass over the training lists per iteration. */
async function fitDbn(data: ClickDataSet, dbn: DbnFitter, onPass: FitProgress): Promise<FittedClickModel> {
  let isDone = dbn.endPass();
  for (let pass = 2; !isDone; pass++) {
    let lists = 0;
    for await (const batch of data.lists('train')) {
      for (const l of batch) dbn.add(l);
      lists += batch.length;
    }
    isDone = dbn.endPass();
    onPass({ model: 'dbn', pass, lists });
  }
  return dbn.model();
}

function modelReport(m: FittedClickModel, data: ClickDataSet, spec: ClickModelSpec): ModelReport {
  const min = spec.minImpressions ?? 1;
  const all = m
    .items()
    .filter((x) => x.impressions >= min)
    .sort((a, b) => b.impressions - a.impressions);
  const items = all.slice(0, spec.itemLimit ?? 50).map(({ item, ...rest }) => ({
    itemId: data.items[item]?.id ?? String(item),
    ...rest,
  }));
  return {
    model: m.model,
    iterations: m.iterations,
    isConverged: m.isConverged,
    trainLogLikelihood: m.trainLogLikelihood,
    ...(m.continuation === undefined ? {} : { continuation: m.continuation }),
    positions: m.positions(),
    items,
    itemCount: all.length,
  };
}

/**
 * Fits PBM, cascade and DBN (or the ones asked) on the training lists of the spec's impressions
 * and compares them on the held-out lists. Lists are streamed from the store in batches for
 * every pass; only per-item and per-position sums are kept.
 */
export async function fitClickModels(
  wh: Warehouse,
  projectId: string,
  spec: ClickModelSpec,
  options: QueryOptions & { readonly onPass?: FitProgress } = {},
): Promise<ClickModelReport> {
  const data = await openClickData(wh, projectId, spec, options);
  const { models, trainLists } = await fitModels(data, spec, options.onPass);
  const evaluator = new HeldOutEvaluator(models);
  let testLists = 0;
  if (data.testFraction > 0) {
    for await (const batch of data.lists('test')) {
      for (const l of batch) evaluator.add(l);
      testLists += batch.length;
    }
  }
  const comparison =
    testLists > 0
      ? evaluator
          .results()
          .map((r, i) => ({ model: (models[i] as FittedClickModel).model, ...r }))
          .sort((a, b) => b.logLikelihood - a.logLikelihood)
      : [];
  return {
    dateRange: data.dateRange,
    normalization: NORMALIZATION,
    data: {
      items: data.items.length,
      trainLists,
      testLists,
      testFraction: data.testFraction,
      clickJoin: await data.joinStats(),
    },
    models: models.map((m) => modelReport(m, data, spec)),
    comparison,
  };
}
