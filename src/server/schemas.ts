import type { FastifySchemaCompiler } from 'fastify';
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError, SegmentBatch, SegmentMessage } from '../core/index.js';

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

/**
 * A route's validator compiler for a body parsed by its own function: the spec parsers run
 * TypeBox's compiled check (the specs hold unions, which Ajv's removeAdditional would strip while
 * trying branches) and their semantic checks, and throw the route's error codes. Other parts
 * (params, querystring) go through a compiled TypeBox check of their own schema, after `coerce`
 * (text to typed values) when given; their errors are PW_REQUEST_INVALID naming the part.
 */
export function parsedBody(
  parseBody: (body: unknown) => unknown,
  coerce: (data: unknown) => unknown = (data) => data,
): FastifySchemaCompiler<TSchema> {
  return ({ schema, httpPart }) => {
    if (httpPart === 'body') {
      return (data: unknown) => {
        try {
          return { value: parseBody(data) };
        } catch (err) {
          return { error: err as Error };
        }
      };
    }
    const check = Compile(schema);
    return (data: unknown) => {
      const value = coerce(data);
      if (check.Check(value)) return { value };
      const reason = [...check.Errors(value)]
        .map((e) => `${httpPart} ${e.instancePath || '/'} ${e.message}`)
        .join('; ');
      return { error: new PathwiseError('PW_REQUEST_INVALID', { reason }) };
    };
  };
}
