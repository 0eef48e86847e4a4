import { percentileInterval, type Replicates } from './bootstrap.js';
import type { ModelCredit } from './budget.js';
import type { ChannelAdvice, Recommendation } from './result.js';
import type { ChannelRole } from './roles.js';

/** What the advice rests on: the basis model (a Markov chain) and its bootstrap replicates. */
export interface AdviceInput {
  readonly labels: readonly string[];
  readonly spend: readonly (number | null)[];
  readonly basis: ModelCredit & { readonly name: string };
  readonly replicates: Replicates | null;
  readonly models: readonly ModelCredit[];
  readonly roles: readonly ChannelRole[];
  readonly firstTouch: ModelCredit;
  readonly lastTouch: ModelCredit;
  readonly hasValue: boolean;
  readonly confidenceLevel: number;
  readonly journeys: number;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function credit(m: ModelCredit, c: number, hasValue: boolean): number {
  return (hasValue ? m.value[c] : m.conversions[c]) as number;
}

/** Credit per unit of spend over every priced channel, under one model. */
function average(m: ModelCredit, spend: readonly (number | null)[], hasValue: boolean): number {
  let got = 0;
  let cost = 0;
  spend.forEach((s, c) => {
    if (s === null || s <= 0) return;
    got += credit(m, c, hasValue);
    cost += s;
  });
  return cost === 0 ? 0 : got / cost;
}

/** "cost per conversion 12.50 (95% CI 10.00–15.20) against 20.00 overall", or the value return. */
function describe(est: number, lo: number, hi: number, avg: number, a: AdviceInput): string {
  const ci = `${pct(a.confidenceLevel)} CI`;
  if (a.hasValue)
    return `returns ${fmt(est)} per unit spent (${ci} ${fmt(lo)}–${fmt(hi)}) against ${fmt(avg)} for all priced channels`;
  return `costs ${fmt(1 / est)} per conversion (${ci} ${fmt(1 / hi)}–${fmt(1 / lo)}) against ${fmt(1 / avg)} for all priced channels`;
}

/** Why heuristic models disagree: initiators look weak to last touch, closers to first touch. */
function roleNote(c: number, a: AdviceInput): string {
  const r = a.roles[c];
  const b = a.basis.conversions[c] as number;
  if (!r || b <= 0) return '';
  if (r.role === 'initiator' && (a.lastTouch.conversions[c] as number) < (2 / 3) * b)
    return ` It mostly starts journeys (${pct(r.startShare ?? 0)} of the converting journeys it is in): last touch credits it with ${fmt(a.lastTouch.conversions[c] as number)} conversions, ${a.basis.name} with ${fmt(b)}, so judging it by last touch would undervalue it.`;
  if (r.role === 'closer' && (a.firstTouch.conversions[c] as number) < (2 / 3) * b)
    return ` It mostly closes journeys (${pct(r.closeShare ?? 0)} of the converting journeys it is in): first touch credits it with ${fmt(a.firstTouch.conversions[c] as number)} conversions, ${a.basis.name} with ${fmt(b)}.`;
  return '';
}

function advise(c: number, avg: number, a: AdviceInput): ChannelAdvice {
  const channel = a.labels[c] as string;
  const spend = a.spend[c] ?? null;
  if (spend === null || spend <= 0)
    return {
      channel,
      action: 'unpriced',
      text: `${channel}: no spend given.${roleNote(c, a)}`,
      efficiency: null,
      modelsAgreeing: null,
    };
  const est = credit(a.basis, c, a.hasValue) / spend;
  const rows = a.replicates ? (a.hasValue ? a.replicates.value : a.replicates.conversions) : null;
  const [lo, hi] = rows ? percentileInterval(rows, c, a.confidenceLevel).map((x) => x / spend) : [est, est];
  const isLoss = a.hasValue && (hi as number) < 1;
  const action = (lo as number) > avg ? 'grow' : (hi as number) < avg || isLoss ? 'cut' : 'keep';
  const above = a.models.filter(
    (m) => credit(m, c, a.hasValue) / spend > average(m, a.spend, a.hasValue),
  ).length;
  const agreeing = action === 'cut' ? a.models.length - above : above;
  const verb = { grow: 'Grow', cut: 'Cut', keep: 'Keep' }[action];
  const why =
    action === 'keep'
      ? `the interval includes the average, so the data cannot tell it apart; ${above} of ${a.models.length} models put it above average`
      : `${agreeing} of ${a.models.length} models agree it is ${action === 'grow' ? 'above' : 'below'} average${isLoss ? '; it returns less than it costs' : ''}`;
  return {
    channel,
    action,
    text: `${verb} ${channel}: it ${describe(est, lo as number, hi as number, avg, a)} under ${a.basis.name}; ${why}.${roleNote(c, a)}`,
    efficiency: { estimate: est, low: lo as number, high: hi as number },
    modelsAgreeing: agreeing,
  };
}

function basisNote(a: AdviceInput): string {
  const b = a.replicates?.conversions.length ?? 0;
  return b > 0
    ? `Basis: ${a.basis.name}, ${pct(a.confidenceLevel)} bootstrap intervals over ${b} resamples of ${a.journeys.toLocaleString('en-US')} journeys.`
    : `Basis: ${a.basis.name} without bootstrap (no intervals): treat the advice as indicative.`;
}

function contributors(a: AdviceInput): string {
  const order = a.labels
    .map((_, c) => c)
    .sort((x, y) => (a.basis.conversions[y] as number) - (a.basis.conversions[x] as number));
  const top = order.slice(0, 3).map((c) => {
    const ci = a.replicates ? percentileInterval(a.replicates.conversions, c, a.confidenceLevel) : null;
    return `${a.labels[c]} ${fmt(a.basis.conversions[c] as number)}${ci ? ` (${fmt(ci[0])}–${fmt(ci[1])})` : ''}`;
  });
  const role = (k: string) => a.roles.filter((r) => r.role === k).map((r) => r.channel);
  return `Largest contributions under ${a.basis.name} (conversions): ${top.join(', ')}. Initiators: ${role('initiator').join(', ') || 'none'}; closers: ${role('closer').join(', ') || 'none'}.`;
}

/** Grow / cut / keep per priced channel, judged on the basis model's bootstrap intervals. */
export function recommend(a: AdviceInput): Recommendation {
  const base = { basis: a.basis.id, confidenceLevel: a.confidenceLevel };
  if ((a.basis.conversions as Float64Array).every((x) => x === 0))
    return { ...base, summary: 'No converting journeys in the range: nothing to attribute.', channels: [] };
  const avg = average(a.basis, a.spend, a.hasValue);
  const channels = a.labels.map((_, c) => advise(c, avg, a));
  const priced = channels.filter((x) => x.action !== 'unpriced');
  if (priced.length === 0)
    return {
      ...base,
      summary: `${contributors(a)} Give spend per channel ("spend" in the spec, or --spend FILE.csv) for grow/cut advice. ${basisNote(a)}`,
      channels,
    };
  const list = (k: string) => priced.filter((x) => x.action === k).map((x) => x.channel);
  const parts = [
    list('grow').length ? `Grow ${list('grow').join(', ')}.` : '',
    list('cut').length ? `Cut ${list('cut').join(', ')}.` : '',
    list('keep').length
      ? `Keep ${list('keep').join(', ')} (the data cannot tell them apart from the average).`
      : '',
  ];
  return { ...base, summary: `${parts.filter(Boolean).join(' ')} ${basisNote(a)}`, channels };
}
