import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { countRejected, findProject, listRejected } from '../../store/index.js';
import { defaultFormat, printRows } from '../output.js';
import { withStore } from '../store.js';

/** `pathwise rejected`. */
export function registerRejectedCommand(program: Command): void {
  program
    .command('rejected')
    .description('list rejected events with their reason and raw payload, newest first')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name (default: all)')
    .option('--reason <code>', 'only this reason code')
    .option('--limit <n>', 'how many', '50')
    .option('--format <format>', 'table|json')
    .action(
      async (opts: {
        db: string;
        project?: string;
        reason?: string;
        limit: string;
        format?: 'table' | 'json';
      }) => {
        await withStore(opts.db, true, async (wh) => {
          const projectId = opts.project ? (await findProject(wh, opts.project)).projectId : undefined;
          const filter = {
            ...(projectId ? { projectId } : {}),
            ...(opts.reason ? { code: opts.reason } : {}),
          };
          const counts = await countRejected(wh, filter);
          process.stderr.write(`rejected by reason: ${JSON.stringify(counts)}\n`);
          printRows(
            await listRejected(wh, { ...filter, limit: Number(opts.limit) }),
            opts.format ?? defaultFormat(),
          );
        });
      },
    );
}
