import { writeFileSync } from 'node:fs';
import { PathwiseError } from '../../core/index.js';
import { shareablePersons } from '../../privacy/index.js';
import { findProject } from '../../store/index.js';
import { withStore } from '../store.js';

/** The options of `pathwise export --shareable`. */
export interface ShareableOptions {
  readonly shareable?: boolean;
  readonly by?: string;
  readonly k: string;
  readonly format: string;
  readonly out?: string;
  readonly db: string;
  readonly project: string;
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * `pathwise export --shareable --by …`: persons counted by dimensions, k-anonymized (README,
 * "Privacy"), as CSV or JSON lines; what was suppressed is printed.
 */
export async function writeShareable(opts: ShareableOptions): Promise<void> {
  if (opts.format !== 'csv' && opts.format !== 'jsonl') {
    throw new PathwiseError('PW_PRIVACY_NOT_SHAREABLE', { reason: 'a shareable export is csv or jsonl' });
  }
  const by = (opts.by ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const k = Number(opts.k);
  if (!Number.isInteger(k) || k < 2)
    throw new PathwiseError('PW_CONFIG_INVALID', { reason: '--k takes an integer ≥ 2' });
  const out = opts.out ?? `persons-shareable.${opts.format}`;
  await withStore(opts.db, true, async (wh) => {
    const project = await findProject(wh, opts.project);
    const result = await shareablePersons(wh, project.projectId, { by, k });
    const columns = [...by, 'persons'];
    const lines =
      opts.format === 'csv'
        ? [
            columns.map(csvCell).join(','),
            ...result.rows.map((r) => columns.map((c) => csvCell(r[c])).join(',')),
          ]
        : result.rows.map((r) => JSON.stringify(r));
    writeFileSync(out, `${lines.join('\n')}\n`);
    process.stdout.write(`${JSON.stringify({ out, groups: result.rows.length, ...result.shareable })}\n`);
  });
}
