import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';

/** Where the built dashboard is (`vite build` output: index.html and assets/). */
export interface WebRouteDeps {
  readonly webRoot: string;
}

/** The dashboard's pages: each URL serves index.html and the app routes on the client. */
export const DASHBOARD_PAGES: readonly string[] = [
  '/',
  '/events',
  '/trends',
  '/funnels',
  '/retention',
  '/paths',
  '/sessions',
  '/attribution',
  '/people',
  '/people/:id',
  '/insights',
  '/dashboards',
  '/dashboards/:id',
  '/audit',
];

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pathwise</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem}</style></head><body>
<h1>Pathwise is running</h1>
<p>The dashboard is not built: run <code>npm run build</code> and reload.</p>
<p>Send events with any Segment client to <code>/v1/batch</code> (write key as the HTTP Basic user name).</p>
<ul><li><a href="/openapi.json">API description (OpenAPI)</a></li><li><a href="/healthz">Health</a></li>
<li><a href="/metrics">Metrics (Prometheus)</a></li></ul></body></html>`;

/** dist/web of the package this file belongs to, from src/server/routes or dist/src/server/routes. */
export function defaultWebRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'dist', 'web');
}

async function sendIndex(reply: FastifyReply, webRoot: string): Promise<FastifyReply> {
  // Read per request: a `npm run build` while the server runs is picked up on reload.
  const html = await readFile(join(webRoot, 'index.html'), 'utf8').catch(() => NOT_BUILT);
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

/** The dashboard: index.html at each page URL, hashed assets with long-lived caching. */
export function webRoutes(deps: WebRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // serve: false — @fastify/static only adds reply.sendFile; the routes below declare their
    // scopes (registerAuth refuses a route without them, and the plugin's own routes have none).
    await app.register(fastifyStatic, { root: join(deps.webRoot, 'assets'), serve: false });
    for (const url of DASHBOARD_PAGES) {
      app.get(
        url,
        {
          config: { scopes: [] },
          schema: {
            tags: ['dashboard'],
            summary: 'The web dashboard (it asks for a read key and calls the API below)',
            response: { 200: Type.String() },
          },
        },
        async (_request, reply) => sendIndex(reply, deps.webRoot),
      );
    }
    app.get(
      '/assets/*',
      {
        config: { scopes: [] },
        schema: { tags: ['dashboard'], summary: "The dashboard's scripts and styles (content-hashed names)" },
      },
      async (request, reply) => {
        const file = (request.params as { '*': string })['*'];
        // Names carry a content hash: a file never changes under its name.
        return reply.sendFile(file, { maxAge: 365 * 86_400_000, immutable: true });
      },
    );
  };
}
