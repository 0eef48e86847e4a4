import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { LIMITS, nowUs } from '../core/index.js';
import type { IngestWriter } from '../ingest/index.js';
import { findKey, type ResolvedKey, type Warehouse } from '../store/index.js';
import { registerAuth } from './auth.js';
import { decodeBody, registerJsonParser } from './body.js';
import { registerErrorHandling } from './errors.js';
import type { ServerMetrics } from './metrics.js';
import { adminRoutes } from './routes/admin.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { experimentRoutes } from './routes/experiments.js';
import { ingestRoutes } from './routes/ingest.js';
import { queryRoutes } from './routes/query.js';

/** What a server is built from. */
export interface AppDeps {
  readonly wh: Warehouse;
  readonly writer: IngestWriter;
  readonly metrics: ServerMetrics;
  readonly isLogged?: boolean;
  /** The built dashboard (index.html, assets/); default: the package's dist/web. */
  readonly webRoot?: string | undefined;
}

const KEY_CACHE_MS = 30_000;

/** Caches key lookups briefly: every ingest request is authenticated. */
function keyResolver(wh: Warehouse) {
  const cache = new Map<string, { key: ResolvedKey | null; until: number }>();
  return async (key: string): Promise<ResolvedKey | null> => {
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.key;
    const resolved = await findKey(wh, key);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { key: resolved, until: Date.now() + KEY_CACHE_MS });
    return resolved;
  };
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
        },
      },
    },
  });
  registerJsonParser(app, LIMITS.maxBodyBytes);
  app.addHook('preParsing', async (request, _reply, payload) => decodeBody(request, payload));
  registerErrorHandling(app, async (request, reason) => {
    // Only an authenticated ingest request's raw body is kept (in its own project).
    const key = request.routeOptions.config.scopes?.includes('ingest') ? request.apiKey : undefined;
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
  registerAuth(app, keyResolver(deps.wh));
  await app.register(ingestRoutes({ writer: deps.writer }), { prefix: '/v1' });
  await app.register(queryRoutes({ wh: deps.wh }), { prefix: '/api' });
  await app.register(experimentRoutes({ wh: deps.wh }), { prefix: '/api' });
  await app.register(dashboardRoutes({ wh: deps.wh, webRoot: deps.webRoot }));
  await app.register(
    adminRoutes({ dbPath: deps.wh.path, registry: deps.metrics.registry, startedAt: Date.now() }),
  );
  return app;
}
