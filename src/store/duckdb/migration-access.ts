/**
 * Migration 6 (access control): named, scoped keys with last use; users, per-project roles,
 * login sessions, the append-only audit log and server secrets. README, "Store", describes them.
 */
export const ACCESS_STATEMENTS: readonly string[] = [
  'ALTER TABLE api_keys ADD COLUMN name VARCHAR',
  'ALTER TABLE api_keys ADD COLUMN created_by VARCHAR',
  'ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMP',
  // Read keys made before roles existed also read saved dashboards, as new ones do.
  "UPDATE api_keys SET scopes = list_prepend('view', scopes) WHERE kind = 'read' AND NOT list_contains(scopes, 'view')",
  `CREATE TABLE users (
  user_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL UNIQUE,
  password_hash VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  password_changed_at TIMESTAMP NOT NULL
)`,
  `CREATE TABLE project_members (
  project_id VARCHAR NOT NULL,
  user_id VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  has_pii BOOLEAN NOT NULL,
  granted_at TIMESTAMP NOT NULL,
  granted_by VARCHAR NOT NULL,
  PRIMARY KEY (project_id, user_id)
)`,
  `CREATE TABLE auth_sessions (
  token_hash VARCHAR PRIMARY KEY,
  user_id VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  revoked_at TIMESTAMP,
  address VARCHAR
)`,
  `CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  logged_at TIMESTAMP NOT NULL,
  project_id VARCHAR,
  actor_kind VARCHAR NOT NULL,
  actor_id VARCHAR,
  actor_name VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  target VARCHAR,
  detail JSON,
  status INTEGER,
  row_count BIGINT,
  address VARCHAR,
  prev_hash VARCHAR NOT NULL,
  row_hash VARCHAR NOT NULL
)`,
  `CREATE TABLE server_secrets (
  name VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL
)`,
];
