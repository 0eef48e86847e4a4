import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import {
  analyzeExperimentByKey,
  createExperiment,
  ExperimentAnalysis,
  ExperimentDefinition,
  listExperiments,
  parseExperimentDefinition,
} from '../../experiments/index.js';
import type { Warehouse } from '../../store/index.js';
import { requestKey } from '../auth.js';
import { ErrorReply, parsedBody } from '../schemas.js';

/** What the experiment routes need from the server. */
export interface ExperimentRouteDeps {
  readonly wh: Warehouse;
}

/** A stored experiment as returned by POST and GET /api/experiments. */
const ExperimentReply = Type.Object({
  key: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  // The definition as stored: the request schema documents it; serialized as is.
  definition: Type.Unknown(),
});

const KeyParams = Type.Object({ key: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$' }) });
const CreateQuery = Type.Object({ replace: Type.Optional(Type.Boolean()) });

const ERRORS = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 500: ErrorReply };

/** Query-string booleans arrive as text. */
function coerceBooleans(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v]),
  );
}

/** POST /api/experiments, GET /api/experiments, GET /api/experiments/:key/analysis (read key). */
export function experimentRoutes(deps: ExperimentRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post(
      '/experiments',
      {
        config: { scopes: ['query'] },
        schema: {
          tags: ['experiments'],
          summary: 'Define an experiment (409 when the key exists, unless ?replace=true)',
          security: [{ readKey: [] }],
          body: ExperimentDefinition,
          querystring: CreateQuery,
          response: { 201: ExperimentReply, 409: ErrorReply, ...ERRORS },
        },
        validatorCompiler: parsedBody(parseExperimentDefinition, coerceBooleans),
      },
      async (request, reply) => {
        const key = requestKey(request);
        const { replace } = request.query as { replace?: boolean };
        const created = await createExperiment(deps.wh, key.projectId, request.body, {
          isReplacing: replace === true,
        });
        return reply.status(201).send(created);
      },
    );
    app.get(
      '/experiments',
      {
        config: { scopes: ['query'] },
        schema: {
          tags: ['experiments'],
          summary: "List the project's experiments",
          security: [{ readKey: [] }],
          response: { 200: Type.Object({ experiments: Type.Array(ExperimentReply) }), ...ERRORS },
        },
      },
      async (request) => ({ experiments: await listExperiments(deps.wh, requestKey(request).projectId) }),
    );
    app.get(
      '/experiments/:key/analysis',
      {
        config: { scopes: ['query'] },
        schema: {
          tags: ['experiments'],
          summary:
            'Analyze an experiment from the events: SRM, every statistic per metric and variant, verdicts',
          security: [{ readKey: [] }],
          params: KeyParams,
          response: { 200: ExperimentAnalysis, ...ERRORS },
        },
        validatorCompiler: parsedBody(parseExperimentDefinition, coerceBooleans),
      },
      async (request) => {
        const { key } = request.params as { key: string };
        return analyzeExperimentByKey(deps.wh, requestKey(request).projectId, key);
      },
    );
  };
}
