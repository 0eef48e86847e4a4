import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MessageType } from '../../core/index.js';
import { nowUs, PathwiseError } from '../../core/index.js';
import { type IngestOutcome, type IngestWriter, ingestMessages } from '../../ingest/index.js';
import { requestKey } from '../auth.js';
import { BatchBody, ErrorReply, IngestReply, MessageBody } from '../schemas.js';

/** What the ingest routes need from the server. */
export interface IngestRouteDeps {
  readonly writer: IngestWriter;
}

function reply(res: FastifyReply, outcome: IngestOutcome) {
  const body = { success: outcome.rejected.length === 0, ...outcome };
  if (outcome.received > 0 && outcome.rejected.length === outcome.received) {
    const err = new PathwiseError('PW_INGEST_ALL_REJECTED');
    return res.status(400).send({ code: err.code, message: err.message, details: body });
  }
  return res.status(200).send(body);
}

function arrival(request: FastifyRequest, projectId: string, batchSentAt?: unknown) {
  const now = nowUs();
  return {
    projectId,
    receivedAtUs: now,
    isReceiptKnown: true,
    insertedAtUs: now,
    batchSentAt: typeof batchSentAt === 'string' || typeof batchSentAt === 'number' ? batchSentAt : null,
    requestIp: request.ip,
    requestUserAgent: request.headers['user-agent'] ?? null,
  };
}

const SINGLE: readonly { type: MessageType; paths: readonly string[] }[] = [
  { type: 'track', paths: ['/track', '/t'] },
  { type: 'page', paths: ['/page', '/p'] },
  { type: 'screen', paths: ['/screen', '/s'] },
  { type: 'identify', paths: ['/identify', '/i'] },
  { type: 'group', paths: ['/group', '/g'] },
  { type: 'alias', paths: ['/alias', '/a'] },
];

const acceptAnything = () => () => true;

/** The Segment HTTP tracking API: /v1/track … /v1/batch (and analytics.js' one-letter aliases). */
export function ingestRoutes(deps: IngestRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const responses = {
      200: IngestReply,
      400: ErrorReply,
      401: ErrorReply,
      403: ErrorReply,
      413: ErrorReply,
      503: ErrorReply,
    };

    for (const { type, paths } of SINGLE) {
      for (const url of paths) {
        app.post(
          url,
          {
            config: { scopes: ['ingest'] },
            schema: {
              tags: ['ingest'],
              summary: `Segment ${type} call${url.length === 2 ? ' (analytics.js short path)' : ''}`,
              hide: url.length === 2,
              body: MessageBody,
              response: responses,
            },
            validatorCompiler: acceptAnything,
          },
          async (request, res) => {
            const key = requestKey(request);
            const outcome = await ingestMessages(
              deps.writer,
              [request.body],
              arrival(request, key.projectId),
              {
                routeType: type,
                source: `http:${type}`,
                ...(request.bodyBytes === undefined ? {} : { bodyBytes: request.bodyBytes }),
              },
            );
            return reply(res, outcome);
          },
        );
      }
    }

    for (const url of ['/batch', '/import', '/b']) {
      app.post(
        url,
        {
          config: { scopes: ['ingest'] },
          schema: {
            tags: ['ingest'],
            summary: url === '/batch' ? 'Segment batch: up to 500 KB of messages' : `Alias of /v1/batch`,
            hide: url === '/b',
            body: BatchBody,
            response: responses,
          },
          validatorCompiler: acceptAnything,
        },
        async (request, res) => {
          const key = requestKey(request);
          const body = request.body as { batch?: unknown; sentAt?: unknown } | null;
          if (!body || !Array.isArray(body.batch)) {
            // Kept like any rejected event, so that a misconfigured sender can be diagnosed.
            await deps.writer.submit(
              [],
              [
                {
                  projectId: key.projectId,
                  receivedAtUs: nowUs(),
                  source: `http:${url.slice(1)}`,
                  batchIndex: null,
                  code: 'invalid_type',
                  reason: '/batch: must be an array of messages',
                  raw: JSON.stringify(body) ?? 'null',
                },
              ],
            );
            throw new PathwiseError('PW_INGEST_NOT_A_BATCH');
          }
          const outcome = await ingestMessages(
            deps.writer,
            body.batch,
            arrival(request, key.projectId, body.sentAt),
            {
              source: 'http:batch',
              ...(request.bodyBytes === undefined ? {} : { bodyBytes: request.bodyBytes }),
            },
          );
          return reply(res, outcome);
        },
      );
    }
  };
}
