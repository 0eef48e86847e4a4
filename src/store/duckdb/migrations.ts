import { EVENT_COLUMNS } from '../../core/index.js';
import { ACCESS_STATEMENTS } from './migration-access.js';
import { SUBJECTS_STATEMENTS } from './migration-subjects.js';

const SQL_TYPE = { string: 'VARCHAR', timestamp: 'TIMESTAMP', json: 'JSON' } as const;

// Version 1's events table: later columns arrive through their own migration's ALTER TABLE.
const eventColumnsDdl = EVENT_COLUMNS.filter((c) => (c.sinceVersion ?? 1) === 1)
  .map(
    (c) =>
      `${c.name} ${SQL_TYPE[c.kind]}${c.name === 'project_id' || c.name === 'message_id' ? ' NOT NULL' : ''}`,
  )
  .join(',\n  ');

/** Migration 2 (identity and sessions); the tables are described in README, "Store". */
const IDENTITY_SESSIONS_STATEMENTS: readonly string[] = [
  'ALTER TABLE events ADD COLUMN person_id VARCHAR',
  'ALTER TABLE events ADD COLUMN client_session_id VARCHAR',
  // Until now session_id held only what the client sent: keep it recoverable.
  'UPDATE events SET client_session_id = session_id',
  'ALTER TABLE projects ADD COLUMN session_timeout_sec INTEGER DEFAULT 1800',
  'ALTER TABLE projects ADD COLUMN session_split_at_midnight BOOLEAN DEFAULT false',
  // NULL means no goals: a list DEFAULT ([]) breaks DuckDB's WAL replay after a crash (1.5).
  'ALTER TABLE projects ADD COLUMN session_goal_events VARCHAR[]',
  `CREATE TABLE person_distinct_ids (
  project_id VARCHAR NOT NULL,
  distinct_id VARCHAR NOT NULL,
  person_id VARCHAR NOT NULL,
  valid_from TIMESTAMP,
  valid_to TIMESTAMP
)`,
  `CREATE TABLE persons (
  project_id VARCHAR NOT NULL,
  person_id VARCHAR NOT NULL,
  distinct_ids VARCHAR[] NOT NULL,
  is_identified BOOLEAN NOT NULL,
  first_seen TIMESTAMP NOT NULL,
  last_seen TIMESTAMP NOT NULL,
  event_count BIGINT NOT NULL,
  traits JSON,
  initial_referrer VARCHAR,
  initial_referrer_domain VARCHAR,
  initial_utm_source VARCHAR,
  initial_utm_medium VARCHAR,
  initial_utm_campaign VARCHAR,
  initial_utm_term VARCHAR,
  initial_utm_content VARCHAR,
  initial_channel VARCHAR,
  initial_landing_url VARCHAR,
  initial_landing_path VARCHAR,
  initial_device_type VARCHAR,
  initial_browser VARCHAR,
  initial_os VARCHAR,
  initial_country VARCHAR
)`,
  `CREATE TABLE sessions (
  project_id VARCHAR NOT NULL,
  session_id VARCHAR NOT NULL,
  person_id VARCHAR NOT NULL,
  is_client_session BOOLEAN NOT NULL,
  start_ts TIMESTAMP NOT NULL,
  end_ts TIMESTAMP NOT NULL,
  duration_sec DOUBLE NOT NULL,
  event_count BIGINT NOT NULL,
  pageview_count BIGINT NOT NULL,
  is_bounce BOOLEAN NOT NULL,
  entry_url VARCHAR,
  entry_path VARCHAR,
  exit_url VARCHAR,
  exit_path VARCHAR,
  referrer VARCHAR,
  referrer_domain VARCHAR,
  utm_source VARCHAR,
  utm_medium VARCHAR,
  utm_campaign VARCHAR,
  utm_term VARCHAR,
  utm_content VARCHAR,
  channel VARCHAR,
  device_type VARCHAR,
  browser VARCHAR,
  os VARCHAR,
  country VARCHAR,
  goals VARCHAR[] NOT NULL
)`,
];

/** Migration 3 (experiments): definitions as validated JSON, one row per project and key. */
const EXPERIMENTS_STATEMENTS: readonly string[] = [
  `CREATE TABLE experiments (
  project_id VARCHAR NOT NULL,
  experiment_key VARCHAR NOT NULL,
  definition JSON NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (project_id, experiment_key)
)`,
];

