/** The append-only, hash-chained audit log. */
export {
  type AuditActor,
  type AuditEntry,
  type AuditFilter,
  type AuditRecord,
  appendAudit,
  listAudit,
  redactSecrets,
  verifyAudit,
} from './audit.js';
/** Scoped API keys, issued by admins within their own powers. */
export { createKey, listKeys, revokeKey } from './keys.js';
/** scrypt password hashing. */
export {
  generatePassword,
  hashPassword,
  SCRYPT_DEFAULTS,
  type ScryptCost,
  verifyPassword,
} from './passwords.js';
/** Principals (key, user, CLI), their resolution and caches. */
export {
  AccessControl,
  type AccessOptions,
  choosePrincipal,
  cliPrincipal,
  memberPrincipal,
  type Principal,
  type SessionIdentity,
} from './principal.js';
/** Raw SQL over one project's rows, in a sandbox. */
export { type ProjectSqlResult, runProjectSql, SQL_LIMITS, SQL_TABLES } from './raw-sql.js';
/** Roles, scopes and the matrix between them. */
export {
  checkGrant,
  isRole,
  isScope,
  PII_ROLES,
  parseKeyScopes,
  ROLE_SCOPES,
  ROLES,
  type Role,
  SCOPES,
  type Scope,
  scopesOf,
} from './roles.js';
/** Server secrets kept in the database (the cookie signing key). */
export { ensureSecret } from './secrets.js';
/** Login sessions. */
export { checkLogin, endSession, findSessionUser, SESSION_TTL_MS, startSession } from './sessions.js';
/** The SQL guard (exported for tests and tools). */
export { planSandboxTables } from './sql-guard.js';
/** Users and their per-project roles. */
export {
  createMember,
  createUser,
  findUser,
  grantRole,
  listMembers,
  type Membership,
  membershipsOf,
  revokeRole,
  setPassword,
  type User,
} from './users.js';
