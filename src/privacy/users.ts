import { PathwiseError, randomToken } from '../core/index.js';
import { findProject, type Row, type Warehouse } from '../store/index.js';
import { checkPasswordStrength, hashPassword, type ScryptCost } from './passwords.js';
import type { Principal } from './principal.js';
import { checkGrant, type Role, roleRank, scopesOf } from './roles.js';

/** A user account (global; roles are per project). */
export interface User {
  readonly userId: string;
  readonly name: string;
  readonly createdAt: string;
}

/** A user's role in one project. */
export interface Membership {
  readonly projectId: string;
  readonly projectName: string;
  readonly userId: string;
  readonly userName: string;
  readonly role: Role;
  readonly hasPii: boolean;
  readonly scopes: readonly string[];
  readonly grantedAt: string;
  readonly grantedBy: string;
}

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;

function toMembership(row: Row): Membership {
  const role = checkGrant(String(row.role), row.has_pii === true);
  return {
    projectId: String(row.project_id),
    projectName: String(row.project_name),
    userId: String(row.user_id),
    userName: String(row.user_name),
    role: role.role,
    hasPii: role.hasPii,
    scopes: scopesOf(role.role, role.hasPii),
    grantedAt: String(row.granted_at),
    grantedBy: String(row.granted_by),
  };
}

/** Creates a user account; PW_USER_EXISTS when the name is taken. */
export async function createUser(
  wh: Warehouse,
  name: string,
  password: string,
  options: { cost?: ScryptCost } = {},
): Promise<User> {
  if (!NAME.test(name))
    throw new PathwiseError('PW_USER_INVALID', { reason: 'a user name is 1–64 of A-Z a-z 0-9 . _ @ -' });
  checkPasswordStrength(password);
  if (await findUser(wh, name)) throw new PathwiseError('PW_USER_EXISTS', { user: name });
  const userId = `u_${randomToken(12)}`;
  await wh.run({
    sql: `INSERT INTO users (user_id, name, password_hash, created_at, password_changed_at)
          VALUES ($1, $2, $3, now()::TIMESTAMP, now()::TIMESTAMP)`,
    params: [userId, name, await hashPassword(password, options.cost)],
  });
  return (await findUser(wh, name)) as User;
}

/** A user by name, with the password hash (for login); null when unknown. */
export async function findUserWithHash(
  wh: Warehouse,
  name: string,
): Promise<(User & { passwordHash: string }) | null> {
  const rows = await wh.all({ sql: 'SELECT * FROM users WHERE name = $1', params: [name] });
  const row = rows[0];
  if (!row) return null;
  return {
    userId: String(row.user_id),
    name: String(row.name),
    createdAt: String(row.created_at),
    passwordHash: String(row.password_hash),
  };
}

/** A user by name; null when unknown. */
export async function findUser(wh: Warehouse, name: string): Promise<User | null> {
  const user = await findUserWithHash(wh, name);
  return user ? { userId: user.userId, name: user.name, createdAt: user.createdAt } : null;
}

async function requireUser(wh: Warehouse, name: string): Promise<User> {
  const user = await findUser(wh, name);
  if (!user) throw new PathwiseError('PW_USER_NOT_FOUND', { user: name });
  return user;
}

/** Sets a user's password (they log in again: their sessions end). */
export async function setPassword(
  wh: Warehouse,
  name: string,
  password: string,
  cost?: ScryptCost,
): Promise<void> {
  const user = await requireUser(wh, name);
  checkPasswordStrength(password);
  await wh.run({
    sql: 'UPDATE users SET password_hash = $2, password_changed_at = now()::TIMESTAMP WHERE user_id = $1',
    params: [user.userId, await hashPassword(password, cost)],
  });
  await wh.run({
    sql: 'UPDATE auth_sessions SET revoked_at = now()::TIMESTAMP WHERE user_id = $1 AND revoked_at IS NULL',
    params: [user.userId],
  });
}

const MEMBER_SQL = `SELECT m.*, p.name AS project_name, u.name AS user_name
  FROM project_members m JOIN projects p USING (project_id) JOIN users u USING (user_id)`;

/** The members of a project, by role then name. */
export async function listMembers(wh: Warehouse, projectId: string): Promise<Membership[]> {
  const rows = await wh.all({
    sql: `${MEMBER_SQL} WHERE m.project_id = $1 ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1
            WHEN 'analyst' THEN 2 ELSE 3 END, u.name`,
    params: [projectId],
  });
  return rows.map(toMembership);
}

