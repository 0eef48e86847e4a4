import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { rebuildProject } from '../../server/index.js';
import { parseSessionsQuery, runSessionsQuery } from '../../sessions/index.js';
import { findProject, updateSessionSettings } from '../../store/index.js';
import { progressBar } from '../output.js';
import { withStore } from '../store.js';

interface StatsOptions {
  db: string;
  project: string;
  from: string;
  to: string;
  by?: string;
  top?: string;
  limit?: string;
}

function statsSpec(opts: StatsOptions): unknown {
  return {
    kind: 'sessions',
    from: opts.from,
    to: opts.to,
    ...(opts.by ? { breakdown: opts.by } : {}),
    ...(opts.top ? { topPages: Number(opts.top) } : {}),
    ...(opts.limit ? { breakdownLimit: Number(opts.limit) } : {}),
  };
}

function registerRebuild(sessions: Command): void {
  sessions
    .command('rebuild')
    .description('recompute persons and sessions from every event (e.g. after changing the timeout)')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (opts: { db: string; project: string }) => {
      await withStore(opts.db, false, async (wh) => {
        const bar = progressBar('rebuilding');
        try {
          const pass = await rebuildProject(wh, opts.project, (done, total) => bar.update(done, total));
          bar.stop();
          process.stdout.write(`${JSON.stringify(pass, null, 2)}\n`);
        } finally {
          bar.stop();
        }
      });
    });
}

function registerStats(sessions: Command): void {
  sessions
    .command('stats')
    .description('session analytics as JSON: counts, durations, bounce rate, entry and exit pages')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD, project time zone) or instant')
    .requiredOption('--to <date>', 'last day, inclusive (YYYY-MM-DD) or instant, exclusive')
    .option('--by <attribute>', 'break down by a session attribute (channel, device_type, …)')
    .option('--top <n>', 'entry and exit pages listed', '10')
    .option('--limit <n>', 'breakdown groups kept (the rest are "$other")')
    .action(async (opts: StatsOptions) => {
      const spec = parseSessionsQuery(statsSpec(opts));
      await withStore(opts.db, true, async (wh) => {
        const project = await findProject(wh, opts.project);
        const result = await runSessionsQuery(wh, project.projectId, spec);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      });
    });
}

function registerSettings(sessions: Command): void {
  sessions
    .command('settings')
    .description("show or change a project's session rules (then run `sessions rebuild` for history)")
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .option('--timeout-min <minutes>', 'inactivity timeout in minutes')
    .option('--midnight-split <on|off>', 'also end sessions at midnight in the project time zone')
    .option('--goals <events>', 'comma-separated goal event names recorded per session')
    .action(
      async (opts: {
        db: string;
        project: string;
        timeoutMin?: string;
        midnightSplit?: string;
        goals?: string;
      }) => {
        const isChange = opts.timeoutMin || opts.midnightSplit || opts.goals !== undefined;
        await withStore(opts.db, !isChange, async (wh) => {
          let project = await findProject(wh, opts.project);
          if (isChange) {
            project = await updateSessionSettings(wh, project.projectId, {
              ...(opts.timeoutMin ? { timeoutSec: Number(opts.timeoutMin) * 60 } : {}),
              ...(opts.midnightSplit ? { isSplitAtMidnight: opts.midnightSplit === 'on' } : {}),
              ...(opts.goals !== undefined ? { goalEvents: opts.goals.split(',').filter(Boolean) } : {}),
            });
          }
          process.stdout.write(
            `${JSON.stringify({ ...project.sessions, timeZone: project.timeZone }, null, 2)}\n`,
          );
        });
      },
    );
}

/** `pathwise sessions rebuild|stats|settings`. */
export function registerSessionsCommand(program: Command): void {
  const sessions = program.command('sessions').description('sessions: rebuild, analytics and settings');
  registerRebuild(sessions);
  registerStats(sessions);
  registerSettings(sessions);
}
