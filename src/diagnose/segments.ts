import { OTHER_VALUE, type SegmentCondition, type SegmentCounts, type StepCount } from '../query/index.js';
import { benjaminiHochberg, type ComparisonResult, twoProportionZTest } from '../stats/index.js';
import type { SegmentFinding } from './result.js';
import { type Labels, minus, rateOf, segmentLabel, stepRef } from './shared.js';

/** A segment at a step, tested against everyone else at that step. */
export interface TestedSegment {
  readonly row: SegmentCounts;
  readonly key: string;
  readonly rest: StepCount;
  readonly test: ComparisonResult;
  readonly peopleLost: number;
  adjustedPValue: number;
  isFlagged: boolean;
  aliases: (readonly SegmentCondition[])[];
  explainedBy: TestedSegment | null;
}

/** Below this unadjusted p-value a remainder "still differs" when flagged segments are untangled. */
const UNTANGLE_ALPHA = 0.05;

function keyOf(row: SegmentCounts): string {
  return `${row.step}|${row.conditions.map((c) => `${c.dimension}=${c.value ?? '\u0000'}`).join('&')}`;
}

const sameUnits = (a: SegmentCounts, b: SegmentCounts) =>
  a.horizon.n === b.horizon.n && a.window.n === b.window.n && a.horizon.c === b.horizon.c;

/** Singles by key, and for each pair the single it equals, if any (a pair inside a single with as many units is the same units). */
function aliasOf(row: SegmentCounts, singles: ReadonlyMap<string, SegmentCounts>): SegmentCounts | null {
  if (row.conditions.length < 2) return null;
  for (const c of row.conditions) {
    const single = singles.get(keyOf({ ...row, conditions: [c] }));
    if (single && sameUnits(single, row)) return single;
  }
  return null;
}

/**
 * Tests every segment (a value of a dimension, or of a pair of dimensions) at every step
 * against the rest of that step's entrants: two-proportion z-test, one-sided (the segment
 * converts worse; pooled error, src/stats), Benjamini–Hochberg across all of them at `fdr`.
 * Segments holding `$other` (values past the top N) or nobody else are not tested; a pair
 * with the same units as one of its values is reported as that value's alias, not tested twice.
 */
export function testSegments(rows: readonly SegmentCounts[], fdr: number): TestedSegment[] {
  const totals = new Map(rows.filter((r) => r.conditions.length === 0).map((r) => [r.step, r.horizon]));
  const singles = new Map(rows.filter((r) => r.conditions.length === 1).map((r) => [keyOf(r), r]));
  const tested: TestedSegment[] = [];
  const aliases: [SegmentCounts, SegmentCounts][] = [];
  for (const row of rows) {
    const total = totals.get(row.step);
    if (!total || row.conditions.length === 0) continue;
    if (row.conditions.some((c) => c.value === OTHER_VALUE)) continue;
    const rest = minus(total, row.horizon);
    if (row.horizon.n === 0 || rest.n === 0) continue;
    const same = aliasOf(row, singles);
    if (same) {
      aliases.push([same, row]);
      continue;
    }
    const test = twoProportionZTest(
      { conversions: rest.c, n: rest.n },
      { conversions: row.horizon.c, n: row.horizon.n },
      { alternative: 'less' },
    );
    const peopleLost = (rateOf(rest) - rateOf(row.horizon)) * row.horizon.n;
    tested.push({
      row,
      key: keyOf(row),
      rest,
      test,
      peopleLost,
      adjustedPValue: 1,
      isFlagged: false,
      aliases: [],
      explainedBy: null,
    });
  }
  if (tested.length === 0) return tested;
  const bh = benjaminiHochberg(
    tested.map((t) => t.test.pValue),
    fdr,
  );
  tested.forEach((t, i) => {
    t.adjustedPValue = bh.adjusted[i] ?? 1;
    t.isFlagged = bh.isRejected[i] ?? false;
  });
  const byKey = new Map(tested.map((t) => [t.key, t]));
  for (const [primary, alias] of aliases) byKey.get(keyOf(primary))?.aliases.push(alias.conditions);
  return tested;
}

function pValue(control: StepCount, variant: StepCount, alternative: 'less' | 'two-sided'): number {
  if (control.n === 0 || variant.n === 0) return 1;
  return twoProportionZTest(
    { conversions: control.c, n: control.n },
    { conversions: variant.c, n: variant.n },
    { alternative },
  ).pValue;
}

/**
 * Whether one of two flagged, overlapping segments X and Y (at one step, intersection I)
 * accounts for the other's shortfall. Each one's part outside the other is tested against the
 * units outside both (one-sided, unadjusted): a part that does not convert worse is "fine".
 * - only Y \ I is fine: X explains Y (Y is short only where it overlaps X), and vice versa;
 * - neither: two separate shortfalls, both stay;
 * - both: the shortfall sits in I. The segment with the lower rate (S, closer to I) explains
 *   the other (G) only when S converts significantly worse than G \ I — the concentration is
 *   real (`os = Android, app_version = 2.1` explains `os = Android`); otherwise the broader G
 *   explains S (`country = NL` explains `country = NL, user_type = new` when new and returning
 *   Dutch visitors convert alike).
 */
