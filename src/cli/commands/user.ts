import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import {
  cliPrincipal,
  createMember,
  generatePassword,
  grantRole,
  listMembers,
  revokeRole,
  setPassword,
} from '../../privacy/index.js';
import { findProject, listProjects } from '../../store/index.js';
import { readStdin, withAudit } from '../audit.js';
import { defaultFormat, printRows } from '../output.js';
import { withStore } from '../store.js';

interface GrantOpts {
  db: string;
  project: string;
  role: string;
  pii?: boolean;
}

async function passwordFrom(opts: {
  passwordStdin?: boolean;
}): Promise<{ password: string; isGenerated: boolean }> {
  if (opts.passwordStdin) return { password: await readStdin(), isGenerated: false };
  const fromEnv = process.env.PATHWISE_PASSWORD;
  if (fromEnv) return { password: fromEnv, isGenerated: false };
  return { password: generatePassword(), isGenerated: true };
}

function registerCreate(user: Command): void {
  user
    .command('create <name>')
    .description(
      'create a user with a role in a project (password: --password-stdin, PATHWISE_PASSWORD, or generated and shown once)',
    )
    .requiredOption('--role <role>', 'owner|admin|analyst|viewer')
    .option('--project <project>', 'project id or name', 'default')
    .option('--pii', 'also grant the pii permission (person-level data, raw SQL, raw exports)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (name: string, opts: GrantOpts & { passwordStdin?: boolean }) => {
      const { password, isGenerated } = await passwordFrom(opts);
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const action = {
          projectId: project.projectId,
          action: 'user.create',
          target: name,
          detail: { role: opts.role, pii: opts.pii === true },
        };
        const grant = { role: opts.role, hasPii: opts.pii === true };
        const member = await withAudit(wh, action, () =>
          createMember(wh, cliPrincipal(project.projectId), name, password, grant),
        );
        process.stdout.write(
          `user ${name}: ${member.role}${member.hasPii ? ' with pii' : ''} in project ${project.name}\n`,
        );
        if (isGenerated)
          process.stdout.write(
            `  password: ${password}\n  (shown once; change it with POST /api/me/password)\n`,
          );
      });
    });
}

function registerGrantRevoke(user: Command): void {
  user
    .command('grant <name>')
    .description('give a user a role (and pii or not) in a project, replacing the old one')
    .requiredOption('--role <role>', 'owner|admin|analyst|viewer')
    .option('--project <project>', 'project id or name', 'default')
    .option('--pii', 'grant the pii permission')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (name: string, opts: GrantOpts) => {
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const action = {
          projectId: project.projectId,
          action: 'user.grant',
          target: name,
          detail: { role: opts.role, pii: opts.pii === true },
        };
        const member = await withAudit(wh, action, () =>
          grantRole(wh, cliPrincipal(project.projectId), name, {
            role: opts.role,
            hasPii: opts.pii === true,
          }),
        );
        process.stdout.write(
          `user ${name}: ${member.role}${member.hasPii ? ' with pii' : ''} in project ${project.name}\n`,
        );
      });
    });
  user
    .command('revoke <name>')
    .description("remove a user's role in a project (the account stays)")
    .option('--project <project>', 'project id or name', 'default')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (name: string, opts: { db: string; project: string }) => {
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        await withAudit(wh, { projectId: project.projectId, action: 'user.revoke', target: name }, () =>
          revokeRole(wh, cliPrincipal(project.projectId), name),
        );
        process.stdout.write(`user ${name}: no role in project ${project.name} any more\n`);
      });
    });
}

function registerListPassword(user: Command): void {
  user
    .command('list')
    .description('list the members of a project, or of every project')
    .option('--project <project>', 'project id or name (default: every project)')
    .option('--format <format>', 'table|json')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (opts: { db: string; project?: string; format?: 'table' | 'json' }) => {
      await withStore(opts.db, false, async (wh) => {
        const projects = opts.project ? [await findProject(wh, opts.project)] : await listProjects(wh);
        const action = {
          projectId: opts.project ? (projects[0]?.projectId ?? null) : null,
          action: 'user.list',
        };
        const list = async () =>
          (await Promise.all(projects.map((p) => listMembers(wh, p.projectId)))).flat();
        const members = await withAudit(wh, action, list, (m) => m.length);
        const rows = members.map((m) => ({
          user: m.userName,
          project: m.projectName,
          role: m.role,
          pii: m.hasPii,
          scopes: m.scopes.join(','),
          grantedBy: m.grantedBy,
          grantedAt: m.grantedAt,
        }));
        printRows(rows, opts.format ?? defaultFormat());
      });
    });
  user
    .command('password <name>')
    .description(
      "set a user's password (--password-stdin, PATHWISE_PASSWORD, or generated and shown once); their sessions end",
    )
    .option('--password-stdin', 'read the password from standard input')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (name: string, opts: { db: string; passwordStdin?: boolean }) => {
      const { password, isGenerated } = await passwordFrom(opts);
      await withStore(opts.db, false, async (wh) => {
        await withAudit(wh, { projectId: null, action: 'user.password', target: name }, () =>
          setPassword(wh, name, password),
        );
        process.stdout.write(
          `password of ${name} changed\n${isGenerated ? `  password: ${password}\n` : ''}`,
        );
      });
    });
}

/** `pathwise user create|grant|revoke|list|password`: the local operator manages users. */
export function registerUserCommand(program: Command): void {
  const user = program
    .command('user')
    .description('manage users and their roles per project (as the local operator)');
  registerCreate(user);
  registerGrantRevoke(user);
  registerListPassword(user);
}
