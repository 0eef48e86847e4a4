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

/** The same answer as text.trim() === '' without copying a large body: it stops at the first printable ASCII. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c > 0x20 && c < 0x7f) return false;
    return text.trim() === '';
  }
  return true;
}

/** Parses every body as JSON (Segment's browser clients send text/plain to skip CORS preflight). */
export function registerJsonParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  // As a buffer: its length is the decompressed size in bytes, with no second pass over the text.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    request.bodyBytes = bytes.length;
    const text = bytes.toString('utf8');
    if (isBlank(text)) {
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
