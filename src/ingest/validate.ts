import { Compile } from 'typebox/compile';
import { LIMITS, type MessageType, type RejectionCode, SegmentMessage } from '../core/index.js';

const checker = Compile(SegmentMessage);

/** A message that passed the shape rules, or the reason it did not (with its raw text, to keep). */
export type Checked =
  | { readonly isValid: true; readonly message: SegmentMessage; readonly type: MessageType }
  | { readonly isValid: false; readonly code: RejectionCode; readonly reason: string; readonly raw: string };

/** What is known of a message's text before checking it: serializing it again costs time. */
export interface MessageSource {
  /** The message's own text (an imported line). */
  readonly raw?: string;
  /** An upper bound of its size in UTF-8 bytes (e.g. the whole request body's). */
  readonly bytesAtMost?: number;
}

function rawText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function reject(code: RejectionCode, reason: string, raw: string): Checked {
  return { isValid: false, code, reason, raw };
}

/**
 * Applies the per-event rules of the ingestion edge, in order: an object, at most 32 KB,
 * the Segment field types, a type, a userId or anonymousId, and an event name on track.
 * Time rules need the receipt time and live in normalize.
 */
export function checkMessage(
  value: unknown,
  routeType?: MessageType,
  source: MessageSource = {},
  options: { isIdentityOptional?: boolean } = {},
): Checked {
  let raw = source.raw;
  const rawOf = () => {
    raw ??= rawText(value);
    return raw;
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('not_an_object', 'each message must be a JSON object', rawOf());
  }
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes, so a known bound or a short text
  // spares the serialization and the byte count.
  const bound = source.bytesAtMost ?? (source.raw === undefined ? undefined : source.raw.length * 3);
  if (bound === undefined || bound > LIMITS.maxEventBytes) {
    const text = rawOf();
    const bytes = text.length * 3 <= LIMITS.maxEventBytes ? 0 : Buffer.byteLength(text, 'utf8');
    if (bytes > LIMITS.maxEventBytes) {
      return reject(
        'event_too_large',
        `the event is ${bytes} bytes; the limit is ${LIMITS.maxEventBytes}`,
        text,
      );
    }
  }
  if (!checker.Check(value)) {
    const first = checker.Errors(value)[0];
    const where = first?.instancePath ? `${first.instancePath}: ` : '';
    return reject('invalid_type', `${where}${first?.message ?? 'does not match the Segment spec'}`, rawOf());
  }
  const message = value as SegmentMessage;
  const type = routeType ?? message.type;
  if (!type) return reject('invalid_type', '/type: is required in a batch (track, page, screen, …)', rawOf());
  // Cookieless mode derives the anonymous id at ingest (README, "Privacy").
  if (!options.isIdentityOptional && isBlank(message.userId) && isBlank(message.anonymousId)) {
    return reject('missing_identity', 'a message needs a userId or an anonymousId', rawOf());
  }
  if (type === 'track' && isBlank(message.event)) {
    return reject('missing_event', 'a track call needs an event name', rawOf());
  }
  return { isValid: true, message, type };
}
