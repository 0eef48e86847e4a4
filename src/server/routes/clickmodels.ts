import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import {
  ClickModelSpec,
  fitClickModels,
  parseClickModelSpec,
  parseReplaySpec,
  ReplaySpec,
  replayRanking,
} from '../../clicks/index.js';
import type { Warehouse } from '../../store/index.js';
import { requestKey } from '../auth.js';
import { ErrorReply, parsedBody } from '../schemas.js';

/** What the click-model routes need from the server. */
export interface ClickModelRouteDeps {
  readonly wh: Warehouse;
}

const DateRangeReply = Type.Object({ from: Type.String(), to: Type.String(), timeZone: Type.String() });

/** The fit report (README, "Click models"); models and comparison are documented there. */
const FitReply = Type.Object(
  {
    dateRange: DateRangeReply,
    normalization: Type.String(),
    data: Type.Object({}, { additionalProperties: true }),
    models: Type.Array(Type.Object({ model: Type.String() }, { additionalProperties: true })),
    comparison: Type.Array(Type.Object({ model: Type.String() }, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

const ReplayReply = Type.Object(
  { dateRange: DateRangeReply, lists: Type.Integer(), loggedClicksPerList: Type.Number() },
  { additionalProperties: true },
);

const ERRORS = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 500: ErrorReply };

/** POST /api/clickmodels/fit and /replay: click models on the read key's project. */
export function clickModelRoutes(deps: ClickModelRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post(
      '/clickmodels/fit',
      {
        config: { scopes: ['query'] },
        schema: {
          tags: ['click models'],
          summary:
            'Fit PBM, cascade and DBN click models on stored impressions and compare them on held-out lists',
          security: [{ readKey: [] }],
          body: ClickModelSpec,
          response: { 200: FitReply, ...ERRORS },
        },
        validatorCompiler: parsedBody(parseClickModelSpec),
      },
      async (request) =>
        fitClickModels(deps.wh, requestKey(request).projectId, request.body as ClickModelSpec),
    );
    app.post(
      '/clickmodels/replay',
      {
        config: { scopes: ['query'] },
        schema: {
          tags: ['click models'],
          summary: 'Estimate the clicks of a re-ranking from logged impressions (IPS with PBM examination)',
          security: [{ readKey: [] }],
          body: ReplaySpec,
          response: { 200: ReplayReply, ...ERRORS },
        },
        validatorCompiler: parsedBody(parseReplaySpec),
      },
      async (request) => replayRanking(deps.wh, requestKey(request).projectId, request.body as ReplaySpec),
    );
  };
}
