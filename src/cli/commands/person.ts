import type { Command } from 'commander';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import { findPerson } from '../../identity/index.js';
import { listPersonTimeline } from '../../sessions/index.js';
import { findProject } from '../../store/index.js';
import { withAudit } from '../audit.js';
import { withStore } from '../store.js';

/** `pathwise person ID`. */
export function registerPersonCommand(program: Command): void {
  program
    .command('person <id>')
    .description("a person's profile and timeline (sessions with their events), by person or distinct id")
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .option('--sessions <n>', 'newest sessions shown', '20')
    .action(async (id: string, opts: { db: string; project: string; sessions: string }) => {
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const view = async () => {
          const profile = await findPerson(wh, project.projectId, id);
          if (!profile) throw new PathwiseError('PW_PERSON_NOT_FOUND', { id });
          const personId = String(profile.person.person_id);
          const timeline = await listPersonTimeline(wh, project.projectId, personId, Number(opts.sessions));
          return { ...profile, ...timeline };
        };
        const action = { projectId: project.projectId, action: 'person.view', target: id };
        const person = await withAudit(wh, action, view, () => 1);
        process.stdout.write(`${JSON.stringify(person, null, 2)}\n`);
      });
    });
}
