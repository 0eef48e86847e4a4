import Type from 'typebox';
import { SegmentBatch, SegmentMessage } from '../core/index.js';

/** The error body every route may answer with. */
export const ErrorReply = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});

const RejectionItem = Type.Object({ index: Type.Integer(), code: Type.String(), reason: Type.String() });

/** What an ingest request became. */
export const IngestReply = Type.Object({
  success: Type.Boolean(),
  received: Type.Integer(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(RejectionItem),
});

/** Bodies as documented; per-event rules run in ingest so each event gets its own reason. */
export const MessageBody = SegmentMessage;
export const BatchBody = SegmentBatch;

export const HealthReply = Type.Object({
  status: Type.String(),
  db: Type.String(),
  uptimeSec: Type.Number(),
});
