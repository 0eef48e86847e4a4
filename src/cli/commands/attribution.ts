import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type AttributionResult,
  comparisonRows,
  parseAttributionSpec,
  parseSpendCsv,
  runAttribution,
} from '../../attribution/index.js';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import { Rng } from '../../sim/index.js';
import { findProject } from '../../store/index.js';
import { printRows } from '../output.js';
import { readSpec } from '../spec-arg.js';
import { withStore } from '../store.js';

const random = (seed: number, stream: number) => new Rng(seed, stream);

async function run(
  raw: unknown,
  db: string,
  project: string,
  spendFile?: string,
): Promise<AttributionResult> {
  const spec = parseAttributionSpec(raw);
  if (spendFile !== undefined) {
    if (!existsSync(spendFile)) throw new PathwiseError('PW_IMPORT_FILE_NOT_FOUND', { file: spendFile });
    spec.spend = { ...spec.spend, ...parseSpendCsv(readFileSync(spendFile, 'utf8')) };
  }
  return withStore(db, true, async (wh) => {
    const p = await findProject(wh, project);
    return runAttribution(wh, p.projectId, spec, { random });
  });
}

/** `pathwise query` with an attribution spec: the whole result as JSON. */
export async function printAttribution(raw: unknown, db: string, project: string): Promise<void> {
  process.stdout.write(`${JSON.stringify(await run(raw, db, project), null, 2)}\n`);
}

function printTable(r: AttributionResult, what: 'conversions' | 'value'): void {
  const s = r.summary;
  process.stdout.write(
    `${r.dateRange.from} – ${r.dateRange.to} (${r.timeZone}): ${s.journeys} journeys, ${s.attributedConversions} of ${s.conversions} conversions attributed (${s.unattributedConversions} had no touch in the lookback window)\n\n`,
  );
  printRows(comparisonRows(r, what), 'table');
  process.stdout.write(`\n${r.recommendation.summary}\n`);
  for (const a of r.recommendation.channels)
    if (a.action !== 'unpriced') process.stdout.write(`- ${a.text}\n`);
}

/** `pathwise attribution --spec FILE|JSON`: every model side by side, and the advice. */
export function registerAttributionCommand(program: Command): void {
  program
    .command('attribution')
    .description('multi-touch attribution: every model side by side, roles, cost per conversion, advice')
    .requiredOption(
      '--spec <spec>',
      'an attribution spec file, or the spec as inline JSON ("kind" may be left out)',
    )
    .option('--spend <file>', 'CSV with "channel" and "spend" columns (adds to the spec\'s spend)')
    .option('--value', 'compare value instead of conversions')
    .option('--format <format>', 'table or json', 'table')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(
      async (opts: {
        spec: string;
        spend?: string;
        value?: boolean;
        format: string;
        db: string;
        project: string;
      }) => {
        const raw = readSpec(opts.spec);
        const spec = typeof raw === 'object' && raw !== null ? { kind: 'attribution', ...raw } : raw;
        const r = await run(spec, opts.db, opts.project, opts.spend);
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else printTable(r, opts.value ? 'value' : 'conversions');
      },
    );
}
