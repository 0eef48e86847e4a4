import {
  type FunnelDiagnosisSource,
  openFunnelDiagnosis,
  type QueryStore,
  type SegmentAtStep,
  type SegmentBy,
  type SegmentCounts,
  type StepCount,
} from '../query/index.js';
import { correlate } from './correlations.js';
import { comparePeriods } from './periods.js';
import type { DiagnosisResult } from './result.js';
import {
  explain,
  explainer,
  findings,
  intersection,
  roots,
  type TestedSegment,
  testSegments,
  untangleNested,
} from './segments.js';
import type { Labels } from './shared.js';
import type { DiagnoseSpec } from './spec.js';
import { summarize } from './summary.js';
import { sinceOf, timelineOf } from './timing.js';

/** The dimensions every diagnosis segments by, unless `defaultDimensions` is false. */
export const DEFAULT_DIMENSIONS: readonly SegmentBy[] = [
  { column: 'device_type' },
  { column: 'browser' },
  { column: 'os' },
  { column: 'country' },
  { visit: 'channel' },
  { visit: 'user_type' },
  { column: 'app_version' },
];

/** The defaults of a diagnosis spec (README, "Funnel diagnostics"). */
export const DIAGNOSE_DEFAULTS = {
  fdr: 0.05,
  minSegmentSize: 100,
  topValues: 20,
  maxHorizonSec: 86_400,
  lookbackSec: 1800,
  correlationMinUnits: 30,
  maxFeaturesPerStep: 200,
  power: 0.8,
  /** The top segments that are untangled by their overlaps and dated (daily series in one query). */
  overlapCandidates: 8,
  maxFindings: 50,
  /** A finding's start is the largest drop significant at this level. */
  sinceAlpha: 0.05,
} as const;

/** Options of runDiagnosis; `nowUs` pins "now" for relative ranges (tests). */
export interface DiagnoseOptions {
  readonly nowUs?: number;
}

/** A spec with its defaults filled in. */
function settingsOf(spec: DiagnoseSpec) {
  const d = DIAGNOSE_DEFAULTS;
  const c = spec.correlation ?? {};
  return {
    ...dimensionsOf(spec),
    fdr: spec.fdr ?? d.fdr,
    horizonSec: spec.horizonSec ?? Math.min(spec.funnel.windowSec ?? 14 * 86_400, d.maxHorizonSec),
    isPairs: spec.pairs ?? true,
    minSegmentSize: spec.minSegmentSize ?? d.minSegmentSize,
    topValues: spec.topValues ?? d.topValues,
    features: {
      properties: c.properties ?? [],
      lookbackSec: c.lookbackSec ?? d.lookbackSec,
      minUnits: c.minUnits ?? d.correlationMinUnits,
      maxFeatures: d.maxFeaturesPerStep,
    },
  };
}

/** How a dimension is named in results: `os`, `plan` (an event property), `person.plan`, `session.utm_source`. */
function dimensionName(d: SegmentBy, taken: readonly string[]): string {
  if ('visit' in d) return d.visit;
  if ('column' in d) return d.column;
  if ('property' in d) return taken.includes(d.property) ? `properties.${d.property}` : d.property;
  if ('personTrait' in d) return `person.${d.personTrait}`;
  if ('person' in d) return `person.${d.person}`;
  return `session.${d.session}`;
}

function dimensionsOf(spec: DiagnoseSpec): { dims: SegmentBy[]; names: string[] } {
  const dims: SegmentBy[] = [];
  const names: string[] = [];
  const all = [...(spec.defaultDimensions === false ? [] : DEFAULT_DIMENSIONS), ...(spec.dimensions ?? [])];
  for (const d of all) {
    const name = dimensionName(d, names);
    if (names.includes(name)) continue;
    dims.push(d);
    names.push(name);
  }
  return { dims, names };
}

/**
 * The funnel's step counts from the segment totals: step 1 is everyone at step 0, step k+1 those
 * at step k who went on within the window — the funnel insight's own numbers.
 */
function funnelSteps(spec: DiagnoseSpec, rows: readonly SegmentCounts[]): DiagnosisResult['funnel'] {
  const totals = new Map(rows.filter((r) => r.conditions.length === 0).map((r) => [r.step, r.window]));
  const counts = spec.funnel.steps.map((_, i) =>
    i === 0 ? (totals.get(0)?.n ?? 0) : (totals.get(i - 1)?.c ?? 0),
  );
  return spec.funnel.steps.map((step, i) => {
    const count = counts[i] ?? 0;
    const prev = i === 0 ? count : (counts[i - 1] ?? 0);
    return {
      index: i + 1,
      event: step.event,
      label: step.label ?? step.event,
      count,
      conversionFromPrevious: prev === 0 ? null : count / prev,
      dropOff: prev - count,
      dropOffRate: i === 0 ? 0 : prev === 0 ? null : (prev - count) / prev,
    };
  });
}

function biggestDrop(funnel: DiagnosisResult['funnel']): DiagnosisResult['biggestDrop'] {
  const moves = funnel.slice(1).map((s, i) => ({
    step: s.index,
    fromEvent: funnel[i]?.label ?? '',
    toEvent: s.label,
    lost: s.dropOff,
    rate: s.dropOffRate,
  }));
  if (moves.length === 0 || (funnel[0]?.count ?? 0) === 0) return null;
  const byPeople = moves.reduce((a, b) => (b.lost > a.lost ? b : a));
  const byRate = moves.reduce((a, b) => ((b.rate ?? 0) > (a.rate ?? 0) ? b : a));
  return { byPeople, byRate };
}

