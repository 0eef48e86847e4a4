import type { Command } from 'commander';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import {
  AccessControl,
  checkLogin,
  choosePrincipal,
  membershipsOf,
  type Principal,
  type ProjectSqlResult,
  runProjectSql,
} from '../../privacy/index.js';
import type { Warehouse } from '../../store/index.js';
import { readStdin, withAudit } from '../audit.js';
import { defaultFormat, printRows } from '../output.js';
import { withStore } from '../store.js';

interface SqlOpts {
  db: string;
  key?: string;
  user?: string;
  passwordStdin?: boolean;
  project?: string;
  server?: string;
  maxRows?: string;
  timeoutMs?: string;
  format?: 'table' | 'json';
}

/** The caller of `pathwise sql`: a key (--key or PATHWISE_KEY) or a user (--user with a password). */
async function caller(wh: Warehouse, opts: SqlOpts, key: string | undefined): Promise<Principal> {
  if (key) {
    const access = new AccessControl(wh, { cacheMs: 0 });
    try {
      const principal = await access.fromKey(key);
      if (!principal) throw new PathwiseError('PW_AUTH_INVALID_KEY');
      return principal;
    } finally {
      await access.close();
    }
  }
  if (!opts.user) throw new PathwiseError('PW_AUTH_MISSING_KEY');
  const password = opts.passwordStdin ? await readStdin() : (process.env.PATHWISE_PASSWORD ?? '');
  const user = await checkLogin(wh, opts.user, password);
  if (!user) throw new PathwiseError('PW_AUTH_BAD_LOGIN');
  return choosePrincipal({ user, memberships: await membershipsOf(wh, user.userId) }, opts.project ?? null);
}

async function viaServer(
  opts: SqlOpts,
  key: string,
  body: Record<string, unknown>,
): Promise<ProjectSqlResult> {
  const res = await fetch(new URL('/api/sql', opts.server), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const reply = (await res.json()) as ProjectSqlResult & { code?: string; message?: string };
  if (!res.ok) throw new Error(`${reply.code ?? res.status}: ${reply.message ?? ''}`);
  return reply;
}

function print(result: ProjectSqlResult, format: 'table' | 'json'): void {
  printRows(result.rows, format);
  if (result.isTruncated)
    process.stderr.write(`(only the first ${result.rowCount} rows: raise --max-rows)\n`);
}

/** `pathwise sql "SELECT …"`: raw SQL over one project's rows, as a key or user holding pii. */
export function registerSqlCommand(program: Command): void {
  program
    .command('sql <statement>')
    .description(
      'one read-only SELECT over your project’s rows (events, persons, sessions, …), in a sandbox; needs query and pii',
    )
    .option('--key <key>', 'an API key with query and pii (or PATHWISE_KEY)')
    .option('--user <name>', 'log in as a user (password from PATHWISE_PASSWORD or --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--project <project>', "the user's project (when they have roles in several)")
    .option('--server <url>', 'ask a running server (POST /api/sql) instead of opening the file; needs --key')
    .option('--max-rows <n>', 'rows returned at most (default 1000, at most 100000)')
    .option('--timeout-ms <ms>', 'time limit (default 15000, at most 120000)')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--format <format>', 'table|json')
    .action(async (statement: string, opts: SqlOpts) => {
      const key = opts.key ?? process.env.PATHWISE_KEY;
      const limits = {
        ...(opts.maxRows ? { maxRows: Number(opts.maxRows) } : {}),
        ...(opts.timeoutMs ? { timeoutMs: Number(opts.timeoutMs) } : {}),
      };
      const format = opts.format ?? defaultFormat();
      if (opts.server) {
        if (!key) throw new PathwiseError('PW_AUTH_MISSING_KEY');
        print(await viaServer(opts, key, { sql: statement, ...limits }), format);
        return;
      }
      await withStore(opts.db, false, async (wh) => {
        const principal = await caller(wh, opts, key);
        const action = {
          projectId: principal.projectId,
          action: 'sql',
          detail: { sql: statement, ...limits },
          principal,
        };
        const result = await withAudit(
          wh,
          action,
          () => runProjectSql(wh, principal, statement, limits),
          (r) => r.rowCount,
        );
        print(result, format);
      });
    });
}
