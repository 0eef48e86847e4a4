/**
 * Migration 7: data subject rights and minimization (README, "Privacy"; PRIVACY.md). Lists stay
 * nullable without a DEFAULT: a list DEFAULT breaks DuckDB's WAL replay after a crash (1.5).
 */
export const SUBJECTS_STATEMENTS: readonly string[] = [
  // NULL: the defaults of DEFAULT_PRIVACY_SETTINGS.
  'ALTER TABLE projects ADD COLUMN privacy_settings JSON',
  // One row per id of an opted-out person; kept when the person is deleted, so the opt-out holds.
  `CREATE TABLE person_opt_outs (
  project_id VARCHAR NOT NULL,
  distinct_id VARCHAR NOT NULL,
  person_id VARCHAR NOT NULL,
  opted_out_at TIMESTAMP NOT NULL,
  source VARCHAR NOT NULL
)`,
  // Events dropped because their person opted out, per project and UTC day.
  `CREATE TABLE opt_out_drops (
  project_id VARCHAR NOT NULL,
  day DATE NOT NULL,
  events BIGINT NOT NULL,
  PRIMARY KEY (project_id, day)
)`,
  // The erasure log holds no deleted data: a hash of the person id and row counts.
  `CREATE TABLE person_deletions (
  deletion_id VARCHAR NOT NULL,
  project_id VARCHAR NOT NULL,
  person_hash VARCHAR NOT NULL,
  requested_by VARCHAR NOT NULL,
  deleted_at TIMESTAMP NOT NULL,
  row_counts JSON NOT NULL,
  duration_ms DOUBLE NOT NULL
)`,
  // Cookieless mode: today's salt only; older salts are deleted when the day turns.
  `CREATE TABLE cookieless_salts (
  day DATE PRIMARY KEY,
  salt VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL
)`,
  `CREATE TABLE retention_runs (
  project_id VARCHAR NOT NULL,
  ran_at TIMESTAMP NOT NULL,
  cutoff TIMESTAMP NOT NULL,
  events_deleted BIGINT NOT NULL,
  rejected_deleted BIGINT NOT NULL
)`,
];
