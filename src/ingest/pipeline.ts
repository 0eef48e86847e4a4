import type { EventRow, MessageType, RejectedRow, RejectionCode, SegmentMessage } from '../core/index.js';
import { type Arrival, normalizeMessage } from './normalize.js';
import type { MinimizeRules } from './policy.js';
import { checkMessage, type MessageSource } from './validate.js';
import type { IngestWriter } from './writer.js';

/** One event's rejection, as reported to the sender. */
export interface Rejection {
  readonly index: number;
  readonly code: RejectionCode;
  readonly reason: string;
}

/** What became of a request's or a file chunk's events. */
export interface IngestOutcome {
  readonly received: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly Rejection[];
}

/** Checks and normalizes messages; invalid ones become rejected rows with their raw payload. */
export function prepareMessages(
  items: readonly unknown[],
  arrivalOf: (message: SegmentMessage | null) => Arrival,
  options: {
    routeType?: MessageType;
    source: string;
    firstIndex?: number;
    /** What is known of each item's text (see MessageSource). */
    sourceOf?: (index: number) => MessageSource;
    /** The project's minimization rules (also in each arrival); cookieless mode accepts messages without ids. */
    rules?: MinimizeRules | null;
  },
): { events: EventRow[]; rejectedRows: RejectedRow[]; rejections: Rejection[] } {
  const events: EventRow[] = [];
  const rejectedRows: RejectedRow[] = [];
  const rejections: Rejection[] = [];
  const rules = options.rules ?? null;
  const checkOptions = { isIdentityOptional: rules?.cookielessId !== undefined };
  items.forEach((item, i) => {
    const index = (options.firstIndex ?? 0) + i;
    const source = options.sourceOf?.(i);
    const checked = checkMessage(item, options.routeType, source, checkOptions);
    const arrival = arrivalOf(checked.isValid ? checked.message : null);
    const outcome = checked.isValid ? normalizeMessage(checked.message, checked.type, arrival) : checked;
    if (outcome.isValid) {
      events.push(outcome.row);
      return;
    }
    rejections.push({ index, code: outcome.code, reason: outcome.reason });
    rejectedRows.push({
      projectId: arrival.projectId,
      receivedAtUs: arrival.receivedAtUs,
      source: options.source,
      batchIndex: index,
      code: outcome.code,
      reason: outcome.reason,
      raw: checked.isValid ? (source?.raw ?? JSON.stringify(item)) : checked.raw,
    });
  });
  return { events, rejectedRows, rejections };
}

/** Validates, normalizes and durably stores a batch of messages that arrived together. */
export async function ingestMessages(
  writer: IngestWriter,
  items: readonly unknown[],
  arrival: Arrival,
  options: { routeType?: MessageType; source: string; bodyBytes?: number },
): Promise<IngestOutcome> {
  const source: MessageSource = options.bodyBytes === undefined ? {} : { bytesAtMost: options.bodyBytes };
  const rules = writer.rulesFor(arrival.projectId);
  const withRules = rules ? { ...arrival, rules } : arrival;
  const { events, rejectedRows, rejections } = prepareMessages(items, () => withRules, {
    ...options,
    sourceOf: () => source,
    rules,
  });
  const result = await writer.submit(events, rejectedRows);
  return {
    received: items.length,
    // Events of opted-out persons count as accepted: a public write key must not reveal who
    // opted out (README, "Privacy"); the metrics count them.
    accepted: result.accepted + result.optedOut,
    duplicates: result.duplicates,
    rejected: rejections,
  };
}
