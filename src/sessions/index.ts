/** Sessionization of new rows (after identity resolution) or of a whole project. */
export { type SessionPass, type SessionProject, type SessionScope, sessionize } from './process.js';
/** The sessions query spec (TypeBox), shared by the CLI and `POST /api/query`. */
export {
  DEFAULT_HISTOGRAM_BOUNDS_SEC,
  parseSessionsQuery,
  SessionAttribute,
  SessionsQuery,
} from './spec.js';
/** Session analytics over the sessions table. */
export { runSessionsQuery, type SessionMetrics, type SessionsResult } from './stats.js';
/** A person's sessions and events, newest first, for the person timeline. */
export { listPersonTimeline, type PersonTimeline } from './timeline.js';
