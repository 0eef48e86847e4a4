import type { Spend } from './spec.js';

/** One model's credit per label code. */
export interface ModelCredit {
  readonly id: string;
  readonly conversions: Float64Array;
  readonly value: Float64Array;
}

/** Spend per label code (null where none was given), and spend labels no journey touched. */
export function spendByCode(
  labels: readonly string[],
  spend: Spend | null,
): {
  readonly byCode: (number | null)[];
  readonly unmatched: string[];
} {
  const byCode = labels.map((l) => (spend && Object.hasOwn(spend, l) ? (spend[l] as number) : null));
  const known = new Set(labels);
  const unmatched = spend ? Object.keys(spend).filter((k) => !known.has(k)) : [];
  return { byCode, unmatched };
}

/**
 * Cost per credited conversion (spend / conversions; null without credit) and ROI
 * ((value − spend) / spend; null without spend or without any conversion value) per model.
 */
export function costAndReturn(
  models: readonly ModelCredit[],
  spend: number | null,
  code: number,
  hasValue: boolean,
): { costPerConversion: Record<string, number | null>; roi: Record<string, number | null> } {
  const costPerConversion: Record<string, number | null> = {};
  const roi: Record<string, number | null> = {};
  for (const m of models) {
    const conversions = m.conversions[code] as number;
    costPerConversion[m.id] = spend === null || conversions <= 0 ? null : spend / conversions;
    roi[m.id] =
      spend === null || spend === 0 || !hasValue ? null : ((m.value[code] as number) - spend) / spend;
  }
  return { costPerConversion, roi };
}
