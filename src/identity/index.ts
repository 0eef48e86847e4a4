/** Pure identity rules: link evidence in, distinct id → person mappings out. */

/** Recomputes persons rows (first/last seen, traits, first-touch) for what a pass touched; the recounted persons' rows stay in temp tables. */
export { PERSON_ROWS_TABLE, PERSON_TARGETS_TABLE, refreshPersons } from './persons.js';
/** One pass of identity resolution over new rows or a whole project, and the temp tables it leaves. */
export { CHANGED_PERSONS_TABLE, type IdentityPass, NEW_EVENTS_TABLE, resolvePersons } from './process.js';
/** A person's profile, looked up by person id or any of its distinct ids. */
export { findPerson, type PersonProfile } from './profile.js';
export {
  type DeviceSwitch,
  type DistinctIdMapping,
  resolveIdentities,
  type UserAlias,
} from './resolve.js';
/** Persons whose ids or traits contain a text (the dashboard's people search). */
export { type PersonSearch, type PersonSearchOptions, searchPersons } from './search.js';
