import { nowUs as clockUs, PathwiseError } from '../../core/index.js';
import type { Row, Warehouse } from '../../store/index.js';
import type { ClickSource, ListSplit } from '../plan/click-nodes.js';
import {
  clickSource,
  listSplit,
  planClickCells,
  planClickItems,
  planClickLists,
  planClickMatch,
  planCtrTable,
} from '../plan/clicks.js';
import type { PlanNode } from '../plan/nodes.js';
import {
  CLICK_DEFAULTS,
  type ClickConventions,
  type ClickDataSpec,
  type CtrDimension,
  type CtrSpec,
} from '../spec/clicks.js';
import { dateRangeOf, num, type ResolvedDateRange, type RunContext, runPlan } from './context.js';
import { createRunContext, type QueryOptions } from './query.js';

/** How the clicks in range joined their impressions (README, "Click-through analytics"). */
export interface ClickJoinStats {
  readonly total: number;
  readonly matched: number;
  /** The latest impression of the same person, list and item was more than the window earlier. */
  readonly outsideWindow: number;
  /** No impression of the same person, list and item at or before the click. */
  readonly noImpression: number;
  /** The click has no item_id, or neither request_id nor list_id (as joinBy needs). */
  readonly missingKey: number;
}

/** Counts of one CTR group: impressions, impressions with at least one matched click, matched clicks. */
export interface CtrCounts {
  readonly values: readonly (string | number | null)[];
  readonly impressions: number;
  readonly clicked: number;
  readonly clicks: number;
}

/** A CTR table as counts; `clicks` in the analyses' sense are added by the caller. */
export interface CtrTable {
  readonly dateRange: ResolvedDateRange;
  readonly timeZone: string;
  readonly conventions: Required<ClickConventions>;
  readonly dimensions: readonly string[];
  readonly totals: CtrCounts;
  readonly rows: readonly CtrCounts[];
  /** Groups with at least minImpressions impressions (rows holds the top `limit` of them). */
  readonly groups: number;
  readonly clickJoin: ClickJoinStats;
}

function dimensionLabel(d: CtrDimension): string {
  if (typeof d === 'string') return d;
  const [key, value] = Object.entries(d)[0] as [string, string];
  return `${key}:${value}`;
}

function counts(r: Row, dims: number): CtrCounts {
  return {
    values: Array.from({ length: dims }, (_, i) => (r[`d${i}`] ?? null) as string | number | null),
    impressions: num(r.impressions) ?? 0,
    clicked: num(r.clicked) ?? 0,
    clicks: num(r.clicks) ?? 0,
  };
}

async function joinStats(ctx: RunContext, source: ClickSource): Promise<ClickJoinStats> {
  const rows = await runPlan(ctx, planClickMatch(source));
  const by = new Map(rows.map((r) => [String(r.status), num(r.clicks) ?? 0]));
  const matched = by.get('matched') ?? 0;
  const outsideWindow = by.get('outside_window') ?? 0;
  const noImpression = by.get('no_impression') ?? 0;
  const missingKey = by.get('missing_key') ?? 0;
  return {
    total: matched + outsideWindow + noImpression + missingKey,
    matched,
    outsideWindow,
    noImpression,
    missingKey,
  };
}

/** Runs a CTR spec's table and the click join report. */
export async function queryCtrTable(
  wh: Warehouse,
  projectId: string,
  spec: CtrSpec,
  options: QueryOptions = {},
): Promise<CtrTable> {
  const ctx = await createRunContext(wh, projectId, spec.dateRange, options);
  const plan = planCtrTable(spec, ctx.plan);
  const rows = await runPlan(ctx, plan);
  const dims = plan.dims.length;
  const total = rows.find((r) => r.is_total === true);
  const groups = rows.filter((r) => r.is_total !== true).slice(0, plan.limit);
  return {
    dateRange: dateRangeOf(ctx.plan),
    timeZone: ctx.plan.timeZone,
    conventions: { ...CLICK_DEFAULTS, ...spec.conventions },
    dimensions: (spec.by ?? ['item']).map(dimensionLabel),
    totals: total ? counts(total, 0) : { values: [], impressions: 0, clicked: 0, clicks: 0 },
    rows: groups.map((r) => counts(r, dims)),
    groups: num(total?.groups) ?? 0,
    clickJoin: await joinStats(ctx, plan.source),
  };
}

/** An item of a click-model data set: its dense index, id and support over all lists. */
export interface ClickItem {
  readonly index: number;
  readonly id: string;
  readonly impressions: number;
  readonly clicks: number;
}

