import { PathwiseError } from '../../core/index.js';
import { CLICK_DEFAULTS, type ClickConventions, type CtrDimension, type CtrSpec } from '../spec/clicks.js';
import type { PropertyFilter } from '../spec/filter.js';
import type {
  ClickCellsPlan,
  ClickItemsPlan,
  ClickListsPlan,
  ClickMatchPlan,
  ClickSource,
  CtrDim,
  CtrTablePlan,
  ListSplit,
} from './click-nodes.js';
import { fieldOf, filterExpr } from './filters.js';
import type { PlanContext } from './planner.js';

/** The click source of a spec: its conventions with defaults, its filters, an optional snapshot instant. */
export function clickSource(
  ctx: PlanContext,
  conventions: ClickConventions | undefined,
  where: PropertyFilter | undefined,
  asOfUs: number | null = null,
): ClickSource {
  const c = { ...CLICK_DEFAULTS, ...conventions };
  if (c.impressionEvent === c.clickEvent)
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: 'impression and click events must differ' });
  return {
    scope: { projectId: ctx.projectId, fromUs: ctx.fromUs, toUs: ctx.toUs, timeZone: ctx.timeZone },
    impressionEvent: c.impressionEvent,
    clickEvent: c.clickEvent,
    windowUs: c.clickWindowSec * 1_000_000,
    joinBy: c.joinBy,
    where: where ? filterExpr(where) : null,
    asOfUs,
  };
}

function dimOf(d: CtrDimension): CtrDim {
  if (d === 'item' || d === 'position') return { kind: d };
  if (d === 'list') return { kind: 'itemProp', name: 'list_id' };
  if (d === 'item_category') return { kind: 'itemProp', name: 'item_category' };
  if ('interval' in d) return { kind: 'time', interval: d.interval };
  if ('property' in d) return { kind: 'itemProp', name: d.property };
  return { kind: 'field', field: fieldOf(d) };
}

/** The CTR table of a spec (default: by item, at least one impression, the top 100 groups). */
export function planCtrTable(spec: CtrSpec, ctx: PlanContext): CtrTablePlan {
  return {
    kind: 'ctrTable',
    source: clickSource(ctx, spec.conventions, spec.where),
    dims: (spec.by ?? ['item']).map(dimOf),
    minImpressions: spec.minImpressions ?? 1,
    limit: spec.limit ?? 100,
  };
}

/** How clicks joined: over every impression, whatever the spec's filters (a report on the tracking itself). */
export function planClickMatch(source: ClickSource): ClickMatchPlan {
  return { kind: 'clickMatch', source: { ...source, where: null } };
}

/** The item dictionary of a click-model data set. */
export function planClickItems(source: ClickSource, maxPosition: number): ClickItemsPlan {
  return { kind: 'clickItems', source, maxPosition };
}

/** A train/test split by a hash of the list. */
export function listSplit(part: ListSplit['part'], testFraction: number): ListSplit {
  return { part, testPer10k: Math.round(testFraction * 10_000) };
}

/** Per (item, position) counts of one side of the split. */
export function planClickCells(
  source: ClickSource,
  maxPosition: number,
  split: ListSplit,
  itemIds: readonly string[],
): ClickCellsPlan {
  return { kind: 'clickCells', source, maxPosition, split, itemIds };
}

/** Items that fit the narrow (INTEGER) packing of list slots. */
const NARROW_ITEMS = 2 ** 22;

/** The lists of one side of the split, packed narrow when the item dictionary allows it. */
export function planClickLists(
  source: ClickSource,
  maxPosition: number,
  split: ListSplit,
  itemIds: readonly string[],
): ClickListsPlan {
  const slotBase = itemIds.length < NARROW_ITEMS ? 2 ** 23 : 2 ** 33;
  return { kind: 'clickLists', source, maxPosition, split, itemIds, slotBase };
}
