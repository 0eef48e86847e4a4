import type { ExperimentAnalysis, MetricAnalysis, VariantComparison } from './result.js';

const CORRECTION_NAME: Readonly<Record<string, string>> = { holm: 'Holm', 'benjamini-hochberg': 'BH' };

/** 0.0081 → "0.0081", 0.03 → "0.03": two significant digits, tiny values as "<0.0001". */
export function formatP(p: number): string {
  return p < 0.0001 ? '<0.0001' : `${Number(p.toPrecision(2))}`;
}

function signedPercent(x: number): string {
  const text = `${(x * 100).toFixed(1)}%`;
  return x >= 0 ? `+${text}` : text.replace('-', '−');
}

function signedNumber(x: number): string {
  const text = `${Number(x.toPrecision(3))}`;
  return x >= 0 ? `+${text}` : text.replace('-', '−');
}

function srmText(srm: ExperimentAnalysis['exposure']['srm']): string {
  if (srm === null) return 'SRM not checked (no exposures)';
  if (!srm.isMismatch) return 'SRM ok';
  return `SRM MISMATCH (p=${formatP(srm.pValue)}): assignment is broken, do not trust these results`;
}

function effectText(c: VariantComparison, metric: MetricAnalysis, level: string): string {
  const r = c.cuped?.result ?? c.result;
  if (!r) return `${metric.key} not analyzable`;
  const cuped = c.cuped
    ? ` (CUPED, variance −${Math.max(0, c.cuped.varianceReduction * 100).toFixed(0)}%)`
    : '';
  if (r.relativeLift !== null && r.relativeLiftCi !== null) {
    const ci = `[${signedPercent(r.relativeLiftCi.lower)}, ${signedPercent(r.relativeLiftCi.upper)}]`;
    return `${signedPercent(r.relativeLift)} ${metric.key}${cuped}, ${level} CI ${ci}`;
  }
  const ci = `[${signedNumber(r.differenceCi.lower)}, ${signedNumber(r.differenceCi.upper)}]`;
  return `${signedNumber(r.difference)} ${metric.key}${cuped}, ${level} CI ${ci}`;
}

/**
 * One line per variant on the first metric, e.g.
 * "variant B: +4.2% conversion, 95% CI [+1.1%, +7.3%], p=0.008, sequential p=0.03; SRM ok".
 */
export function verdictLines(analysis: Omit<ExperimentAnalysis, 'verdicts'>): string[] {
  const metric = analysis.metrics[0];
  if (!metric) return [];
  const level = `${Number(((1 - analysis.settings.alpha) * 100).toPrecision(4))}%`;
  const comparisons = analysis.metrics.reduce((n, m) => n + m.comparisons.length, 0);
  const correction = CORRECTION_NAME[analysis.settings.correction];
  const srm = srmText(analysis.exposure.srm);
  return metric.comparisons.map((c) => {
    const head = `variant ${c.variant}: ${effectText(c, metric, level)}`;
    const r = c.cuped?.result ?? c.result;
    if (!r || c.skipped) return `${head} (${c.skipped ?? 'no result'}); ${srm}`;
    const adjusted =
      correction && comparisons > 1 && c.adjustedPValue !== null
        ? ` (${correction} ${formatP(c.adjustedPValue)})`
        : '';
    const seq = c.sequential ? `, sequential p=${formatP(c.sequential.pValue)}` : '';
    return `${head}, p=${formatP(r.pValue)}${adjusted}${seq}; ${srm}`;
  });
}
