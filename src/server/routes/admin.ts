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

const LANDING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pathwise</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem}</style></head><body>
<h1>Pathwise is running</h1>
<p>Send events with any Segment client to <code>/v1/batch</code> (write key as the HTTP Basic user name).</p>
<ul><li><a href="/openapi.json">API description (OpenAPI)</a></li><li><a href="/healthz">Health</a></li>
<li><a href="/metrics">Metrics (Prometheus)</a></li></ul>
<p>The dashboard is served here once it is built.</p></body></html>`;

/** Health, Prometheus metrics and the OpenAPI document. */
export function adminRoutes(deps: AdminRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/',
      {
        config: { scopes: [] },
        schema: {
          tags: ['admin'],
          summary: 'A landing page linking the API description, health and metrics',
          response: { 200: Type.String() },
        },
      },
      async (_request, reply) => reply.type('text/html; charset=utf-8').send(LANDING),
    );
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
