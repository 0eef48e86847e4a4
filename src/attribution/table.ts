import type { AttributionResult } from './result.js';

function round(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '';
}

/**
 * The side-by-side comparison as printable rows: one per channel, one column per model
 * (Markov with its interval), the channel's role, and with spend the basis model's cost per
 * conversion and ROI; a last row of totals.
 */
export function comparisonRows(
  r: AttributionResult,
  what: 'conversions' | 'value' = 'conversions',
): Record<string, string>[] {
  const digits = what === 'conversions' ? 1 : 0;
  const basis = r.recommendation.basis;
  const roles = new Map(r.roles.map((x) => [x.channel, x]));
  const rows = r.comparison.map((c) => {
    const row: Record<string, string> = { channel: c.channel };
    for (const m of r.models) {
      const ci = c.intervals[m.id]?.[what];
      const v = round(c[what][m.id] ?? 0, digits);
      row[m.id] = ci ? `${v} (${round(ci[0], digits)}–${round(ci[1], digits)})` : v;
    }
    row.role = roles.get(c.channel)?.role ?? '';
    if (r.budget) {
      row.spend = c.spend === null ? '' : round(c.spend, 2);
      row[`cost/conv ${basis}`] = round(c.costPerConversion[basis] ?? Number.NaN, 2);
      row[`roi ${basis}`] = round(c.roi[basis] ?? Number.NaN, 2);
    }
    return row;
  });
  const total: Record<string, string> = { channel: 'total' };
  for (const m of r.models)
    total[m.id] = round(
      r.comparison.reduce((a, c) => a + (c[what][m.id] ?? 0), 0),
      digits,
    );
  return [...rows, total];
}
