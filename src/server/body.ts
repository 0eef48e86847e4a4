import type { Readable, Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PathwiseError } from '../core/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body text as received, kept so that a malformed body can be stored as rejected. */
    rawBodyText?: string;
    /** The decompressed body's size in bytes: a bound of each event's size. */
    bodyBytes?: number;
  }
}

type Decoded = Transform & { receivedEncodedLength?: number };

/**
 * Decompresses gzip/deflate bodies in a preParsing hook. Fastify then applies bodyLimit to the
 * decompressed bytes, so a compression bomb stops at the limit with 413 instead of filling memory.
 */
export function decodeBody(request: FastifyRequest, payload: Readable): Readable {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' || encoding === '') return payload;
  let decoder: Decoded;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
  else if (encoding === 'deflate') decoder = createInflate();
  else
    throw new PathwiseError('PW_INGEST_BAD_ENCODING', {
      reason: `unsupported content-encoding "${encoding}"`,
    });
  decoder.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    decoder.receivedEncodedLength = (decoder.receivedEncodedLength ?? 0) + chunk.length;
  });
  payload.on('error', (err) => decoder.destroy(err));
  return payload.pipe(decoder);
}

/** Parses every body as JSON (Segment's browser clients send text/plain to skip CORS preflight). */
export function registerJsonParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.bodyBytes = Buffer.byteLength(text, 'utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      request.rawBodyText = text;
      const reason = err instanceof Error ? err.message : String(err);
      done(new PathwiseError('PW_INGEST_MALFORMED_JSON', { reason }), undefined);
    }
  });
}
