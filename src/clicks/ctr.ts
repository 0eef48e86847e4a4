import { type Estimate, fitPbm, type PbmModel, wilsonInterval } from '../models/index.js';
import {
  type ClickJoinStats,
  type CtrCounts,
  type CtrSpec,
  openClickData,
  type QueryOptions,
  queryCtrTable,
  type ResolvedDateRange,
} from '../query/index.js';
import type { Warehouse } from '../store/index.js';

/** A CTR with its Wilson 95% interval. */
export interface CtrCell {
  readonly impressions: number;
  /** Impressions with at least one matched click. */
  readonly clicked: number;
  /** Matched clicks (a double click on one impression counts twice here, once in `clicked`). */
  readonly clicks: number;
  readonly ctr: number | null;
  readonly ctrLow: number | null;
  readonly ctrHigh: number | null;
}

/** One group of a CTR table: its values by dimension, its CTR and, when asked, the debiased CTR. */
export interface CtrRow extends CtrCell {
  readonly group: Readonly<Record<string, string | number | null>>;
  /** PBM attractiveness of the row's item: its CTR had it been shown at position 1. */
  readonly debiasedCtr?: Estimate | null;
}

/** The result of a `ctr` insight (README, "Click-through analytics"). */
export interface CtrResult {
  readonly kind: 'ctr';
  readonly dateRange: ResolvedDateRange;
  readonly timeZone: string;
  readonly conventions: Readonly<Record<string, string | number>>;
  readonly by: readonly string[];
  readonly totals: CtrCell;
  readonly rows: readonly CtrRow[];
  readonly groups: number;
  readonly isTruncated: boolean;
  readonly clickJoin: ClickJoinStats & { readonly unmatched: number };
  readonly clickModel?: {
    readonly model: 'pbm';
    readonly normalization: string;
    readonly iterations: number;
    readonly examination: readonly {
      readonly position: number;
      readonly impressions: number;
      readonly value: number;
      readonly low: number;
      readonly high: number;
    }[];
  };
}

function cell(c: CtrCounts): CtrCell {
  if (c.impressions === 0)
    return { impressions: 0, clicked: 0, clicks: c.clicks, ctr: null, ctrLow: null, ctrHigh: null };
  const w = wilsonInterval(c.clicked, c.impressions);
  return {
    impressions: c.impressions,
    clicked: c.clicked,
    clicks: c.clicks,
    ctr: c.clicked / c.impressions,
    ctrLow: w.low,
    ctrHigh: w.high,
  };
}

/** Time and position read in their own order; everything else stays ordered by impressions. */
function ordered(rows: CtrRow[], by: readonly string[]): CtrRow[] {
  const first = by[0] ?? '';
  if (first !== 'position' && !first.startsWith('interval:')) return rows;
  const key = (r: CtrRow) => r.group[first] ?? '';
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

async function debiasModel(wh: Warehouse, projectId: string, spec: CtrSpec, options: QueryOptions) {
  const { dateRange, where, conventions, maxPosition } = spec;
  const data = await openClickData(
    wh,
    projectId,
    { dateRange, where, conventions, maxPosition, testFraction: 0 },
    options,
  );
  const model = fitPbm(await data.cells('all'));
  const byId = new Map<string, Estimate>();
  for (const x of model.items()) {
    const id = data.items[x.item]?.id;
    if (id !== undefined) byId.set(id, x.attractiveness);
  }
  return { model, byId };
}

function examinationOf(model: PbmModel): NonNullable<CtrResult['clickModel']>['examination'] {
  return model
    .positions()
    .map((p) => ({ position: p.position, impressions: p.impressions, ...p.examination }));
}

/**
 * The `ctr` insight: CTR per group with Wilson 95% intervals, the click join report, and with
 * `debias` the position-debiased CTR per item from a PBM fitted on the same impressions.
 */
export async function runCtrQuery(
  wh: Warehouse,
  projectId: string,
  spec: CtrSpec,
  options: QueryOptions = {},
): Promise<CtrResult> {
  const table = await queryCtrTable(wh, projectId, spec, options);
  const debias = spec.debias ? await debiasModel(wh, projectId, spec, options) : null;
  const itemAt = table.dimensions.indexOf('item');
  const rows = table.rows.map((r) => {
    const group = Object.fromEntries(table.dimensions.map((d, i) => [d, r.values[i] ?? null]));
    const row: CtrRow = { group, ...cell(r) };
    if (!debias) return row;
    const id = itemAt >= 0 ? r.values[itemAt] : undefined;
    return { ...row, debiasedCtr: typeof id === 'string' ? (debias.byId.get(id) ?? null) : null };
  });
  const { clickJoin } = table;
  return {
    kind: 'ctr',
    dateRange: table.dateRange,
    timeZone: table.timeZone,
    conventions: table.conventions,
    by: table.dimensions,
    totals: cell(table.totals),
    rows: ordered(rows, table.dimensions),
    groups: table.groups,
    isTruncated: table.groups > rows.length,
    clickJoin: { ...clickJoin, unmatched: clickJoin.total - clickJoin.matched },
    ...(debias
      ? {
          clickModel: {
            model: 'pbm' as const,
            normalization: 'examination at position 1 = 1',
            iterations: debias.model.iterations,
            examination: examinationOf(debias.model),
          },
        }
      : {}),
  };
}
