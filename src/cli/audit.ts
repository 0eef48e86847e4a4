import { isPathwiseError } from '../core/index.js';
import { appendAudit, cliPrincipal, type Principal } from '../privacy/index.js';
import type { Warehouse } from '../store/index.js';

/** What a CLI command did, for the audit log. */
export interface CliAction {
  readonly projectId: string | null;
  readonly action: string;
  readonly target?: string | null;
  readonly detail?: unknown;
  /** Who acts: the local operator unless the command authenticated someone (sql). */
  readonly principal?: Principal;
}

/**
 * Runs a command's work and writes one audit row for it, also when it fails (with the error's
 * status): the CLI is audited like the HTTP API, as `cli:<login>` or as the key or user it used.
 */
export async function withAudit<T>(
  wh: Warehouse,
  action: CliAction,
  fn: () => Promise<T>,
  rowsOf: (result: T) => number | null = () => null,
): Promise<T> {
  const who = action.principal ?? cliPrincipal(action.projectId ?? '');
  const entry = {
    projectId: action.projectId,
    actor: { kind: who.kind, id: who.id, name: who.name },
    action: action.action,
    target: action.target ?? null,
    detail: action.detail ?? null,
    address: 'local',
  };
  try {
    const result = await fn();
    await appendAudit(wh, { ...entry, status: 200, rowCount: rowsOf(result) });
    return result;
  } catch (err) {
    await appendAudit(wh, { ...entry, status: isPathwiseError(err) ? err.status : 500 });
    throw err;
  }
}

/** Reads a secret from standard input (`--password-stdin`), without its final newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
