import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { DateRange } from '../../query/index.js';
import {
  createDashboard,
  createInsight,
  deleteDashboard,
  deleteInsight,
  getDashboard,
  getInsight,
  listDashboards,
  listInsights,
  updateDashboard,
  updateInsight,
  type Warehouse,
} from '../../store/index.js';
import { requestKey } from '../auth.js';
import { parseAnySpec as parseQueryBody, runAnySpec } from '../query-request.js';
import type { ResultCache } from '../result-cache.js';
import { ErrorReply } from '../schemas.js';
import { resultKey } from '../tile-refresher.js';

/** What the saved insight and dashboard routes need. */
export interface SavedRouteDeps {
  readonly wh: Warehouse;
  /** Saved insights' results, shared with the tile refresher. */
  readonly results: ResultCache;
}

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.Optional(Type.String({ maxLength: 2000 }));

/** The spec is checked by the same parser as POST /api/query (see the handler), not by Ajv. */
const InsightBody = Type.Object(
  {
    name: Name,
    description: Description,
    spec: Type.Record(Type.String(), Type.Unknown(), {
      description: 'a POST /api/query body: funnel, trends, retention, paths or sessions',
    }),
  },
  { additionalProperties: false },
);

const Tile = Type.Object(
  {
    insightId: Type.String({ minLength: 1, maxLength: 64 }),
    width: Type.Union([Type.Literal(1), Type.Literal(2)]),
  },
  { additionalProperties: false },
);

const DashboardBody = Type.Object(
  { name: Name, description: Description, tiles: Type.Optional(Type.Array(Tile, { maxItems: 100 })) },
  { additionalProperties: false },
);