const sumDays = (days: readonly { n: number; c: number }[]): StepCount =>
  days.reduce((a, d) => ({ n: a.n + d.n, c: a.c + d.c }), { n: 0, c: 0 });

/** Pairs of top segments at one step that overlap without being nested, and their intersections. */
function overlaps(top: readonly TestedSegment[]) {
  const out: { x: TestedSegment; y: TestedSegment; at: SegmentAtStep }[] = [];
  top.forEach((x, i) => {
    for (const y of top.slice(i + 1)) {
      if (x.row.step !== y.row.step) continue;
      const conditions = intersection(x.row.conditions, y.row.conditions);
      if (conditions) out.push({ x, y, at: { step: x.row.step, conditions } });
    }
  });
  return out;
}

/**
 * Tests and untangles segments: nested ones from their counts, then the top ones by their
 * intersections (counted in the same query that gives their daily series), and dates the
 * shortfall of each remaining top one.
 */
async function segmentFindings(
  source: FunnelDiagnosisSource,
  rows: readonly SegmentCounts[],
  labels: Labels,
  fdr: number,
) {
  const tested = testSegments(rows, fdr);
  const totals = new Map(rows.filter((r) => r.conditions.length === 0).map((r) => [r.step, r.horizon]));
  untangleNested(tested, totals);
  const top = roots(tested).slice(0, DIAGNOSE_DEFAULTS.overlapCandidates);
  const pairs = overlaps(top);
  const series = await source.series([
    ...top.map((t) => ({ step: t.row.step, conditions: t.row.conditions })),
    ...pairs.map((p) => p.at),
  ]);
  pairs.forEach((p, i) => {
    const total = totals.get(p.x.row.step);
    const inter = sumDays(series.segments[top.length + i] ?? []);
    if (!total || inter.n === 0) return;
    const by = explainer(p.x, p.y, inter, total);
    if (by === p.x) explain(p.y, p.x);
    else if (by === p.y) explain(p.x, p.y);
  });
  const daysOf = new Map(top.map((t, i) => [t.key, series.segments[i] ?? []]));
  const found = findings(tested, labels).slice(0, DIAGNOSE_DEFAULTS.maxFindings);
  const segments = found.map((f) => {
    const days = daysOf.get(f.key);
    const step = series.overall[f.stepIndex] ?? [];
    return days ? { ...f.finding, since: sinceOf(days, step, DIAGNOSE_DEFAULTS.sinceAlpha) } : f.finding;
  });
  return { segments, tested: tested.length, overall: series.overall };
}

/**
 * Diagnoses a funnel (README, "Funnel diagnostics"): the biggest drop; segments that convert
 * worse than the rest at a step, untangled and ranked by people lost, with the day their
 * shortfall began; changes in each step's daily conversion; before/after a date; events and
 * property values that change the odds of converting; and a plain-language summary with a
 * hypothesis and an A/B test sized to check it. The heavy work runs in the store (query).
 */
export async function runDiagnosis(
  wh: QueryStore,
  projectId: string,
  spec: DiagnoseSpec,
  options: DiagnoseOptions = {},
): Promise<DiagnosisResult> {
  const s = settingsOf(spec);
  const source = await openFunnelDiagnosis(wh, projectId, spec.funnel, {
    dimensions: s.dims,
    horizonSec: s.horizonSec,
    ...(options.nowUs === undefined ? {} : { nowUs: options.nowUs }),
  });
  const labels: Labels = { dimensions: s.names, steps: spec.funnel.steps.map((x) => x.label ?? x.event) };
  const splitUs = spec.compareAt === undefined ? null : source.instantUs(spec.compareAt, 'compareAt');
  const counts = await source.segments({
    isPairs: s.isPairs,
    minUnits: s.minSegmentSize,
    topValues: s.topValues,
    splitUs,
    features: s.features,
  });
  const rows = counts.segments;
  const funnel = funnelSteps(spec, rows);
  const seg = await segmentFindings(source, rows, labels, s.fdr);
  const corr = counts.features
    ? correlate(counts.features.totals, counts.features.features, labels, s.fdr)
    : { correlations: [], tested: 0 };
  const periods = splitUs === null ? null : comparePeriods(rows, labels, s.fdr);
  const iso = (us: number) => new Date(us / 1000).toISOString();
  const body: Omit<DiagnosisResult, 'summary'> = {
    kind: 'diagnosis',
    dateRange: source.dateRange,
    timeZone: source.dateRange.timeZone,
    settings: {
      dimensions: s.names,
      isPairs: s.isPairs,
      fdr: s.fdr,
      minSegmentSize: s.minSegmentSize,
      topValues: s.topValues,
      horizonSec: s.horizonSec,
      matureUntil: iso(source.matureUntilUs),
      compareAt: splitUs === null ? null : iso(splitUs),
      lookbackSec: s.features.lookbackSec,
    },
    funnel,
    biggestDrop: biggestDrop(funnel),
    tested: { segments: seg.tested, periods: periods?.tested ?? 0, correlations: corr.tested },
    segments: seg.segments,
    periods: periods && { at: iso(splitUs ?? 0), steps: periods.steps, segments: periods.segments },
    timeline: timelineOf(seg.overall, labels, s.fdr / Math.max(1, labels.steps.length - 1)),
    correlations: corr.correlations,
  };
  return { ...body, summary: summarize(body, spec.power ?? DIAGNOSE_DEFAULTS.power) };
}
