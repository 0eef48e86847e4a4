/** The append-only, hash-chained audit log. */
export {
  type AuditActor,
  type AuditEntry,
  type AuditFilter,
  type AuditRecord,
  appendAudit,
  listAudit,
  redactSecrets,
  subjectTarget,
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
/** Privacy: data subject rights, minimization at ingest, retention, k-anonymity (README, "Privacy"). */

// --- Data subject rights, minimization, retention, k-anonymity (issue 12, part 2) ---
/** k-anonymity by generalization and suppression (pure), its hierarchies, and shareable results. */
export {
  ageBands,
  coarseLocation,
  type GroupRow,
  type Hierarchy,
  type KAnonymityOptions,
  type KAnonymityResult,
  kAnonymize,
  type QuasiValue,
  valueOrAny,
} from './k-anonymity.js';
export { hierarchyFor, type ShareableInfo, shareableFunnel, shareablePersons } from './k-share.js';
/** IP truncation (IPv4 last octet, IPv6 last 80 bits) and the stored-address rule of a mode. */
export { storedIpRule, truncateIp } from './minimize-ip.js';
/** Masking rules: keys and value patterns (emails, card numbers, phone numbers, regexes). */
export { compileMasker, isLuhnValid, MASKED, type Masker } from './minimize-mask.js';
/** The ingest policy: compiled minimization rules per project and the opt-out screen. */
export { type CompiledRules, type PolicyOptions, PrivacyPolicy } from './minimize-policy.js';
/** Cookieless ids: a hash of the day's salt, project, IP and user agent; salts rotate daily. */
export { cookielessId, SaltStore } from './minimize-salts.js';
/** Retention: deletes raw rows past each project's retention. */
export { type RetentionOutcome, runRetention } from './retention.js';
/** GDPR erasure: every person-keyed table rewritten, logged, checkpointed and scrubbed. */
export {
  type DeletionReport,
  type ErasureResult,
  eraseSubjects,
  KEPT_ON_ERASURE,
  personHash,
} from './subject-delete.js';
/** DSAR export: every stored row about a person, per table. */
export { exportSubject, type SubjectExport } from './subject-export.js';
/** The opt-out set (memory and `person_opt_outs`). */
export { type OptOut, OptOutRegistry, type OptOutSource } from './subject-opt-out.js';
/** Resolving an id to a data subject. */
export { resolveSubject, type Subject } from './subject-person.js';
/** Overwriting freed blocks of the database file. */
export { type ScrubReport, scrubFreeBlocks } from './subject-scrub.js';
/** Tables with a person key or a raw payload, read from the schema. */
export { type PersonTable, personTables, subjectWhere } from './subject-tables.js';
// --- end of part 2 ---
