import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { runRetention, SaltStore } from '../../privacy/index.js';
import { findProject } from '../../store/index.js';
import { withStore } from '../store.js';

/** `pathwise retention run`: what the server's hourly job does (README, "Privacy"). */
export function registerRetentionCommand(program: Command): void {
  program
    .command('retention')
    .description('data retention')
    .command('run')
    .description("delete raw rows past each project's retention and past cookieless salts")
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'only this project (id or name)')
    .action(async (opts: { db: string; project?: string }) => {
      await withStore(opts.db, false, async (wh) => {
        const projectId = opts.project ? (await findProject(wh, opts.project)).projectId : undefined;
        // Opening the salt store deletes every salt older than today.
        await SaltStore.open(wh);
        const outcomes = await runRetention(wh, projectId ? { projectId } : {});
        process.stdout.write(`${JSON.stringify({ outcomes }, null, 2)}\n`);
      });
    });
}
