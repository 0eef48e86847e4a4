import { PathwiseError } from '../../core/index.js';
import type { Row, Warehouse } from '../../store/index.js';
import {
  DEFAULT_LOOKBACK_DAYS,
  planJourneyLabels,
  planJourneySource,
  planJourneys,
} from '../plan/journeys.js';
import type { ConversionSpec, JourneySpec, TouchpointSource } from '../spec/journeys.js';
import { dateRangeOf, type ResolvedDateRange, runPlan } from './context.js';
import { type JourneySet, JourneySetBuilder } from './journey-set.js';
import { createRunContext, type QueryOptions } from './query.js';

/** The label that stands for every label past `maxLabels`. */
export const OTHER_LABEL = '(other)';

const DEFAULT_MAX_LABELS = 20;
const DEFAULT_MAX_TOUCHES = 50;

/** Journeys of a range, packed, with what the packing left out. */
export interface JourneyExtract {
  readonly dateRange: ResolvedDateRange;
  readonly timeZone: string;
  readonly set: JourneySet;
  /** Conversions (and their value) in the range, including those without any touch. */
  readonly conversions: number;
  readonly conversionValue: number;
  /** Distinct labels seen, before those past `maxLabels` were merged into "(other)". */
  readonly distinctLabels: number;
  /** Journeys whose touches were cut to the most recent `maxTouches`. */
  readonly truncatedJourneys: number;
  /** The journey definition in effect, defaults filled in. */
  readonly settings: JourneySettings;
}

/** How journeys were cut (README, "Attribution"). */
export interface JourneySettings {
  readonly conversion: ConversionSpec;
  readonly touchpoints: readonly TouchpointSource[];
  readonly lookbackDays: number;
  readonly collapseRepeats: boolean;
  readonly maxLabels: number;
  readonly maxTouches: number;
}

/** The settings of a journey spec with the defaults applied. */
export function journeySettings(spec: JourneySpec): JourneySettings {
  return {
    conversion: spec.conversion,
    touchpoints: spec.touchpoints ?? [{ kind: 'session', attribute: 'channel' }],
    lookbackDays: spec.lookbackDays ?? DEFAULT_LOOKBACK_DAYS,
    collapseRepeats: spec.collapseRepeats ?? true,
    maxLabels: spec.maxLabels ?? DEFAULT_MAX_LABELS,
    maxTouches: spec.maxTouches ?? DEFAULT_MAX_TOUCHES,
  };
}

interface LabelSummary {
  readonly kept: string[];
  readonly distinct: number;
  readonly conversions: number;
  readonly value: number;
}

function summarize(rows: readonly Row[], maxLabels: number): LabelSummary {
  const labels = rows
    .filter((r) => r.label !== null)
    .map((r) => ({ label: String(r.label), n: Number(r.n) }))
    .sort((a, b) => b.n - a.n || (a.label < b.label ? -1 : 1));
  const conv = rows.find((r) => r.label === null);
  return {
    kept: labels.slice(0, maxLabels).map((l) => l.label),
    distinct: labels.length,
    conversions: Number(conv?.n ?? 0),
    value: Number(conv?.value ?? 0),
  };
}

/**
 * Keeps a non-converting journey's touches within the lookback before its last touch, drops
 * consecutive repeats (the first touch of a run stays) and keeps the newest `max`.
 */
function shape(
  codes: number[],
  secs: number[],
  isConverted: boolean,
  settings: JourneySettings,
): [number[], number[], boolean] {
  let c = codes;
  let s = secs;
  if (!isConverted) {
    const oldest = (s[s.length - 1] as number) + settings.lookbackDays * 86_400;
    const first = s.findIndex((x) => x <= oldest);
    c = c.slice(first);
    s = s.slice(first);
  }
  const max = settings.maxTouches;
  if (settings.collapseRepeats) {
    const codes0 = c;
    const secs0 = s;
    c = [];
    s = [];
    for (let i = 0; i < codes0.length; i++) {
      if (i > 0 && codes0[i] === codes0[i - 1]) continue;
      c.push(codes0[i] as number);
      s.push(secs0[i] as number);
    }
  }
  return c.length > max ? [c.slice(-max), s.slice(-max), true] : [c, s, false];
}

/**
 * Extracts journeys in SQL (README, "Attribution") and streams them into a packed JourneySet:
 * a dictionary statement first (labels by touch count), then one row per journey.
 */
export async function collectJourneys(
  wh: Warehouse,
  projectId: string,
  spec: JourneySpec,
  options: QueryOptions = {},
): Promise<JourneyExtract> {
  const ctx = await createRunContext(wh, projectId, spec.dateRange, options);
  if ((spec.touchpoints ?? []).filter((t) => t.kind === 'session').length > 1)
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: 'at most one session touchpoint source' });
  const source = planJourneySource(spec, ctx.plan);
  const settings = journeySettings(spec);
  const summary = summarize(await runPlan(ctx, planJourneyLabels(source)), settings.maxLabels);
  const labels = summary.distinct > summary.kept.length ? [...summary.kept, OTHER_LABEL] : summary.kept;
  const builder = new JourneySetBuilder();
  let truncated = 0;
  try {
    for await (const rows of wh.stream(ctx.dialect.emit(planJourneys(source, summary.kept)))) {
      for (const r of rows) {
        const isConverted = r.converted === true;
        const [codes, secs, isCut] = shape(r.codes as number[], r.secs as number[], isConverted, settings);
        if (isCut) truncated++;
        builder.add(codes, secs, isConverted, Number(r.value));
      }
    }
  } catch (err) {
    if (err instanceof PathwiseError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new PathwiseError('PW_QUERY_FAILED', { reason }, { cause: err });
  }
  return {
    dateRange: dateRangeOf(ctx.plan),
    timeZone: ctx.plan.timeZone,
    set: builder.build(labels),
    conversions: summary.conversions,
    conversionValue: summary.value,
    distinctLabels: summary.distinct,
    truncatedJourneys: truncated,
    settings,
  };
}
