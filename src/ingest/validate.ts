import { Compile } from 'typebox/compile';
import { LIMITS, type MessageType, type RejectionCode, SegmentMessage } from '../core/index.js';

const checker = Compile(SegmentMessage);

/** A message that passed the shape rules, or the reason it did not. */
export type Checked =
  | {
      readonly isValid: true;
      readonly message: SegmentMessage;
      readonly type: MessageType;
      readonly raw: string;
    }
  | { readonly isValid: false; readonly code: RejectionCode; readonly reason: string; readonly raw: string };

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
export function checkMessage(value: unknown, routeType?: MessageType): Checked {
  const raw = rawText(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('not_an_object', 'each message must be a JSON object', raw);
  }
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes: short texts skip the byte count.
  const bytes = raw.length * 3 <= LIMITS.maxEventBytes ? 0 : Buffer.byteLength(raw, 'utf8');
  if (bytes > LIMITS.maxEventBytes) {
    return reject(
      'event_too_large',
      `the event is ${bytes} bytes; the limit is ${LIMITS.maxEventBytes}`,
      raw,
    );
  }
  if (!checker.Check(value)) {
    const first = checker.Errors(value)[0];
    const where = first?.instancePath ? `${first.instancePath}: ` : '';
    return reject('invalid_type', `${where}${first?.message ?? 'does not match the Segment spec'}`, raw);
  }
  const message = value as SegmentMessage;
  const type = routeType ?? message.type;
  if (!type) return reject('invalid_type', '/type: is required in a batch (track, page, screen, …)', raw);
  if (isBlank(message.userId) && isBlank(message.anonymousId)) {
    return reject('missing_identity', 'a message needs a userId or an anonymousId', raw);
  }
  if (type === 'track' && isBlank(message.event)) {
    return reject('missing_event', 'a track call needs an event name', raw);
  }
  return { isValid: true, message, type, raw };
}
