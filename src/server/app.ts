import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { LIMITS, nowUs } from '../core/index.js';
import type { IngestWriter } from '../ingest/index.js';
import { AccessControl, ensureSecret, type PrivacyPolicy } from '../privacy/index.js';
import type { Warehouse } from '../store/index.js';
import { registerAudit } from './audit.js';
import { registerAuth } from './auth.js';
import { decodeBody, registerJsonParser } from './body.js';
import { CtrPredictors } from './ctr-predict.js';
import { registerErrorHandling } from './errors.js';
import type { ServerMetrics } from './metrics.js';
import { TrainingJobs } from './model-jobs.js';
import { ResultCache } from './result-cache.js';
import { accessRoutes } from './routes/access.js';
import { adminRoutes } from './routes/admin.js';
import { clickModelRoutes } from './routes/clickmodels.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { diagnoseRoutes } from './routes/diagnose.js';
import { experimentRoutes } from './routes/experiments.js';
import { ingestRoutes } from './routes/ingest.js';
import { modelRoutes } from './routes/models.js';
import { queryRoutes } from './routes/query.js';
import { subjectRoutes } from './routes/subjects.js';

/** What a server is built from. */
export interface AppDeps {
  readonly wh: Warehouse;
  readonly writer: IngestWriter;
  readonly metrics: ServerMetrics;
  /** Minimization and opt-outs at ingest; the privacy routes change it. */
  readonly privacy: PrivacyPolicy;
  readonly isLogged?: boolean;
  /** Key and session resolution (with its caches); one is made when not given. Closed with the app. */
  readonly access?: AccessControl;
  /** The built dashboard (index.html, assets/); default: the package's dist/web. */
  readonly webRoot?: string | undefined;
  /** Saved insights' results (shared with the tile refresher); a private one when not given. */
  readonly results?: ResultCache;
}

/** Model training jobs and loaded models; a running job stops when the app closes. */
function modelDeps(app: FastifyInstance, wh: Warehouse) {
  const predictors = new CtrPredictors(wh);
  const jobs = new TrainingJobs(wh, predictors);
  app.addHook('onClose', () => jobs.close());
  return { wh, predictors, jobs };
}

/** Builds the Fastify app: Segment ingest under /v1, insights under /api, admin routes at the root. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.isLogged ? { level: 'info' } : false,
    bodyLimit: LIMITS.maxBodyBytes,
    trustProxy: true,
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Pathwise', version: '0.1.0', description: 'Self-hosted behavior analytics' },
      components: {
        securitySchemes: {
          writeKey: { type: 'http', scheme: 'basic' },
          readKey: { type: 'http', scheme: 'bearer' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'pw_session' },
        },
      },
    },
  });
  registerJsonParser(app, LIMITS.maxBodyBytes);
  app.addHook('preParsing', async (request, _reply, payload) => decodeBody(request, payload));
  registerErrorHandling(app, async (request, reason) => {
    // Only an authenticated ingest request's raw body is kept (in its own project).
    const key = request.routeOptions.config.scopes?.includes('ingest') ? request.principal : undefined;
    if (!key || request.rawBodyText === undefined) return;
    await deps.writer.submit(
      [],
      [
        {
          projectId: key.projectId,
          receivedAtUs: nowUs(),
          source: `http:${request.url}`,
          batchIndex: null,
          code: 'malformed_json',
          reason,
          raw: request.rawBodyText,
        },
      ],
    );
  });
  // Sessions survive restarts: the cookie-signing secret is made once and kept in the database.
  await app.register(cookie, { secret: await ensureSecret(deps.wh, 'session-cookie') });
  const access = deps.access ?? new AccessControl(deps.wh);
  app.addHook('onClose', () => access.close());
  registerAuth(app, access);
  const results = deps.results ?? new ResultCache();
  registerAudit(app, deps.wh);
  await app.register(ingestRoutes({ writer: deps.writer }), { prefix: '/v1' });
  await app.register(queryRoutes({ wh: deps.wh }), { prefix: '/api' });
  await app.register(experimentRoutes({ wh: deps.wh }), { prefix: '/api' });
  await app.register(diagnoseRoutes({ wh: deps.wh }), { prefix: '/api' });
  await app.register(accessRoutes({ wh: deps.wh, access }), { prefix: '/api' });
  await app.register(clickModelRoutes({ wh: deps.wh }), { prefix: '/api' });
  await app.register(modelRoutes(modelDeps(app, deps.wh)), { prefix: '/api' });
  await app.register(
    // An erasure or a retention run deletes rows: cached results computed before are stale.
    subjectRoutes({ wh: deps.wh, privacy: deps.privacy, onDataChanged: () => results.dataChanged() }),
    { prefix: '/api' },
  );
  await app.register(dashboardRoutes({ wh: deps.wh, results, webRoot: deps.webRoot }));
  await app.register(
    adminRoutes({ dbPath: deps.wh.path, registry: deps.metrics.registry, startedAt: Date.now() }),
  );
  return app;
}
