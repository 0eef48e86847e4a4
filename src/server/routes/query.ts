import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AttributionSpec } from '../../attribution/index.js';
import { CtrSpec, InsightSpec } from '../../query/index.js';
import { SessionsQuery } from '../../sessions/index.js';
import type { Warehouse } from '../../store/index.js';
import { requestKey } from '../auth.js';
import { parseQueryRequest, type QueryRequest, runQueryRequest } from '../query-request.js';
import { ErrorReply, parsedBody } from '../schemas.js';

/** What the query routes need from the server. */
export interface QueryRouteDeps {
  readonly wh: Warehouse;
}

/**
 * The body of POST /api/query, as OpenAPI shows it: one spec per kind, plus an optional
 * `shareable: {k}` (README, "Privacy").
 */
const QueryBody = Type.Union([InsightSpec, SessionsQuery, AttributionSpec, CtrSpec]);

/** A result: `kind`, the resolved `dateRange` and `timeZone`, then the kind's own fields. */
const QueryReply = Type.Object(
  {
    kind: Type.String(),
    dateRange: Type.Object({ from: Type.String(), to: Type.String(), timeZone: Type.String() }),
    timeZone: Type.String(),
  },
  { additionalProperties: true },
);

/** POST /api/query: runs an insight spec for the project of the read key. */
export function queryRoutes(deps: QueryRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post(
      '/query',
      {
        // registerAuth checks the key before the validator runs: an anonymous caller learns nothing.
        config: { scopes: ['query'], audit: 'query' },
        schema: {
          tags: ['query'],
          summary:
            'Run an insight (funnel, trends, retention, paths, sessions, attribution, ctr) with a read key',
          security: [{ readKey: [] }],
          body: QueryBody,
          response: {
            200: QueryReply,
            400: ErrorReply,
            401: ErrorReply,
            403: ErrorReply,
            404: ErrorReply,
            500: ErrorReply,
          },
        },
        validatorCompiler: parsedBody(parseQueryRequest),
      },
      async (request) => {
        const key = requestKey(request);
        // The validator above replaced the body with the typed spec and its sharing option.
        const body = request.body as QueryRequest;
        request.auditDetail = body.shareable ? { ...body.spec, shareable: body.shareable } : body.spec;
        return runQueryRequest(deps.wh, key.projectId, body);
      },
    );
  };
}
