import type { Command } from 'commander';
import { parseRangeBoundUs, SERVER_DEFAULTS } from '../../core/index.js';
import { type ExportFormat, exportEvents, findProject } from '../../store/index.js';
import { withAudit } from '../audit.js';
import { withStore } from '../store.js';

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
    .action(
      async (opts: {
        format: ExportFormat;
        out?: string;
        from?: string;
        to?: string;
        db: string;
        project: string;
      }) => {
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
