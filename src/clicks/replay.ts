import { fitPbm, IpsReplay, type ReplayEstimate, rerankPositions } from '../models/index.js';
import { openClickData, type QueryOptions, type ResolvedDateRange } from '../query/index.js';
import type { Warehouse } from '../store/index.js';
import type { ReplaySpec } from './spec.js';

/** The replay of a re-ranking (README, "Click models": IPS replay). */
export interface ReplayReport extends ReplayEstimate {
  readonly dateRange: ResolvedDateRange;
  /** γ per position of the PBM the weights come from (position 1 = 1). */
  readonly examination: readonly { readonly position: number; readonly value: number }[];
  /** Shown items the scores do not mention (they keep their order, below the scored ones). */
  readonly unscoredImpressions: number;
}

/**
 * Replays the logged lists of a data set under a new ranking (items re-ordered by `scores`
 * within each list's shown positions) with inverse propensity weights from a PBM fitted on
 * the same lists: the expected clicks per list the new ranking would get.
 */
export async function replayRanking(
  wh: Warehouse,
  projectId: string,
  spec: ReplaySpec,
  options: QueryOptions = {},
): Promise<ReplayReport> {
  const { scores, maxWeight, ...dataSpec } = spec;
  const data = await openClickData(wh, projectId, { ...dataSpec, testFraction: 0 }, options);
  const pbm = fitPbm(await data.cells('all'));
  const byIndex = data.items.map((it) => scores[it.id]);
  const replay = new IpsReplay((k) => pbm.examination(k), maxWeight);
  let unscored = 0;
  for await (const batch of data.lists('all')) {
    for (const list of batch) {
      for (const item of list.items) if (byIndex[item] === undefined) unscored++;
      replay.add(
        list,
        rerankPositions(list, (i) => byIndex[i]),
      );
    }
  }
  return {
    dateRange: data.dateRange,
    ...replay.result(),
    examination: Array.from(pbm.gamma, (value, k) => ({ position: k + 1, value })),
    unscoredImpressions: unscored,
  };
}