/**
 * Migration 4 (models): trained models per project, one row per name and version; the weights
 * are bytes in the model kind's own format (README, "Store").
 */
const MODELS_STATEMENTS: readonly string[] = [
  `CREATE TABLE models (
  project_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  kind VARCHAR NOT NULL,
  spec JSON NOT NULL,
  train_from TIMESTAMP,
  train_to TIMESTAMP,
  test_from TIMESTAMP,
  test_to TIMESTAMP,
  metrics JSON,
  params JSON NOT NULL,
  weights BLOB,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (project_id, name, version)
)`,
];

/** Migration 5 (saved insights and dashboards); README "Store" describes the tables. */
const SAVED_INSIGHTS_STATEMENTS: readonly string[] = [
  // No PRIMARY KEY: ids are random, and DuckDB turns an UPDATE of an indexed table into
  // delete + insert, which a key constraint can trip over within one transaction.
  `CREATE TABLE saved_insights (
  project_id VARCHAR NOT NULL,
  insight_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  description VARCHAR,
  kind VARCHAR NOT NULL,
  spec JSON NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
)`,
  `CREATE TABLE dashboards (
  project_id VARCHAR NOT NULL,
  dashboard_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  description VARCHAR,
  tiles JSON NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
)`,
];

/**
 * Migration 8 (incremental persons and sessions): the order key (time, then a hash of the
 * message id) of the event each first-touch, entry, exit, landing and device attribute came
 * from, and a session's count of interactions, so that new rows need only be compared with
 * them. Rows from before this migration have NULL keys and are counted again when they change.
 */
const ORDER_KEYS_STATEMENTS: readonly string[] = [
  ...['initial_landing_key', 'initial_device_type_key', 'initial_browser_key', 'initial_os_key']
    .concat(['initial_country_key'])
    .map((c) => `ALTER TABLE persons ADD COLUMN ${c} HUGEINT`),
  ...['entry_key', 'exit_key', 'landing_key', 'device_type_key', 'browser_key', 'os_key', 'country_key'].map(
    (c) => `ALTER TABLE sessions ADD COLUMN ${c} HUGEINT`,
  ),
  'ALTER TABLE sessions ADD COLUMN interaction_count BIGINT',
];

/** A versioned schema change; migrations run in order on open and are recorded in schema_migrations. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** Every migration, oldest first. Never edit one that has shipped: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'projects, keys, events, rejected events',
    statements: [
      `CREATE TABLE projects (
  project_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL UNIQUE,
  time_zone VARCHAR NOT NULL DEFAULT 'UTC',
  created_at TIMESTAMP NOT NULL
)`,
      `CREATE TABLE api_keys (
  key_id VARCHAR PRIMARY KEY,
  project_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  scopes VARCHAR[] NOT NULL,
  key_hash VARCHAR NOT NULL UNIQUE,
  key_prefix VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  revoked_at TIMESTAMP
)`,
      `CREATE TABLE events (\n  ${eventColumnsDdl}\n)`,
      `CREATE TABLE rejected_events (
  project_id VARCHAR,
  received_at TIMESTAMP NOT NULL,
  source VARCHAR NOT NULL,
  batch_index INTEGER,
  code VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  raw VARCHAR NOT NULL
)`,
    ],
  },
  {
    version: 2,
    name: 'identity and sessions: persons, distinct id map, sessions, session settings',
    statements: IDENTITY_SESSIONS_STATEMENTS,
  },
  { version: 3, name: 'experiments: definitions', statements: EXPERIMENTS_STATEMENTS },
  {
    version: 4,
    name: 'models: trained models with version, spec, ranges, metrics, weights',
    statements: MODELS_STATEMENTS,
  },
  { version: 5, name: 'saved insights and dashboards', statements: SAVED_INSIGHTS_STATEMENTS },
  {
    version: 6,
    name: 'access: scoped keys with last use, users, project roles, sessions, audit log, secrets',
    statements: ACCESS_STATEMENTS,
  },
  {
    version: 7,
    name: 'privacy: settings, opt-outs, deletion log, cookieless salts, retention runs',
    statements: SUBJECTS_STATEMENTS,
  },
  {
    version: 8,
    name: 'persons and sessions: order keys of the events their attributes come from',
    statements: ORDER_KEYS_STATEMENTS,
  },
];