/** One list as the click models take it (src/models ClickList). */
export interface ClickListRow {
  readonly items: number[];
  readonly positions: number[];
  readonly clicks: boolean[];
}

/** Clicks and impressions of one item index at one position. */
export interface ClickCellRow {
  readonly item: number;
  readonly position: number;
  readonly impressions: number;
  readonly clicks: number;
}

/**
 * A list from its packed slots (emitClickLists): sorted by position, then item; a slot shown
 * again in the same list (same position and item) counts once, clicked if either was; of two
 * items at one position the first by index is kept.
 */
export function listRow(r: Row, SLOT: number): ClickListRow {
  const slots = (r.slots as number[]).map(Number).sort((a, b) => a - b);
  const items: number[] = [];
  const positions: number[] = [];
  const clicks: boolean[] = [];
  for (const v of slots) {
    const position = Math.floor(v / SLOT);
    const rest = v - position * SLOT;
    const item = Math.floor(rest / 2);
    const n = positions.length;
    if (n > 0 && positions[n - 1] === position) {
      if (items[n - 1] === item && rest % 2 === 1) clicks[n - 1] = true;
      continue;
    }
    items.push(item);
    positions.push(position);
    clicks.push(rest % 2 === 1);
  }
  return { items, positions, clicks };
}

/**
 * The impressions a click model reads, as a snapshot: rows inserted after it was opened are
 * ignored, so repeated passes (EM) see the same lists. Lists are split into train and test by
 * a hash of the list; `lists` streams batches and never holds the data set.
 */
export class ClickDataSet {
  constructor(
    private readonly ctx: RunContext,
    readonly source: ClickSource,
    readonly maxPosition: number,
    readonly testFraction: number,
    readonly items: readonly ClickItem[],
  ) {
    this.itemIds = items.map((i) => i.id);
  }

  private readonly itemIds: readonly string[];

  /** The resolved date range. */
  get dateRange(): ResolvedDateRange {
    return dateRangeOf(this.ctx.plan);
  }

  private split(part: ListSplit['part']): ListSplit {
    return listSplit(part, this.testFraction);
  }

  /** Per (item, position) counts of one side of the split (PBM's sufficient statistics). */
  async cells(part: ListSplit['part']): Promise<ClickCellRow[]> {
    const out: ClickCellRow[] = [];
    const plan = planClickCells(this.source, this.maxPosition, this.split(part), this.itemIds);
    for await (const batch of this.stream(plan)) {
      for (const r of batch)
        out.push({
          item: num(r.item) ?? 0,
          position: num(r.position) ?? 0,
          impressions: num(r.impressions) ?? 0,
          clicks: num(r.clicks) ?? 0,
        });
    }
    // The engine returns groups in any order; a fixed order makes fits reproducible to the bit.
    return out.sort((a, b) => a.item - b.item || a.position - b.position);
  }

  /** The lists of one side of the split, in batches. */
  async *lists(part: ListSplit['part']): AsyncIterable<ClickListRow[]> {
    const plan = planClickLists(this.source, this.maxPosition, this.split(part), this.itemIds);
    for await (const batch of this.stream(plan)) yield batch.map((r) => listRow(r, plan.slotBase));
  }

  /** How the clicks in range joined. */
  joinStats(): Promise<ClickJoinStats> {
    return joinStats(this.ctx, this.source);
  }

  private async *stream(node: PlanNode): AsyncIterable<Row[]> {
    try {
      yield* this.ctx.wh.stream(this.ctx.dialect.emit(node));
    } catch (err) {
      if (err instanceof PathwiseError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new PathwiseError('PW_QUERY_FAILED', { reason }, { cause: err });
    }
  }
}

/** Opens a click-model data set: resolves range and conventions, snapshots, reads the item dictionary. */
export async function openClickData(
  wh: Warehouse,
  projectId: string,
  spec: ClickDataSpec,
  options: QueryOptions = {},
): Promise<ClickDataSet> {
  const ctx = await createRunContext(wh, projectId, spec.dateRange, options);
  const source = clickSource(ctx.plan, spec.conventions, spec.where, clockUs());
  const maxPosition = spec.maxPosition ?? 20;
  const rows = await runPlan(ctx, planClickItems(source, maxPosition));
  const items = rows.map((r, index) => ({
    index,
    id: String(r.item_id),
    impressions: num(r.impressions) ?? 0,
    clicks: num(r.clicks) ?? 0,
  }));
  return new ClickDataSet(ctx, source, maxPosition, spec.testFraction ?? 0.2, items);
}
