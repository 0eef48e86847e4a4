import type { EventRow, RejectedRow } from '../core/index.js';

/**
 * A project's minimization rules, applied while a message is normalized (README, "Privacy").
 * The privacy module implements them; ingest only calls them, at fixed points.
 */
export interface MinimizeRules {
  /** Masks a JSON object (properties, traits, context) before it is stored; the same object when nothing matched. */
  readonly maskObject?: (value: Record<string, unknown>) => Record<string, unknown>;
  /** The address to store, given the one the country was looked up from; null stores none. */
  readonly storedIp?: (ip: string) => string | null;
  /**
   * Cookieless mode: the anonymous id that replaces the client's, from the unminimized address
   * and user agent and the receipt time (which picks the day's salt).
   */
  readonly cookielessId?: (ip: string | null, userAgent: string | null, receivedAtUs: number) => string;
}

/** What screening kept of a submission. */
export interface Screened {
  readonly events: EventRow[];
  readonly rejected: RejectedRow[];
  /** Events dropped because their person opted out (or that were opt-out calls). */
  readonly optedOut: number;
}

/**
 * Privacy rules at ingest: minimization per message, then a screen over each submission before
 * it is queued for commit (opt-outs, masking of rejected payloads).
 */
export interface IngestPolicy {
  /** A project's rules, or null when it has none (the fast path); called once per request or chunk. */
  rulesFor(projectId: string): MinimizeRules | null;
  /** Removes what must not be stored; resolves once the opt-outs it learned are durable. */
  screen(events: EventRow[], rejected: RejectedRow[]): Promise<Screened>;
}
