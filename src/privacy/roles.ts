import { PathwiseError } from '../core/index.js';

/**
 * What a key or a user may do. `ingest` sends events (write keys only: they ship inside web
 * pages); `view` reads saved dashboards; `query` runs insights and other aggregate reads;
 * `export` downloads data; `pii` sees person-level data (profiles, raw events and properties,
 * raw SQL, raw exports); `admin` manages users, keys and settings and reads the audit log.
 */
export const SCOPES = ['ingest', 'view', 'query', 'export', 'pii', 'admin'] as const;

/** One scope of SCOPES. */
export type Scope = (typeof SCOPES)[number];

/** A user's role in one project, most powerful first. */
export const ROLES = ['owner', 'admin', 'analyst', 'viewer'] as const;

/** One role of ROLES. */
export type Role = (typeof ROLES)[number];

/**
 * The roles × scopes matrix (README, "Access"). `pii` is granted per member on top of the role
 * (owners always hold it; viewers never can); no role ingests: events come with write keys.
 */
export const ROLE_SCOPES: { readonly [R in Role]: readonly Scope[] } = {
  owner: ['view', 'query', 'export', 'pii', 'admin'],
  admin: ['view', 'query', 'export', 'admin'],
  analyst: ['view', 'query', 'export'],
  viewer: ['view'],
};

/** Roles that may hold the `pii` permission on top of their scopes. */
export const PII_ROLES: readonly Role[] = ['owner', 'admin', 'analyst'];

/** True when a string is a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when a string is a scope. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The scopes of a member: the role's, plus `pii` when granted (owners always have it). */
export function scopesOf(role: Role, hasPii: boolean): Scope[] {
  const scopes = [...ROLE_SCOPES[role]];
  if (hasPii && PII_ROLES.includes(role) && !scopes.includes('pii')) scopes.push('pii');
  return scopes;
}

/** Checks a role and pii flag and returns the effective pii flag (owners always hold it). */
export function checkGrant(role: string, hasPii: boolean): { role: Role; hasPii: boolean } {
  if (!isRole(role))
    throw new PathwiseError('PW_USER_INVALID', { reason: `no role "${role}" (${ROLES.join(', ')})` });
  if (hasPii && !PII_ROLES.includes(role))
    throw new PathwiseError('PW_USER_INVALID', {
      reason: `a ${role} sees saved dashboards only and cannot hold pii`,
    });
  return { role, hasPii: role === 'owner' || hasPii };
}

/** Rank for grants: a member may grant roles up to their own; only owners grant owner. */
export function roleRank(role: Role): number {
  return ROLES.length - ROLES.indexOf(role);
}

/** Parses a comma-separated or listed set of key scopes: known, deduplicated, ingest alone. */
export function parseKeyScopes(input: string | readonly string[]): Scope[] {
  const raw = typeof input === 'string' ? input.split(',') : [...input];
  const names = [...new Set(raw.map((s) => s.trim()).filter((s) => s !== ''))];
  const unknown = names.filter((s) => !isScope(s));
  if (unknown.length > 0)
    throw new PathwiseError('PW_KEY_INVALID_SCOPES', {
      reason: `unknown scope ${unknown.map((s) => `"${s}"`).join(', ')} (${SCOPES.join(', ')})`,
    });
  if (names.length === 0)
    throw new PathwiseError('PW_KEY_INVALID_SCOPES', { reason: 'a key needs at least one scope' });
  // A write key is public (it sits in web pages): it must not also read (README, "Access").
  if (names.includes('ingest') && names.length > 1)
    throw new PathwiseError('PW_KEY_INVALID_SCOPES', {
      reason: '"ingest" keys are public and take no other scope',
    });
  return names as Scope[];
}
