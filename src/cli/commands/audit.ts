import type { Command } from 'commander';
import { parseRangeBoundUs, SERVER_DEFAULTS } from '../../core/index.js';
import { listAudit, verifyAudit } from '../../privacy/index.js';
import { findProject } from '../../store/index.js';
import { withAudit } from '../audit.js';
import { defaultFormat, printRows } from '../output.js';
import { withStore } from '../store.js';

interface AuditOpts {
  db: string;
  project?: string;
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  limit: string;
  format?: 'table' | 'json';
  verify?: boolean;
}

/** `pathwise audit`: the local operator reads (and verifies) the audit log. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description(
      'read the audit log, newest first (every project unless --project); --verify checks its hash chain',
    )
    .option('--project <project>', 'project id or name (default: every project, and actions outside any)')
    .option('--from <date>', 'first instant, inclusive (ISO-8601)')
    .option('--to <date>', 'last instant, exclusive (ISO-8601)')
    .option('--actor <name>', 'a user name, key name or id, or OS login')
    .option('--action <prefix>', 'e.g. sql, query, key., user.')
    .option('--limit <n>', 'newest rows shown', '100')
    .option('--verify', 'recompute the hash chain over the whole log and report where it breaks')
    .option('--format <format>', 'table|json')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (opts: AuditOpts) => {
      await withStore(opts.db, false, async (wh) => {
        if (opts.verify) {
          const checked = await verifyAudit(wh);
          process.stdout.write(`audit log intact: ${checked.rows} rows, last seq ${checked.lastSeq}\n`);
          return;
        }
        const projectId = opts.project ? (await findProject(wh, opts.project)).projectId : null;
        const filter = {
          projectId,
          ...(opts.from ? { fromUs: parseRangeBoundUs(opts.from, '--from') } : {}),
          ...(opts.to ? { toUs: parseRangeBoundUs(opts.to, '--to') } : {}),
          ...(opts.actor ? { actor: opts.actor } : {}),
          ...(opts.action ? { action: opts.action } : {}),
          limit: Number(opts.limit),
        };
        // Reading the log is itself recorded, after the rows are read.
        const records = await withAudit(
          wh,
          { projectId, action: 'audit.read', detail: filter },
          () => listAudit(wh, filter),
          (r) => r.length,
        );
        const rows = records.map(({ prevHash: _p, rowHash: _r, ...r }) => r);
        printRows(rows, opts.format ?? defaultFormat());
      });
    });
}
