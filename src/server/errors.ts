import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isPathwiseError, LIMITS, PathwiseError } from '../core/index.js';

/** The one error body: a stable code, a message and details. */
export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

function hasCode(err: unknown): err is { code: string } {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

/** Maps library and framework errors to PathwiseErrors; anything else stays unknown. */
export function toPathwiseError(err: unknown): PathwiseError | null {
  if (isPathwiseError(err)) return err;
  if (!hasCode(err)) return null;
  const message = err instanceof Error ? err.message : '';
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PathwiseError('PW_INGEST_BODY_TOO_LARGE', { limitBytes: LIMITS.maxBodyBytes });
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'ERR_BUFFER_TOO_LARGE':
      return new PathwiseError('PW_INGEST_BAD_ENCODING', { reason: message });
    case 'FST_ERR_VALIDATION':
      return new PathwiseError('PW_REQUEST_INVALID', { reason: message });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new PathwiseError('PW_REQUEST_INVALID', { reason: message });
    default:
      return null;
  }
}

/** Installs the one error handler and the not-found handler. */
export function registerErrorHandling(
  app: FastifyInstance,
  onMalformedBody: (request: FastifyRequest, reason: string) => Promise<void>,
): void {
  app.setErrorHandler(async (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = toPathwiseError(err);
    if (!known) {
      request.log.error({ err }, 'unhandled error');
      return reply.status(500).send({ code: 'PW_INTERNAL', message: 'internal error', details: {} });
    }
    if (known.code === 'PW_INGEST_MALFORMED_JSON') {
      await onMalformedBody(request, known.message).catch((e: unknown) => request.log.error({ err: e }));
    }
    const body: ErrorBody = { code: known.code, message: known.message, details: known.details };
    return reply.status(known.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const err = new PathwiseError('PW_NOT_FOUND', { method: request.method, url: request.url });
    return reply.status(404).send({ code: err.code, message: err.message, details: err.details });
  });
}
