import { EVENT_COLUMNS } from '../../core/index.js';

const SQL_TYPE = { string: 'VARCHAR', timestamp: 'TIMESTAMP', json: 'JSON' } as const;

const eventColumnsDdl = EVENT_COLUMNS.map(
  (c) =>
    `${c.name} ${SQL_TYPE[c.kind]}${c.name === 'project_id' || c.name === 'message_id' ? ' NOT NULL' : ''}`,
).join(',\n  ');

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
];
