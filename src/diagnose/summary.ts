import { sampleSizeProportions } from '../stats/index.js';
import type { Correlation, DiagnosisResult, Experiment, SegmentFinding } from './result.js';

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const times = (x: number | null) => (x === null ? 'infinitely' : `${x.toFixed(1)}x`);

/** p-values as people read them. */
export function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** The numbers a finding is stated with: since its start when known, else over the range. */
function headline(f: SegmentFinding) {
  const s = f.since;
  if (!s) return { rate: f.rate, restRate: f.restRate, ratio: f.rateRatio, lost: f.peopleLost, since: '' };
  return {
    rate: s.rate,
    restRate: s.restRate ?? f.restRate,
    ratio: s.rateRatio,
    lost: s.peopleLost,
    since: ` since ${s.date}`,
  };
}

function findingLine(f: SegmentFinding): string {
  const h = headline(f);
  return (
    `${f.label} convert ${times(h.ratio)} worse at ${f.toEvent}${h.since} ` +
    `(${pct(h.rate)} vs ${pct(h.restRate)} for everyone else; ${int(h.lost)} people lost, ${pText(f.adjustedPValue)} after correction).`
  );
}

function correlationLine(c: Correlation): string {
  const what = c.property === null ? c.event : `${c.event} with ${c.property} = ${c.value ?? '(none)'}`;
  return (
    `People with ${what} before ${c.fromEvent} reach ${c.toEvent} with ${c.oddsRatio.toFixed(2)}x the odds ` +
    `(95% CI ${c.ciLower.toFixed(2)}–${c.ciUpper.toFixed(2)}; ${pct(c.withRate)} vs ${pct(c.withoutRate)}).`
  );
}

/**
 * The suggested A/B test for the top finding: the fix against the current experience within the
 * segment, sized (two-sided z-test, src/stats' classic formula, per arm) to detect half of the gap
 * to everyone else's rate — a fix that recovers only half is still worth knowing about.
 */
export function suggestExperiment(f: SegmentFinding, power: number, alpha = 0.05): Experiment | null {
  const h = headline(f);
  if (h.restRate === null || h.rate <= 0 || h.rate >= 1 || h.restRate <= h.rate) return null;
  const target = h.rate + (h.restRate - h.rate) / 2;
  const size = sampleSizeProportions({ baselineRate: h.rate, mde: target - h.rate, power, alpha });
  const perDay = f.since && f.since.days > 0 ? f.since.entrants / f.since.days : null;
  const days = perDay && perDay > 0 ? Math.ceil(size.total / perDay) : null;
  const text =
    `A/B test the fix for ${f.label} at ${f.toEvent}: ${int(size.nControl)} people per arm ` +
    `(${int(size.total)} in all) detect a rise from ${pct(h.rate)} to ${pct(target)} ` +
    `with ${Math.round(power * 100)}% power at α = ${alpha}` +
    (days === null ? '.' : `, about ${days} day${days === 1 ? '' : 's'} of this segment's traffic.`);
  return {
    step: f.step,
    fromEvent: f.fromEvent,
    toEvent: f.toEvent,
    segment: f.label,
    baselineRate: h.rate,
    targetRate: target,
    alpha,
    power,
    perArm: size.nControl,
    total: size.total,
    days,
    text,
  };
}

/** The plain-language summary: what the funnel loses, who loses most and since when, what correlates, and a testable hypothesis. */
export function summarize(d: Omit<DiagnosisResult, 'summary'>, power: number): DiagnosisResult['summary'] {
  const lines: string[] = [];
  const first = d.funnel[0];
  const last = d.funnel[d.funnel.length - 1];
  if (!first || !last || first.count === 0) {
    return { lines: ['Nobody entered the funnel in this range.'], hypothesis: null, experiment: null };
  }
  lines.push(
    `${int(first.count)} entered ${first.label}; ${int(last.count)} reached ${last.label} (${pct(last.count / first.count)}).`,
  );
  const drop = d.biggestDrop;
  if (drop) {
    const p = drop.byPeople;
    lines.push(`Biggest drop: ${p.fromEvent} → ${p.toEvent} loses ${int(p.lost)} people (${pct(p.rate)}).`);
    if (drop.byRate.step !== p.step)
      lines.push(
        `Highest drop-off rate: ${drop.byRate.fromEvent} → ${drop.byRate.toEvent} (${pct(drop.byRate.rate)}).`,
      );
  }
  for (const f of d.segments.slice(0, 3)) lines.push(findingLine(f));
  if (d.segments.length === 0)
    lines.push(
      `No segment converts significantly worse than the rest at any step (${d.tested.segments} comparisons, FDR ${d.settings.fdr}).`,
    );
  for (const s of d.periods?.steps.filter((x) => x.isSignificant) ?? [])
    lines.push(
      `Since ${d.periods?.at}: ${s.fromEvent} → ${s.toEvent} went from ${pct(s.before.rate)} to ${pct(s.after.rate)}.`,
    );
  for (const t of d.timeline)
    for (const c of t.changes)
      lines.push(
        `${t.fromEvent} → ${t.toEvent} changed from ${pct(c.beforeRate)} to ${pct(c.afterRate)} on ${c.day} (${pText(c.pValue)}).`,
      );
  for (const c of d.correlations.slice(0, 3)) lines.push(correlationLine(c));
  const top = d.segments[0];
  if (!top) return { lines, hypothesis: null, experiment: null };
  const h = headline(top);
  const hypothesis =
    `${top.toEvent} is failing for ${top.label}${h.since}: look at that step for that segment. ` +
    `If that is the cause, repairing it raises their ${top.fromEvent} → ${top.toEvent} conversion from ${pct(h.rate)} towards ${pct(h.restRate)}.`;
  const experiment = suggestExperiment(top, power);
  if (experiment) lines.push(experiment.text);
  return { lines, hypothesis, experiment };
}
