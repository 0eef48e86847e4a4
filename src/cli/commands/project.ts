import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { createProject, listProjects } from '../../store/index.js';
import { defaultFormat, printRows } from '../output.js';
import { withStore } from '../store.js';

/** `pathwise project create|list`. */
export function registerProjectCommand(program: Command): void {
  const project = program.command('project').description('manage projects and their keys');
  project
    .command('create <name>')
    .description('create a project and print its write and read keys (shown once)')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--time-zone <tz>', 'IANA time zone of the project', 'UTC')
    .action(async (name: string, opts: { db: string; timeZone: string }) => {
      await withStore(opts.db, false, async (wh) => {
        const created = await createProject(wh, name, { timeZone: opts.timeZone });
        process.stdout.write(
          `project ${created.project.name} (${created.project.projectId})\n  write key: ${created.writeKey}\n  read key:  ${created.readKey}\n`,
        );
      });
    });
  project
    .command('list')
    .description('list projects')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (opts: { db: string }) => {
      await withStore(opts.db, true, async (wh) => {
        printRows(
          (await listProjects(wh)).map((p) => ({ ...p })),
          defaultFormat(),
        );
      });
    });
}
