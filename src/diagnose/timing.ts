import type { DailyCount, StepCount } from '../query/index.js';
import { type BinomialDay, scanChangePoints } from './change-point.js';
import type { DiagnosisResult, Since } from './result.js';
import { type Labels, minus, rateOf, rateOrNull, stepRef } from './shared.js';

/**
 * A segment "appeared" on its first day with entrants when, at its later share of the step's
 * entrants, at least this many were expected on the days before (P(none | Poisson 10) < 5·10⁻⁵).
 */
const APPEARED_EXPECTED = 10;

function sum(days: readonly BinomialDay[]): StepCount {
  return days.reduce((a, d) => ({ n: a.n + d.n, c: a.c + d.c }), { n: 0, c: 0 });
}

/** The segment's counts on the step's days (zero when it had no entrants). */
function align(segment: readonly DailyCount[], days: readonly DailyCount[]): BinomialDay[] {
  const byDay = new Map(segment.map((d) => [d.day, d]));
  return days.map((d) => byDay.get(d.day) ?? { n: 0, c: 0 });
}

function appearedAt(seg: readonly BinomialDay[], all: readonly BinomialDay[]): number | null {
  const first = seg.findIndex((d) => d.n > 0);
  if (first <= 0) return null;
  const share = sum(seg).n / sum(all.slice(first)).n;
  return share * sum(all.slice(0, first)).n >= APPEARED_EXPECTED ? first : null;
}

/** The day its conversion dropped: the accepted change point with the largest likelihood ratio among drops. */
function droppedAt(seg: readonly BinomialDay[], alpha: number): { index: number; pValue: number } | null {
  const drops = scanChangePoints(seg, { alpha }).filter((c) => rateOf(c.after) < rateOf(c.before));
  const best = drops.sort((a, b) => b.llr - a.llr)[0];
  return best ? { index: best.index, pValue: best.pValue } : null;
}

/**
 * When a segment's shortfall began at its step, from its daily series and the step's: the day it
 * appeared (a new app version), else the start of its largest significant drop (change point),
 * else null (it converted worse all along). The numbers are for the days since then.
 */
export function sinceOf(
  segment: readonly DailyCount[],
  step: readonly DailyCount[],
  alpha: number,
): Since | null {
  const seg = align(segment, step);
  const all = step.map((d) => ({ n: d.n, c: d.c }));
  const appeared = appearedAt(seg, all);
  const dropped = appeared === null ? droppedAt(seg, alpha) : null;
  const index = appeared ?? dropped?.index ?? null;
  const day = index === null ? undefined : step[index];
  if (index === null || !day) return null;
  const mine = sum(seg.slice(index));
  const rest = minus(sum(all.slice(index)), mine);
  const rate = rateOf(mine);
  const restRate = rateOrNull(rest);
  return {
    date: day.day,
    method: appeared === null ? 'change_point' : 'appeared',
    rate,
    restRate,
    rateRatio: restRate !== null && rate > 0 ? restRate / rate : null,
    entrants: mine.n,
    days: step.length - index,
    peopleLost: restRate === null ? 0 : (restRate - rate) * mine.n,
    pValue: dropped?.pValue ?? null,
  };
}

/** Each step's daily conversion and its significant changes (binary segmentation at `alpha`). */
export function timelineOf(
  overall: readonly DailyCount[][],
  labels: Labels,
  alpha: number,
): DiagnosisResult['timeline'] {
  return overall.map((days, k) => {
    const changes = scanChangePoints(days, { alpha }).map((c) => ({
      day: days[c.index]?.day ?? '',
      beforeRate: rateOf(c.before),
      afterRate: rateOf(c.after),
      pValue: c.pValue,
    }));
    return {
      ...stepRef(k, labels),
      days: days.map((d) => ({ ...d, rate: rateOrNull(d) })),
      changes,
    };
  });
}
