import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { InsightSpec, parseInsightSpec, runQuery } from '../../query/index.js';
import { parseSessionsQuery, runSessionsQuery, SessionsQuery } from '../../sessions/index.js';
import type { Warehouse } from '../../store/index.js';
import { requestKey } from '../auth.js';
import { ErrorReply } from '../schemas.js';

/** What the query routes need from the server. */
export interface QueryRouteDeps {
  readonly wh: Warehouse;
}

/** The body of POST /api/query, as OpenAPI shows it: one spec per kind. Session analytics joins this union. */
const QueryBody = Type.Union([InsightSpec, SessionsQuery]);

/** A result: `kind`, the resolved `dateRange` and `timeZone`, then the kind's own fields. */
const QueryReply = Type.Object(
  {
    kind: Type.String(),
    dateRange: Type.Object({ from: Type.String(), to: Type.String(), timeZone: Type.String() }),
    timeZone: Type.String(),
  },
  { additionalProperties: true },
);

type QueryKind = InsightSpec['kind'];

/**
 * One runner per kind: a new kind (e.g. `sessions`) is added here and to parseQueryBody; the mapped
 * type makes a kind without a runner a compile error.
 */
const RUN: {
  readonly [K in QueryKind]: (wh: Warehouse, projectId: string, spec: InsightSpec) => Promise<unknown>;
} = {
  funnel: runQuery,
  trends: runQuery,
  retention: runQuery,
  paths: runQuery,
};

/** A spec of any kind: the insights of query, or session analytics (README, "Sessions"). */
export type AnySpec = InsightSpec | SessionsQuery;

/** Validates a query body of any kind (also the specs of saved insights). */
export function parseQueryBody(body: unknown): AnySpec {
  const kind = typeof body === 'object' && body !== null ? (body as { kind?: unknown }).kind : undefined;
  return kind === 'sessions' ? parseSessionsQuery(body) : parseInsightSpec(body);
}

/** Runs a validated spec of any kind for a project (also saved insights, see routes/saved.ts). */
export function runAnySpec(wh: Warehouse, projectId: string, spec: AnySpec): Promise<unknown> {
  if (spec.kind === 'sessions') return runSessionsQuery(wh, projectId, spec);
  return RUN[spec.kind](wh, projectId, spec);
}

/** POST /api/query: runs an insight spec for the project of the read key. */
export function queryRoutes(deps: QueryRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post(
      '/query',
      {
        // registerAuth checks the key before the validator runs: an anonymous caller learns nothing.
        config: { scopes: ['query'] },
        schema: {
          tags: ['query'],
          summary: 'Run an insight (funnel, trends, retention, paths, sessions) with a read key',
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
        // The insight schemas are unions; TypeBox's compiled check validates them without the
        // property stripping Ajv's removeAdditional does while it tries union branches.
        validatorCompiler: () => (data: unknown) => {
          try {
            return { value: parseQueryBody(data) };
          } catch (err) {
            return { error: err as Error };
          }
        },
      },
      async (request) => {
        const key = requestKey(request);
        // The validator above replaced the body with parseInsightSpec's typed value.
        return runAnySpec(deps.wh, key.projectId, request.body as AnySpec);
      },
    );
  };
}
