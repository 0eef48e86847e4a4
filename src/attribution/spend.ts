import { parse } from 'csv-parse/sync';
import { PathwiseError } from '../core/index.js';
import type { Spend } from './spec.js';

const LABEL_COLUMNS = ['channel', 'label', 'touch', 'touchpoint'];
const AMOUNT_COLUMNS = ['spend', 'cost', 'amount'];

function bad(reason: string): never {
  throw new PathwiseError('PW_ATTRIBUTION_BAD_SPEND', { reason });
}

/**
 * Spend from CSV text: a header row naming the label column (`channel`, `label`, `touch`) and
 * the amount column (`spend`, `cost`, `amount`); rows of the same label add up. Amounts are
 * plain non-negative numbers (no currency signs or thousands separators).
 */
export function parseSpendCsv(text: string): Spend {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
    });
  } catch (err) {
    bad(`not CSV: ${(err as Error).message}`);
  }
  const first = rows[0] ?? {};
  const label = LABEL_COLUMNS.find((c) => c in first);
  const amount = AMOUNT_COLUMNS.find((c) => c in first);
  if (!label || !amount) bad('the header needs a "channel" and a "spend" column');
  const spend: Spend = {};
  rows.forEach((r, i) => {
    const name = r[label] ?? '';
    const value = Number(r[amount]);
    if (name === '') bad(`row ${i + 2} has no ${label}`);
    if (r[amount] === '' || !Number.isFinite(value) || value < 0)
      bad(`row ${i + 2}: "${r[amount]}" is not an amount`);
    spend[name] = (spend[name] ?? 0) + value;
  });
  return spend;
}
