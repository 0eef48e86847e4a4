import { userInfo } from 'node:os';
import { PathwiseError } from '../core/index.js';
import { findKey, recordKeyUse, type Warehouse } from '../store/index.js';
import { isScope, type Role, SCOPES, type Scope } from './roles.js';
import { findSessionUser } from './sessions.js';
import { type Membership, membershipsOf, type User } from './users.js';

/** Who is calling, in which project, with which scopes: a key, a logged-in user, or the local CLI. */
export interface Principal {
  readonly kind: 'key' | 'user' | 'cli';
  /** Key id, user id, or `cli:<login>`. */
  readonly id: string;
  /** Key name or prefix, user name, or the operating-system login. */
  readonly name: string;
  readonly projectId: string;
  /** A user's role in the project; null for keys and the CLI. */
  readonly role: Role | null;
  readonly scopes: readonly Scope[];
}

/** A logged-in user and every project role they hold. */
export interface SessionIdentity {
  readonly user: User;
  readonly memberships: readonly Membership[];
}

/**
 * The local operator: whoever can open the database file holds every scope (they could read
 * the file directly). Audited as `cli:<login>`.
 */
export function cliPrincipal(projectId: string): Principal {
  let login = 'unknown';
  try {
    login = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return { kind: 'cli', id: `cli:${login}`, name: login, projectId, role: null, scopes: [...SCOPES] };
}

/** The principal of a user in one project. */
export function memberPrincipal(membership: Membership): Principal {
  return {
    kind: 'user',
    id: membership.userId,
    name: membership.userName,
    projectId: membership.projectId,
    role: membership.role,
    scopes: membership.scopes.filter(isScope),
  };
}

/**
 * Picks the project of a request: the one named (id or name), else the only one the user has a
 * role in. Unknown or foreign projects are answered alike, so names of others' projects do not leak.
 */
export function choosePrincipal(identity: SessionIdentity, project: string | null): Principal {
  const { memberships } = identity;
  if (project) {
    const found = memberships.find((m) => m.projectId === project || m.projectName === project);
    if (!found) throw new PathwiseError('PW_AUTH_NOT_A_MEMBER', { project });
    return memberPrincipal(found);
  }
  const only = memberships[0];
  if (memberships.length === 1 && only) return memberPrincipal(only);
  if (memberships.length === 0) throw new PathwiseError('PW_AUTH_NOT_A_MEMBER', { project: '(any)' });
  throw new PathwiseError('PW_AUTH_PROJECT_REQUIRED', {
    projects: memberships.map((m) => m.projectName).join(', '),
  });
}

/** How long resolved keys and sessions are cached, and how often key use is written. */
export interface AccessOptions {
  readonly cacheMs?: number;
  readonly keyUseFlushMs?: number;
}

/**
 * Resolves keys and session tokens with a short cache (every ingest request is authenticated),
 * and records keys' last use in memory, writing it at most once per flush interval.
 * Changes made through this process call invalidate(), so revocations take effect at once.
 */
export class AccessControl {
  private readonly keys = new Map<string, { principal: Principal | null; until: number }>();
  private readonly sessions = new Map<string, { identity: SessionIdentity | null; until: number }>();
  private readonly keyUse = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly cacheMs: number;

  constructor(
    private readonly wh: Warehouse,
    options: AccessOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 30_000;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), options.keyUseFlushMs ?? 60_000);
    this.timer.unref();
  }

  /** The principal of an API key, or null when it is unknown or revoked. */
  async fromKey(key: string): Promise<Principal | null> {
    let hit = this.keys.get(key);
    if (!hit || hit.until <= Date.now()) {
      const found = await findKey(this.wh, key);
      const principal: Principal | null = found
        ? {
            kind: 'key',
            id: found.keyId,
            name: found.name,
            projectId: found.projectId,
            role: null,
            scopes: found.scopes.filter(isScope),
          }
        : null;
      if (this.keys.size > 10_000) this.keys.clear();
      hit = { principal, until: Date.now() + this.cacheMs };
      this.keys.set(key, hit);
    }
    if (hit.principal) this.keyUse.set(hit.principal.id, Date.now());
    return hit.principal;
  }

  /** The user of a session token and their roles; PW_AUTH_INVALID_SESSION when it is not live. */
  async fromSession(token: string): Promise<SessionIdentity> {
    let hit = this.sessions.get(token);
    if (!hit || hit.until <= Date.now()) {
      const user = await findSessionUser(this.wh, token);
      const identity = user ? { user, memberships: await membershipsOf(this.wh, user.userId) } : null;
      if (this.sessions.size > 10_000) this.sessions.clear();
      hit = { identity, until: Date.now() + this.cacheMs };
      this.sessions.set(token, hit);
    }
    if (!hit.identity) throw new PathwiseError('PW_AUTH_INVALID_SESSION');
    return hit.identity;
  }

  /** Forgets cached keys and sessions (after a revocation, grant, logout or password change). */
  invalidate(): void {
    this.keys.clear();
    this.sessions.clear();
  }

  /** Writes the keys' last-use times gathered since the last flush, in one statement. */
  async flush(): Promise<void> {
    if (this.keyUse.size === 0) return;
    const batch = new Map(this.keyUse);
    this.keyUse.clear();
    await recordKeyUse(this.wh, batch);
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
