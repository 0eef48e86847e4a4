import type { Command } from 'commander';
import { parseRangeBoundUs, SERVER_DEFAULTS } from '../../core/index.js';
import { type ExportFormat, exportEvents, findProject } from '../../store/index.js';
import { withAudit } from '../audit.js';
import { withStore } from '../store.js';
import { type ShareableOptions, writeShareable } from './export-shareable.js';

/** `pathwise export`. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('export events to Parquet, CSV or JSONL (Segment messages, re-importable)')
    .requiredOption('--format <format>', 'parquet|csv|jsonl')
    .option('--out <file>', 'output file (default: events.<format>)')
    .option('--from <date>', 'first instant, inclusive (ISO-8601)')
    .option('--to <date>', 'last instant, exclusive (ISO-8601)')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .option('--shareable', 'export persons counted by --by dimensions, k-anonymized (csv or jsonl)')
    .option('--by <list>', 'with --shareable: country,device_type,channel,age,trait:NAME,…')
    .option('--k <k>', 'with --shareable: smallest group shared', '5')
    .action(
      async (
        opts: {
          format: ExportFormat;
          out?: string;
          from?: string;
          to?: string;
          db: string;
          project: string;
        } & ShareableOptions,
      ) => {
        if (opts.shareable) {
          await writeShareable(opts);
          return;
        }
        const out = opts.out ?? `events.${opts.format}`;
        await withStore(opts.db, false, async (wh) => {
          const project = await findProject(wh, opts.project);
          const { db: _db, ...detail } = opts;
          const action = { projectId: project.projectId, action: 'export', detail };
          const run = () =>
            exportEvents(wh, {
              projectId: project.projectId,
              format: opts.format,
              out,
              ...(opts.from ? { fromUs: parseRangeBoundUs(opts.from, '--from') } : {}),
              ...(opts.to ? { toUs: parseRangeBoundUs(opts.to, '--to') } : {}),
            });
          const count = await withAudit(wh, action, run, (n) => n);
          process.stdout.write(`exported ${count} events to ${out}\n`);
        });
      },
    );
}