/** Every project role of a user. */
export async function membershipsOf(wh: Warehouse, userId: string): Promise<Membership[]> {
  const rows = await wh.all({ sql: `${MEMBER_SQL} WHERE m.user_id = $1 ORDER BY p.name`, params: [userId] });
  return rows.map(toMembership);
}

async function memberOf(wh: Warehouse, projectId: string, userId: string): Promise<Membership | null> {
  const rows = await wh.all({
    sql: `${MEMBER_SQL} WHERE m.project_id = $1 AND m.user_id = $2`,
    params: [projectId, userId],
  });
  return rows[0] ? toMembership(rows[0]) : null;
}

async function ownerCount(wh: Warehouse, projectId: string): Promise<number> {
  const rows = await wh.all({
    sql: "SELECT count(*) AS n FROM project_members WHERE project_id = $1 AND role = 'owner'",
    params: [projectId],
  });
  return Number(rows[0]?.n ?? 0);
}

/**
 * Who may change whose role: the caller needs `admin`; nobody grants above their own role
 * (only owners make owners or touch an owner); only a caller holding `pii` grants it; the
 * last owner of a project stays an owner.
 */
async function checkGrantor(
  wh: Warehouse,
  by: Principal,
  current: Membership | null,
  next: { role: Role; hasPii: boolean } | null,
): Promise<void> {
  const forbid = (reason: string) => new PathwiseError('PW_AUTH_FORBIDDEN_GRANT', { reason });
  if (!by.scopes.includes('admin')) throw new PathwiseError('PW_AUTH_WRONG_SCOPE', { scope: 'admin' });
  const rank = by.role ? roleRank(by.role) : Number.POSITIVE_INFINITY;
  if (current && roleRank(current.role) > rank) throw forbid(`a ${by.role} cannot change a ${current.role}`);
  if (next && roleRank(next.role) > rank) throw forbid(`a ${by.role} cannot grant ${next.role}`);
  if (next?.hasPii && !current?.hasPii && !by.scopes.includes('pii'))
    throw forbid('only a member holding pii can grant pii');
  const losesOwner = current?.role === 'owner' && next?.role !== 'owner';
  if (losesOwner && (await ownerCount(wh, current.projectId)) <= 1)
    throw forbid('a project keeps at least one owner');
}

/** Gives a user a role (and pii or not) in the principal's project, replacing any earlier grant. */
export async function grantRole(
  wh: Warehouse,
  by: Principal,
  userName: string,
  grant: { role: string; hasPii: boolean; projectId?: string },
): Promise<Membership> {
  const projectId = grant.projectId ?? by.projectId;
  const project = await findProject(wh, projectId);
  const user = await requireUser(wh, userName);
  const next = checkGrant(grant.role, grant.hasPii);
  await checkGrantor(wh, by, await memberOf(wh, project.projectId, user.userId), next);
  await wh.run({
    sql: `INSERT INTO project_members (project_id, user_id, role, has_pii, granted_at, granted_by)
          VALUES ($1, $2, $3, $4, now()::TIMESTAMP, $5)
          ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role, has_pii = excluded.has_pii,
            granted_at = excluded.granted_at, granted_by = excluded.granted_by`,
    params: [project.projectId, user.userId, next.role, next.hasPii, by.name],
  });
  return (await memberOf(wh, project.projectId, user.userId)) as Membership;
}

/**
 * Creates a user with a role in the principal's project, checking the grant first so that a
 * refused grant leaves no account behind.
 */
export async function createMember(
  wh: Warehouse,
  by: Principal,
  name: string,
  password: string,
  grant: { role: string; hasPii: boolean },
): Promise<Membership> {
  await checkGrantor(wh, by, null, checkGrant(grant.role, grant.hasPii));
  await createUser(wh, name, password);
  return grantRole(wh, by, name, grant);
}

/** Removes a user's role in the principal's project; PW_USER_NOT_FOUND when they have none. */
export async function revokeRole(
  wh: Warehouse,
  by: Principal,
  userName: string,
  projectId: string = by.projectId,
): Promise<Membership> {
  const user = await requireUser(wh, userName);
  const current = await memberOf(wh, projectId, user.userId);
  if (!current) throw new PathwiseError('PW_USER_NOT_FOUND', { user: `${userName} in project ${projectId}` });
  await checkGrantor(wh, by, current, null);
  await wh.run({
    sql: 'DELETE FROM project_members WHERE project_id = $1 AND user_id = $2',
    params: [projectId, user.userId],
  });
  return current;
}
