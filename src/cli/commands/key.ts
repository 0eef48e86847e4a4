import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { cliPrincipal, createKey, listKeys, revokeKey } from '../../privacy/index.js';
import { findProject } from '../../store/index.js';
import { withAudit } from '../audit.js';
import { defaultFormat, printRows } from '../output.js';
import { withStore } from '../store.js';

/** `pathwise key create|list|revoke`: the local operator manages a project's API keys. */
export function registerKeyCommand(program: Command): void {
  const key = program.command('key').description("manage a project's API keys (as the local operator)");
  key
    .command('create')
    .description('issue a key with scopes (ingest alone, or any of view,query,export,pii,admin); shown once')
    .requiredOption('--scopes <scopes>', 'comma-separated scopes, e.g. query,pii')
    .option('--name <name>', 'a name to recognize the key by')
    .option('--project <project>', 'project id or name', 'default')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (opts: { scopes: string; name?: string; project: string; db: string }) => {
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const action = {
          projectId: project.projectId,
          action: 'key.create',
          detail: { scopes: opts.scopes, name: opts.name ?? null },
        };
        const issued = await withAudit(wh, action, () =>
          createKey(wh, cliPrincipal(project.projectId), {
            scopes: opts.scopes,
            ...(opts.name ? { name: opts.name } : {}),
          }),
        );
        process.stdout.write(
          `key ${issued.keyId} (${issued.scopes.join(',')}) for project ${project.name}:\n  ${issued.key}\n  (shown once)\n`,
        );
      });
    });
  key
    .command('list')
    .description("a project's keys with scopes, creation and last use (never the secrets)")
    .option('--project <project>', 'project id or name', 'default')
    .option('--format <format>', 'table|json')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (opts: { project: string; db: string; format?: 'table' | 'json' }) => {
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const action = { projectId: project.projectId, action: 'key.list' };
        const keys = await withAudit(
          wh,
          action,
          () => listKeys(wh, cliPrincipal(project.projectId)),
          (k) => k.length,
        );
        printRows(
          keys.map((k) => ({ ...k, scopes: k.scopes.join(',') })),
          opts.format ?? defaultFormat(),
        );
      });
    });
  key
    .command('revoke <keyId>')
    .description('revoke a key: every request with it is refused (401) from now on')
    .option('--project <project>', 'project id or name', 'default')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .action(async (keyId: string, opts: { project: string; db: string }) => {
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        await withAudit(wh, { projectId: project.projectId, action: 'key.revoke', target: keyId }, () =>
          revokeKey(wh, cliPrincipal(project.projectId), keyId),
        );
        process.stdout.write(`key ${keyId} revoked\n`);
      });
    });
}