const InsightReply = Type.Object({
  insightId: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  spec: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const DashboardReply = Type.Object({
  dashboardId: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  tiles: Type.Array(Tile),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const ResultBody = Type.Object(
  {
    /** Replaces the range of a funnel, trends, retention or paths insight. */
    dateRange: Type.Optional(DateRange),
    /** Replace the days of a sessions insight. */
    from: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
    to: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
    /** A result computed at most this long ago is answered from the cache; 0 recomputes. */
    maxAgeSec: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
  },
  { additionalProperties: false },
);

const ResultReply = Type.Object({
  insightId: Type.String(),
  computedAt: Type.String({ description: 'when the computation started: newer data is not in the result' }),
  isCached: Type.Boolean(),
  isStale: Type.Boolean({ description: 'data was committed since computedAt; a refresh is on its way' }),
  result: Type.Record(Type.String(), Type.Unknown()),
});

/** Results of saved insights are kept this long unless the caller asks otherwise. */
const DEFAULT_MAX_AGE_SEC = 300;

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const Deleted = Type.Object({ deleted: Type.Boolean() });

function fieldsOf(body: Static<typeof InsightBody>) {
  // Stored specs run later through POST /api/query: reject what it would reject, now.
  const spec = parseQueryBody(body.spec) as Record<string, unknown> & { kind: string };
  return { name: body.name, description: body.description || null, spec };
}

/**
 * Route options shared by every route here: reading saved insights, dashboards and their results
 * needs `view` (every role); saving, changing and deleting them needs `query` (README, "Access").
 */
function opts(summary: string, schema: Record<string, unknown>, scope: 'view' | 'query' = 'view') {
  return {
    config: { scopes: [scope] },
    schema: { tags: ['saved'], summary, security: [{ readKey: [] }], ...schema },
  };
}

/** CRUD for saved insights under /api/insights. */
function insightRoutes(app: FastifyInstance, wh: Warehouse): void {
  const project = (request: Parameters<typeof requestKey>[0]) => requestKey(request).projectId;
  app.get(
    '/insights',
    opts('Saved insights, most recently updated first', {
      response: { 200: Type.Object({ insights: Type.Array(InsightReply) }), ...Errors },
    }),
    async (request) => ({ insights: await listInsights(wh, project(request)) }),
  );
  app.post(
    '/insights',
    opts(
      'Save an insight (its spec is validated as a POST /api/query body)',
      {
        body: InsightBody,
        response: { 201: InsightReply, ...Errors },
      },
      'query',
    ),
    async (request, reply) => {
      const saved = await createInsight(
        wh,
        project(request),
        fieldsOf(request.body as Static<typeof InsightBody>),
      );
      return reply.status(201).send(saved);
    },
  );
  app.get(
    '/insights/:id',
    opts('One saved insight', { params: IdParams, response: { 200: InsightReply, ...Errors } }),
    async (request) => getInsight(wh, project(request), (request.params as { id: string }).id),
  );
  app.put(
    '/insights/:id',
    opts(
      "Replace a saved insight's name, description and spec",
      {
        params: IdParams,
        body: InsightBody,
        response: { 200: InsightReply, ...Errors },
      },
      'query',
    ),
    async (request) => {
      const { id } = request.params as { id: string };
      return updateInsight(wh, project(request), id, fieldsOf(request.body as Static<typeof InsightBody>));
    },
  );
  app.delete(
    '/insights/:id',
    opts(
      'Delete a saved insight and take it off every dashboard',
      {
        params: IdParams,
        response: { 200: Deleted, ...Errors },
      },
      'query',
    ),
    async (request) => {
      await deleteInsight(wh, project(request), (request.params as { id: string }).id);
      return { deleted: true };
    },
  );
}

/** The spec of a saved insight with the caller's range in place of its own. */
function withRange(spec: Record<string, unknown>, body: Static<typeof ResultBody>): Record<string, unknown> {
  if (spec.kind === 'sessions') {
    return { ...spec, ...(body.from ? { from: body.from } : {}), ...(body.to ? { to: body.to } : {}) };
  }
  return body.dateRange ? { ...spec, dateRange: body.dateRange } : spec;
}

/** A saved insight's result, cached (dashboards show the same tiles to every viewer). */
function resultRoute(app: FastifyInstance, wh: Warehouse, cache: ResultCache): void {
  app.post(
    '/insights/:id/result',
    opts(
      'Run a saved insight (optionally over another range); results up to maxAgeSec old (default 300) come from a cache',
      {
        params: IdParams,
        body: ResultBody,
        response: { 200: ResultReply, ...Errors, 500: ErrorReply },
      },
    ),
    async (request) => {
      const projectId = requestKey(request).projectId;
      const body = request.body as Static<typeof ResultBody>;
      const insight = await getInsight(wh, projectId, (request.params as { id: string }).id);
      const spec = parseQueryBody(withRange(insight.spec, body));
      const maxAgeMs = (body.maxAgeSec ?? DEFAULT_MAX_AGE_SEC) * 1000;
      const key = resultKey(projectId, spec);
      const hit = await cache.get(key, maxAgeMs, () => runAnySpec(wh, projectId, spec));
      return {
        insightId: insight.insightId,
        computedAt: new Date(hit.computedAt).toISOString(),
        isCached: hit.isCached,
        isStale: hit.isStale,
        result: hit.result as Record<string, unknown>,
      };
    },
  );
}

/**
 * Every tile's result of a dashboard in one request (one hop and one audit row instead of one
 * per tile: what the page asks for first). A tile whose insight fails is left out; the page
 * then asks for it alone and shows its error.
 */
function dashboardResultsRoute(app: FastifyInstance, wh: Warehouse, cache: ResultCache): void {
  app.post(
    '/dashboards/:id/results',
    opts("The results of a dashboard's tiles over their own ranges, from the cache when younger than 300 s", {
      params: IdParams,
      response: { 200: Type.Object({ results: Type.Array(ResultReply) }), ...Errors },
    }),
    async (request) => {
      const projectId = requestKey(request).projectId;
      const board = await getDashboard(wh, projectId, (request.params as { id: string }).id);
      const wanted = new Set(board.tiles.map((t) => t.insightId));
      const insights = (await listInsights(wh, projectId)).filter((i) => wanted.has(i.insightId));
      const settled = await Promise.allSettled(
        insights.map(async (insight) => {
          const spec = parseQueryBody(insight.spec);
          const hit = await cache.get(resultKey(projectId, spec), DEFAULT_MAX_AGE_SEC * 1000, () =>
            runAnySpec(wh, projectId, spec),
          );
          return {
            insightId: insight.insightId,
            computedAt: new Date(hit.computedAt).toISOString(),
            isCached: hit.isCached,
            isStale: hit.isStale,
            result: hit.result as Record<string, unknown>,
          };
        }),
      );
      return { results: settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])) };
    },
  );
}

/** CRUD for dashboards under /api/dashboards. */
function dashboardCrudRoutes(app: FastifyInstance, wh: Warehouse): void {
  const project = (request: Parameters<typeof requestKey>[0]) => requestKey(request).projectId;
  app.get(
    '/dashboards',
    opts('Dashboards, most recently updated first', {
      response: { 200: Type.Object({ dashboards: Type.Array(DashboardReply) }), ...Errors },
    }),
    async (request) => ({ dashboards: await listDashboards(wh, project(request)) }),
  );
  app.post(
    '/dashboards',
    opts(
      'Create a dashboard: a name and saved insights as tiles, in order',
      {
        body: DashboardBody,
        response: { 201: DashboardReply, ...Errors },
      },
      'query',
    ),
    async (request, reply) => {
      const saved = await createDashboard(wh, project(request), request.body as Static<typeof DashboardBody>);
      return reply.status(201).send(saved);
    },
  );
  app.get(
    '/dashboards/:id',
    opts('One dashboard', { params: IdParams, response: { 200: DashboardReply, ...Errors } }),
    async (request) => getDashboard(wh, project(request), (request.params as { id: string }).id),
  );
  app.put(
    '/dashboards/:id',
    opts(
      "Replace a dashboard's name, description and (when given) tiles",
      {
        params: IdParams,
        body: DashboardBody,
        response: { 200: DashboardReply, ...Errors },
      },
      'query',
    ),
    async (request) => {
      const { id } = request.params as { id: string };
      return updateDashboard(wh, project(request), id, request.body as Static<typeof DashboardBody>);
    },
  );
  app.delete(
    '/dashboards/:id',
    opts(
      'Delete a dashboard (its insights stay saved)',
      {
        params: IdParams,
        response: { 200: Deleted, ...Errors },
      },
      'query',
    ),
    async (request) => {
      await deleteDashboard(wh, project(request), (request.params as { id: string }).id);
      return { deleted: true };
    },
  );
}

/** Saved insights and dashboards, stored in the database (migration 5). */
export function savedRoutes(deps: SavedRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    insightRoutes(app, deps.wh);
    resultRoute(app, deps.wh, deps.results);
    dashboardResultsRoute(app, deps.wh, deps.results);
    dashboardCrudRoutes(app, deps.wh);
  };
}
