import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AttributionSpec, parseAttributionSpec, runAttribution } from '../../attribution/index.js';
import { runCtrQuery } from '../../clicks/index.js';
import { CtrSpec, InsightSpec, parseCtrSpec, parseInsightSpec, runQuery } from '../../query/index.js';
import { parseSessionsQuery, runSessionsQuery, SessionsQuery } from '../../sessions/index.js';
import { Rng } from '../../sim/index.js';
import type { Warehouse } from '../../store/index.js';
import { requestKey } from '../auth.js';
import { ErrorReply } from '../schemas.js';

/** What the query routes need from the server. */
export interface QueryRouteDeps {
  readonly wh: Warehouse;
}

/** The body of POST /api/query, as OpenAPI shows it: one spec per kind. Session analytics joins this union. */
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

/**
 * A spec of any kind: the insights of query, session analytics (README, "Sessions"), or
 * click-through rates (README, "Click-through analytics").
 */
export type AnySpec = InsightSpec | SessionsQuery | AttributionSpec | CtrSpec;

/** Attribution's seeded generator: the simulator's Rng, one stream per use (README, "Attribution"). */
const random = (seed: number, stream: number) => new Rng(seed, stream);

/**
 * One runner per kind: a new kind is added here and to parseBody; the mapped type makes a kind
 * without a runner a compile error.
 */
const RUN: {
  readonly [K in AnySpec['kind']]: (
    wh: Warehouse,
    projectId: string,
    spec: Extract<AnySpec, { kind: K }>,
  ) => Promise<unknown>;
} = {
  funnel: runQuery,
  trends: runQuery,
  retention: runQuery,
  paths: runQuery,
  sessions: runSessionsQuery,
  ctr: runCtrQuery,
  attribution: (wh, projectId, spec) => runAttribution(wh, projectId, spec, { random }),
};

/** Validates a query body of any kind (also the specs of saved insights, routes/saved.ts). */
export function parseBody(body: unknown): AnySpec {
  const kind = typeof body === 'object' && body !== null ? (body as { kind?: unknown }).kind : undefined;
  if (kind === 'sessions') return parseSessionsQuery(body);
  if (kind === 'attribution') return parseAttributionSpec(body);
  if (kind === 'ctr') return parseCtrSpec(body);
  return parseInsightSpec(body);
}

/** Runs a validated spec of any kind for a project (also saved insights, routes/saved.ts). */
export function runAnySpec(wh: Warehouse, projectId: string, spec: AnySpec): Promise<unknown> {
  const run = RUN[spec.kind] as (w: Warehouse, p: string, s: AnySpec) => Promise<unknown>;
  return run(wh, projectId, spec);
}

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
        // The insight schemas are unions; TypeBox's compiled check validates them without the
        // property stripping Ajv's removeAdditional does while it tries union branches.
        validatorCompiler: () => (data: unknown) => {
          try {
            return { value: parseBody(data) };
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
