import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import Type from 'typebox';
import { HealthReply } from '../schemas.js';

/** What the admin routes need. */
export interface AdminRouteDeps {
  readonly dbPath: string;
  readonly registry: Registry;
  readonly startedAt: number;
}

/** Health, Prometheus metrics and the OpenAPI document (the dashboard serves `/`). */
export function adminRoutes(deps: AdminRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/healthz',
      {
        config: { scopes: [] },
        schema: {
          tags: ['admin'],
          summary: 'Liveness: the server is up and its store is open',
          response: { 200: HealthReply },
        },
      },
      async () => ({ status: 'ok', db: deps.dbPath, uptimeSec: (Date.now() - deps.startedAt) / 1000 }),
    );
    app.get(
      '/metrics',
      {
        config: { scopes: [] },
        schema: {
          tags: ['admin'],
          summary: 'Prometheus metrics: events accepted, rejected by reason, deduplicated; commit latency',
          response: { 200: Type.String() },
        },
      },
      async (_request, reply) => {
        const text = await deps.registry.metrics();
        return reply.type(deps.registry.contentType).send(text);
      },
    );
    app.get(
      '/openapi.json',
      {
        config: { scopes: [] },
        schema: {
          tags: ['admin'],
          summary: 'This API as OpenAPI 3',
          response: { 200: Type.Record(Type.String(), Type.Unknown()) },
        },
      },
      async () => app.swagger(),
    );
  };
}