export function explainer(
  x: TestedSegment,
  y: TestedSegment,
  inter: StepCount,
  total: StepCount,
): TestedSegment | 'both' {
  const outside = minus(minus(total, x.row.horizon), minus(y.row.horizon, inter));
  const isFine = (part: StepCount) => part.n === 0 || pValue(outside, part, 'less') > UNTANGLE_ALPHA;
  const xFine = isFine(minus(x.row.horizon, inter));
  const yFine = isFine(minus(y.row.horizon, inter));
  if (yFine && !xFine) return x;
  if (xFine && !yFine) return y;
  if (!xFine && !yFine) return 'both';
  const [specific, general] = rateOf(x.row.horizon) <= rateOf(y.row.horizon) ? [x, y] : [y, x];
  const generalRest = minus(general.row.horizon, inter);
  if (generalRest.n === 0) return general;
  return pValue(generalRest, specific.row.horizon, 'less') <= UNTANGLE_ALPHA ? specific : general;
}

/** Records that `by` explains `t`, unless that would close a loop; the bigger explainer wins. */
export function explain(t: TestedSegment, by: TestedSegment): void {
  if (rootOf(by) === t) return;
  if (!t.explainedBy || by.peopleLost > t.explainedBy.peopleLost) t.explainedBy = by;
}

/**
 * Untangles flagged segments nested through a shared value: a flagged pair P = a ∧ b inside a
 * flagged value A ∈ {a, b} (their intersection is P itself, so no query is needed).
 */
export function untangleNested(
  tested: readonly TestedSegment[],
  totals: ReadonlyMap<number, StepCount>,
): void {
  const flagged = new Map(tested.filter((t) => t.isFlagged).map((t) => [t.key, t]));
  for (const pair of flagged.values()) {
    const total = totals.get(pair.row.step);
    if (pair.row.conditions.length !== 2 || !total) continue;
    for (const c of pair.row.conditions) {
      const parent = flagged.get(keyOf({ ...pair.row, conditions: [c] }));
      if (!parent) continue;
      const by = explainer(parent, pair, pair.row.horizon, total);
      if (by === parent) explain(pair, parent);
      else if (by === pair) explain(parent, pair);
    }
  }
}

/** Flagged segments that no other one explains, by people lost. */
export function roots(tested: readonly TestedSegment[]): TestedSegment[] {
  return tested.filter((t) => t.isFlagged && rootOf(t) === t).sort((a, b) => b.peopleLost - a.peopleLost);
}

/** The conditions of X ∧ Y, or null when they contradict (one dimension, two values: disjoint). */
export function intersection(
  x: readonly SegmentCondition[],
  y: readonly SegmentCondition[],
): SegmentCondition[] | null {
  const out = [...x];
  for (const c of y) {
    const same = out.find((o) => o.dimension === c.dimension);
    if (same && same.value !== c.value) return null;
    if (!same) out.push(c);
  }
  return out.sort((a, b) => a.dimension - b.dimension);
}

/** The segment at the end of a chain of explanations (a cycle ends where it closes). */
export function rootOf(t: TestedSegment): TestedSegment {
  const seen = new Set<TestedSegment>([t]);
  let at = t;
  while (at.explainedBy && !seen.has(at.explainedBy)) {
    at = at.explainedBy;
    seen.add(at);
  }
  return at;
}

/** A finding and the segment it is about (dimension indexes, for the series query). */
export interface Found {
  readonly key: string;
  readonly finding: SegmentFinding;
  readonly stepIndex: number;
  readonly conditions: readonly SegmentCondition[];
}

/** Flagged segments no other one explains, with what they explain, ranked by people lost. */
export function findings(tested: readonly TestedSegment[], labels: Labels): Found[] {
  const flagged = tested.filter((t) => t.isFlagged);
  const explained = new Map<TestedSegment, TestedSegment[]>();
  for (const t of flagged) {
    const root = rootOf(t);
    if (root !== t) explained.set(root, [...(explained.get(root) ?? []), t]);
  }
  return roots(tested)
    .map((t) => ({
      key: t.key,
      finding: finding(
        t,
        labels,
        (explained.get(t) ?? []).map((e) => segmentLabel(e.row.conditions, labels)),
      ),
      stepIndex: t.row.step,
      conditions: t.row.conditions,
    }))
    .sort((a, b) => b.finding.peopleLost - a.finding.peopleLost);
}

function finding(t: TestedSegment, labels: Labels, explains: string[]): SegmentFinding {
  const rate = rateOf(t.row.horizon);
  const restRate = rateOf(t.rest);
  return {
    ...stepRef(t.row.step, labels),
    segment: t.row.conditions.map((c) => ({
      dimension: labels.dimensions[c.dimension] ?? '?',
      value: c.value,
    })),
    label: segmentLabel(t.row.conditions, labels),
    entrants: t.row.horizon.n,
    converted: t.row.horizon.c,
    rate,
    restEntrants: t.rest.n,
    restRate,
    rateRatio: rate > 0 ? restRate / rate : null,
    peopleLost: t.peopleLost,
    pValue: t.test.pValue,
    adjustedPValue: t.adjustedPValue,
    aliases: t.aliases.map((conditions) => segmentLabel(conditions, labels)),
    explains,
    since: null,
  };
}
