/** Limits of the ingestion edge (issue: foundation; Segment's own limits are 32 KB and 500 KB). */
export const LIMITS = {
  maxEventBytes: 32 * 1024,
  maxBodyBytes: 500 * 1024,
  /** Events dated before this are rejected (2000-01-01T00:00:00Z). */
  minTimestampUs: Date.UTC(2000, 0, 1) * 1000,
  /** Events dated more than this after their receipt are rejected. */
  maxFutureUs: 24 * 3_600_000_000,
  /** How long a messageId is remembered for dedup, at least. */
  dedupHorizonUs: 7 * 86_400_000_000,
} as const;

/** Defaults of `pathwise serve`. */
export const SERVER_DEFAULTS = { port: 8000, host: '127.0.0.1', db: './pathwise.duckdb' } as const;
