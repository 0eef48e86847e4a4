/**
 * One registry of error codes: `PW_<AREA>_<WHAT>` → HTTP status and message template.
 * Throw sites name a code; only the server's error handler turns a code into a status.
 */
export const ERROR_CODES = {
  PW_CONFIG_INVALID: { status: 400, message: 'invalid configuration: {reason}' },
  PW_AUTH_MISSING_KEY: {
    status: 401,
    message:
      'no key: send it as the HTTP Basic username or a Bearer token (ingest also takes "writeKey" in the body)',
  },
  PW_AUTH_INVALID_KEY: { status: 401, message: 'the key is not valid for any project' },
  PW_AUTH_WRONG_SCOPE: {
    status: 403,
    message: 'missing scope "{scope}": neither this key nor this user\'s role in the project grants it',
  },
  PW_INGEST_MALFORMED_JSON: { status: 400, message: 'the body is not valid JSON: {reason}' },
  PW_INGEST_BODY_TOO_LARGE: {
    status: 413,
    message: 'the body is over {limitBytes} bytes (after decompression)',
  },
  PW_INGEST_BAD_ENCODING: { status: 400, message: 'the body could not be decompressed: {reason}' },
  PW_INGEST_UNSUPPORTED_MEDIA: { status: 415, message: 'unsupported content type "{contentType}"' },
  PW_INGEST_ALL_REJECTED: { status: 400, message: 'every event in the request was rejected' },
  PW_INGEST_NOT_A_BATCH: { status: 400, message: 'a batch body needs "batch": an array of messages' },
  PW_INGEST_SHUTTING_DOWN: { status: 503, message: 'the server is shutting down; retry' },
  PW_INGEST_COMMIT_FAILED: { status: 503, message: 'the events could not be committed; retry: {reason}' },
  PW_IMPORT_UNKNOWN_FORMAT: {
    status: 400,
    message: 'cannot tell the format of "{file}"; use --format jsonl|csv|parquet',
  },
  PW_IMPORT_FILE_NOT_FOUND: { status: 404, message: 'no file at "{file}"' },
  PW_PROJECT_NOT_FOUND: { status: 404, message: 'no project "{project}"' },
  PW_PROJECT_EXISTS: { status: 409, message: 'a project named "{name}" already exists' },
  PW_STORE_LOCKED: {
    status: 503,
    message:
      'the database "{path}" is open read-write in another process ({reason}); stop it or use another --db',
  },
  PW_STORE_OPEN_FAILED: { status: 500, message: 'could not open the database "{path}": {reason}' },
  PW_STORE_READ_ONLY: { status: 400, message: 'only read-only SQL is allowed here: {reason}' },
  PW_STORE_SQL_ERROR: { status: 400, message: 'the SQL failed: {reason}' },
  PW_EXPORT_BAD_RANGE: { status: 400, message: 'invalid date "{value}" for {option}' },
  PW_PERSON_NOT_FOUND: { status: 404, message: 'no person or distinct id "{id}"' },
  PW_QUERY_INVALID_SPEC: { status: 400, message: 'the insight spec is invalid: {reason}' },
  PW_QUERY_BAD_RANGE: { status: 400, message: 'invalid date range: "{value}" for {option}' },
  PW_QUERY_FAILED: { status: 500, message: 'the query failed in the store: {reason}' },
  PW_QUERY_UNKNOWN_KIND: { status: 400, message: 'no insight of kind "{kind}"' },
  PW_INSIGHT_NOT_FOUND: { status: 404, message: 'no saved insight "{id}"' },
  PW_DASHBOARD_NOT_FOUND: { status: 404, message: 'no dashboard "{id}"' },
  PW_DASHBOARD_BAD_TILE: { status: 400, message: 'a tile names "{id}", which is not a saved insight' },
  PW_STATS_INVALID_INPUT: { status: 400, message: 'invalid input for the statistics: {reason}' },
  PW_EXPERIMENT_INVALID: { status: 400, message: 'the experiment definition is invalid: {reason}' },
  PW_EXPERIMENT_EXISTS: { status: 409, message: 'an experiment with key "{key}" already exists' },
  PW_EXPERIMENT_NOT_FOUND: { status: 404, message: 'no experiment with key "{key}"' },
  PW_DIAGNOSE_INVALID_SPEC: { status: 400, message: 'the diagnosis spec is invalid: {reason}' },
  PW_ATTRIBUTION_BAD_SPEND: { status: 400, message: 'invalid spend: {reason}' },
  PW_AUTH_BAD_LOGIN: { status: 401, message: 'wrong user name or password' },
  PW_AUTH_INVALID_SESSION: {
    status: 401,
    message: 'the session cookie is invalid, expired or logged out: log in again',
  },
  PW_AUTH_NOT_A_MEMBER: { status: 403, message: 'you have no role in project "{project}"' },
  PW_AUTH_PROJECT_REQUIRED: {
    status: 400,
    message:
      'you have roles in several projects: name one with the x-pathwise-project header or ?project= ({projects})',
  },
  PW_AUTH_FORBIDDEN_GRANT: { status: 403, message: 'not allowed: {reason}' },
  PW_USER_NOT_FOUND: { status: 404, message: 'no user "{user}"' },
  PW_USER_EXISTS: { status: 409, message: 'a user named "{user}" already exists' },
  PW_USER_INVALID: { status: 400, message: 'invalid user or role: {reason}' },
  PW_KEY_NOT_FOUND: { status: 404, message: 'no key "{keyId}" in this project' },
  PW_KEY_INVALID_SCOPES: { status: 400, message: 'invalid key scopes: {reason}' },
  PW_SQL_NOT_ALLOWED: {
    status: 400,
    message: 'only one SELECT over the project tables ({tables}) is allowed: {reason}',
  },
  PW_SQL_TIMEOUT: { status: 400, message: 'the SQL ran past its time limit of {timeoutMs} ms' },
  PW_AUDIT_TAMPERED: { status: 500, message: 'the audit log chain is broken at seq {seq}: {reason}' },
  PW_MODEL_NOT_FOUND: { status: 404, message: 'no model "{name}"{version}' },
  PW_MODEL_INVALID_SPEC: { status: 400, message: 'the model spec is invalid: {reason}' },
  PW_MODEL_NO_DATA: { status: 422, message: 'not enough data to train: {reason}' },
  PW_MODEL_JOB_NOT_FOUND: { status: 404, message: 'no training job "{jobId}"' },
  PW_MODEL_INVALID_CANDIDATES: { status: 400, message: 'the candidates to score are invalid: {reason}' },
  PW_PRIVACY_NOT_SHAREABLE: { status: 400, message: 'this result cannot be made shareable: {reason}' },
  PW_NOT_FOUND: { status: 404, message: 'no route {method} {url}' },
  PW_REQUEST_INVALID: { status: 400, message: 'the request is invalid: {reason}' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code from the registry. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Details that fill the message template and travel in the error body. */
export type ErrorDetails = Record<string, unknown>;

/** An error with a stable code; the server maps it to status and `{ code, message, details }`. */
export class PathwiseError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  readonly status: number;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    const entry = ERROR_CODES[code];
    super(formatMessage(entry.message, details), options);
    this.name = 'PathwiseError';
    this.code = code;
    this.details = details;
    this.status = entry.status;
  }
}

function formatMessage(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = details[key];
    return value === undefined ? `{${key}}` : String(value);
  });
}

/** True when a value is a PathwiseError (also across module copies). */
export function isPathwiseError(value: unknown): value is PathwiseError {
  return value instanceof PathwiseError;
}
