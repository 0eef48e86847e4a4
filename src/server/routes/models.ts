import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { findModel, listModels, type Warehouse } from '../../store/index.js';
import { requestKey } from '../auth.js';
import type { CtrPredictors } from '../ctr-predict.js';
import { CtrTrainSpec, ModelName, PredictBody, parseCtrTrainSpec, parsePredictBody } from '../ctr-spec.js';
import { describeModel } from '../ctr-train.js';
import type { TrainingJobs } from '../model-jobs.js';
import { ErrorReply, parsedBody } from '../schemas.js';

/** What the model routes need. */
export interface ModelRouteDeps {
  readonly wh: Warehouse;
  readonly predictors: CtrPredictors;
  readonly jobs: TrainingJobs;
}

const NameParams = Type.Object({ name: ModelName });
const Progress = Type.Object(
  { phase: Type.String(), fraction: Type.Number() },
  { additionalProperties: true },
);
const Job = Type.Object({
  jobId: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
  ]),
  progress: Progress,
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  model: Type.Union([Type.Object({ name: Type.String(), version: Type.Integer() }), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});
const ModelReply = Type.Object(
  { name: Type.String(), version: Type.Integer(), kind: Type.String(), createdAt: Type.String() },
  { additionalProperties: true },
);
const PredictReply = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  predictions: Type.Array(Type.Number()),
});
const Errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };

const COMMON = { config: { scopes: ['query'] as const }, security: [{ readKey: [] }] };

/** GET /models, /models/:name, /models/jobs/:jobId. */
function registerReads(app: FastifyInstance, deps: ModelRouteDeps): void {
  app.get(
    '/models',
    {
      config: COMMON.config,
      schema: {
        tags: ['models'],
        summary: "The latest version of each of the project's models",
        security: COMMON.security,
        response: { 200: Type.Object({ models: Type.Array(ModelReply) }), ...Errors },
      },
    },
    async (request) => {
      const models = await listModels(deps.wh, requestKey(request).projectId);
      return { models: models.map((m) => ({ ...describeModel(m), versions: m.versions })) };
    },
  );
  app.get(
    '/models/:name',
    {
      config: COMMON.config,
      schema: {
        tags: ['models'],
        summary: 'A model: spec, training and test ranges, metrics, importance and "what drives CTR"',
        security: COMMON.security,
        params: NameParams,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: ModelReply, ...Errors },
      },
    },
    async (request) => {
      const { name } = request.params as { name: string };
      const { version } = request.query as { version?: number };
      return describeModel(await findModel(deps.wh, requestKey(request).projectId, name, version));
    },
  );
  app.get(
    '/models/jobs/:jobId',
    {
      config: COMMON.config,
      schema: {
        tags: ['models'],
        summary: "A training job's status and progress; the model's name and version once it succeeded",
        security: COMMON.security,
        params: Type.Object({ jobId: Type.String({ maxLength: 64 }) }),
        response: { 200: Job, ...Errors },
      },
    },
    async (request) => {
      const { jobId } = request.params as { jobId: string };
      return deps.jobs.get(requestKey(request).projectId, jobId);
    },
  );
}

/** POST /models/:name/train and /models/:name/predict. */
function registerWrites(app: FastifyInstance, deps: ModelRouteDeps): void {
  app.post(
    '/models/:name/train',
    {
      config: COMMON.config,
      schema: {
        tags: ['models'],
        summary: 'Train a CTR model as the next version of :name; answers 202 with a job to poll',
        security: COMMON.security,
        params: NameParams,
        body: CtrTrainSpec,
        response: { 202: Job, ...Errors },
      },
      validatorCompiler: parsedBody(parseCtrTrainSpec),
    },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      const job = deps.jobs.start(requestKey(request).projectId, name, request.body as CtrTrainSpec);
      return reply.status(202).send(job);
    },
  );
  app.post(
    '/models/:name/predict',
    {
      // Scoring reads no stored rows (the caller sends the candidates): it is not audited per
      // call, so that real-time scoring does not wait for an audit commit (README, "Access").
      config: { ...COMMON.config, audit: false },
      schema: {
        tags: ['models'],
        summary:
          'Score a batch of candidates in real time: P(click) for each (latest version unless one is given)',
        security: COMMON.security,
        params: NameParams,
        body: PredictBody,
        response: { 200: PredictReply, ...Errors },
      },
      validatorCompiler: parsedBody(parsePredictBody),
    },
    async (request) => {
      const { name } = request.params as { name: string };
      return deps.predictors.predict(requestKey(request).projectId, name, request.body as PredictBody);
    },
  );
}

/** Models under /api/models: train (a background job), list, show, and score candidates. */
export function modelRoutes(deps: ModelRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    registerReads(app, deps);
    registerWrites(app, deps);
  };
}
