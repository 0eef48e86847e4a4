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

/**
 * An upper bound of the UTF-8 bytes of JSON.stringify(value), found without serializing:
 * a string of n UTF-16 units takes at most 6n + 2 bytes (a control character becomes \u00XX;
 * any other unit at most 3 bytes), a number at most 24. Stops with Infinity once over `limit`,
 * and for anything JSON.parse does not produce (then the caller serializes to know).
 */
function jsonBytesAtMost(value: unknown, limit: number, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return 6 * value.length + 2;
    case 'number':
      return 24;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      if (depth > 32) return Number.POSITIVE_INFINITY;
      let total = 2;
      if (Array.isArray(value)) {
        for (const item of value) {
          total += jsonBytesAtMost(item, limit, depth + 1) + 1;
          if (total > limit) return Number.POSITIVE_INFINITY;
        }
        return total;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return Number.POSITIVE_INFINITY;
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        total += 6 * key.length + 4 + jsonBytesAtMost(item, limit, depth + 1);
        if (total > limit) return Number.POSITIVE_INFINITY;
      }
      return total;
    }
    default:
      return Number.POSITIVE_INFINITY;
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
  // spares the serialization and the byte count; else a walk over the value bounds its size
  // (in a batch, the body's size bounds nothing once it is over the limit).
  let bound = source.bytesAtMost ?? (source.raw === undefined ? undefined : source.raw.length * 3);
  if (bound === undefined || bound > LIMITS.maxEventBytes) {
    bound = Math.min(bound ?? Number.POSITIVE_INFINITY, jsonBytesAtMost(value, LIMITS.maxEventBytes));
  }
  if (bound > LIMITS.maxEventBytes) {
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
