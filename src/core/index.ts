export { LIMITS, SERVER_DEFAULTS } from './config.js';
/** Stable error codes and the error type that carries them. */
export { ERROR_CODES, type ErrorCode, type ErrorDetails, isPathwiseError, PathwiseError } from './errors.js';
/** The event model: Segment input schemas, the normalized row and its columns. */
export {
  type ColumnKind,
  EVENT_COLUMNS,
  type EventRow,
  MessageType,
  type RejectedRow,
  type RejectionCode,
  SegmentBatch,
  SegmentMessage,
} from './event.js';
/** Ids and key hashing. */
export { hashKey, newMessageId, randomToken } from './ids.js';
/** Instants as microseconds since the epoch. */
export { DAY_US, formatInstantUs, nowUs, parseInstantUs, parseRangeBoundUs } from './time.js';
