import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import {
  type ErasureResult,
  eraseSubjects,
  exportSubject,
  OptOutRegistry,
  subjectTarget,
} from '../../privacy/index.js';
import { findProject } from '../../store/index.js';
import { withAudit } from '../audit.js';
import { withStore } from '../store.js';

interface Opts {
  readonly db: string;
  readonly project: string;
}

/** Who ran the command, for the deletion log. */
function requester(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * `pathwise person export|delete|opt-out` (README, "Privacy"), added to the `person` command:
 * `person ID` still shows a profile (a person whose id is one of these words is reached with
 * `person -- ID`).
 */
export function registerPersonRightsCommands(program: Command): void {
  const person = program.commands.find((c) => c.name() === 'person');
  if (!person) throw new Error('the person command must be registered first');
  // `person export ID --db X`: options after a subcommand's name are that subcommand's (commander
  // needs this on every ancestor; the root program has no options of its own to lose).
  program.enablePositionalOptions();
  person.enablePositionalOptions();
  const db = ['--db <path>', 'database file', SERVER_DEFAULTS.db] as const;
  const project = ['--project <project>', 'project id or name', 'default'] as const;
  person
    .command('export <id>')
    .description('DSAR export: every stored row about a person, per table, as one JSON document')
    .option(...db)
    .option(...project)
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (id: string, opts: Opts & { out?: string }) => {
      await withStore(opts.db, false, async (wh) => {
        const p = await findProject(wh, opts.project);
        const action = {
          projectId: p.projectId,
          action: 'person.export',
          target: subjectTarget(p.projectId, id),
        };
        const data = await withAudit(wh, action, () => exportSubject(wh, p.projectId, id));
        const text = `${JSON.stringify(data, null, 2)}\n`;
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
      });
    });
  person
    .command('delete <ids...>')
    .description('GDPR erasure of one or more persons: every row, then checkpoint and overwrite freed blocks')
    .option(...db)
    .option(...project)
    .action(async (ids: string[], opts: Opts) => {
      await withStore(opts.db, false, async (wh) => {
        const p = await findProject(wh, opts.project);
        const action = {
          projectId: p.projectId,
          action: 'person.delete',
          // The audit log is kept whole: it names an erased person by hash, never by id.
          targetOf: (r: ErasureResult) => r.deletions.map((d) => `person:${d.personHash}`).join(','),
        };
        const erase = () => eraseSubjects(wh, p.projectId, ids, { requestedBy: requester() });
        const result = await withAudit(wh, action, erase);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      });
    });
  person
    .command('opt-out <id>')
    .description('opt a person out (new events dropped at ingest, all their ids); --undo withdraws it')
    .option(...db)
    .option(...project)
    .option('--undo', 'withdraw the opt-out')
    .action(async (id: string, opts: Opts & { undo?: boolean }) => {
      await withStore(opts.db, false, async (wh) => {
        const p = await findProject(wh, opts.project);
        const registry = await OptOutRegistry.load(wh);
        const action = {
          projectId: p.projectId,
          action: opts.undo ? 'person.opt-in' : 'person.opt-out',
          target: subjectTarget(p.projectId, id),
        };
        const outcome = await withAudit(wh, action, () =>
          opts.undo ? registry.optIn(p.projectId, id) : registry.optOut(p.projectId, id, 'cli'),
        );
        if (!outcome) throw new PathwiseError('PW_PERSON_NOT_FOUND', { id });
        process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      });
    });
}
