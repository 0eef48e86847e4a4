import { quoteIdent } from '../../../store/index.js';
import type { Expr, Field, Scope } from '../../plan/nodes.js';
import type { CountBy, Interval } from '../../spec/common.js';
import type { SqlOut } from '../sql-out.js';

/**
 * The unit keys, in one place (the contract with identity and sessions): a person is the
 * resolved person (identity's `events.person_id`); a row the background pass has not
 * processed yet counts under its distinct id (README, "Identity and sessions").
 */
export const UNIT_KEY: { readonly [K in CountBy]: string } = {
  person: 'coalesce(person_id, distinct_id)',
  session: 'session_id',
};

/** Calendar steps as SQL interval literals (the keys are a closed enum, never user text). */
export const INTERVAL_SQL: { readonly [K in Interval]: string } = {
  hour: 'INTERVAL 1 HOUR',
  day: 'INTERVAL 1 DAY',
  week: 'INTERVAL 7 DAY',
  month: 'INTERVAL 1 MONTH',
};

/** An instant column (UTC TIMESTAMP) as wall time in the bound zone. */
export function localTime(ts: string, tzParam: string): string {
  return `((${ts} AT TIME ZONE 'UTC') AT TIME ZONE ${tzParam})`;
}

/** The start of the calendar bucket (in the zone) that holds an instant. */
export function bucketOf(ts: string, interval: Interval, o: SqlOut, tz: string): string {
  return `date_trunc(${o.bind(interval)}, ${localTime(ts, tz)})`;
}

/** Local wall time formatted without a zone suffix: results carry the zone separately. */
export function wallText(localTs: string): string {
  return `strftime(${localTs}, '%Y-%m-%dT%H:%M:%S')`;
}

/** JSON pointer for a top-level property: `~` and `/` escaped per RFC 6901. */
export function jsonPointer(name: string): string {
  return `/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/**
 * The row of the event's person or session, for a correlated subquery from `events`: every
 * emitter reads `FROM events` unaliased, so `events.*` names the outer row. An aggregate keeps
 * the subquery scalar; DuckDB decorrelates it into one hash join.
 */
const RELATED = {
  person: (value: string) =>
    `(SELECT min(${value}) FROM persons pw_rel WHERE pw_rel.project_id = events.project_id AND pw_rel.person_id = events.person_id)`,
  session: (value: string) =>
    `(SELECT min(${value}) FROM sessions pw_rel WHERE pw_rel.project_id = events.project_id AND pw_rel.session_id = events.session_id)`,
};

/**
 * A field's value as text: property paths are bound, column names quoted. Person and session
 * fields read the derived tables, so events the background pass has not processed yet have none.
 */
export function fieldSql(f: Field, o: SqlOut): string {
  switch (f.kind) {
    case 'prop':
      return `json_extract_string(properties, ${o.bind(jsonPointer(f.name))})`;
    case 'column':
      return quoteIdent(f.name);
    case 'personTrait':
      // Traits are stored as {name: {value, set_at}} (README, "Store": persons).
      return RELATED.person(`json_extract_string(pw_rel.traits, ${o.bind(`${jsonPointer(f.name)}/value`)})`);
    case 'person':
      return RELATED.person(`CAST(pw_rel.${quoteIdent(f.name)} AS VARCHAR)`);
    case 'session':
      return RELATED.session(`CAST(pw_rel.${quoteIdent(f.name)} AS VARCHAR)`);
  }
}

/** A numeric property value; text that is not a number reads as NULL. */
export function numberSql(property: string, o: SqlOut): string {
  return `TRY_CAST(${fieldSql({ kind: 'prop', name: property }, o)} AS DOUBLE)`;
}

/** The rows of one project in the scope's half-open range. */
export function scopeWhere(s: Scope, o: SqlOut): string {
  return `project_id = ${o.bind(s.projectId)} AND "timestamp" >= ${o.bind({ timestampUs: s.fromUs })} AND "timestamp" < ${o.bind({ timestampUs: s.toUs })}`;
}

export type { Expr };
