import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PathwiseError } from '../core/index.js';
import type { ResolvedKey } from '../store/index.js';

/** What a key may do: send events, run queries, export personal data, administer the project. */
export type Scope = 'ingest' | 'query' | 'export' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scopes a caller needs; `[]` marks a public route. Every route must declare it. */
    scopes?: readonly Scope[];
  }
  interface FastifyRequest {
    /** The caller's key, resolved and checked against the route's scopes. */
    apiKey?: ResolvedKey;
  }
}

/** A key from `Authorization: Bearer <key>` or the HTTP Basic username (Segment's convention). */
export function headerKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return header.slice(7).trim() || null;
  if (!header.startsWith('Basic ')) return null;
  const user = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0] ?? '';
  return user === '' ? null : user;
}

/** Segment clients may send the write key as `writeKey` in the body instead of the header. */
function bodyWriteKey(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const key = (body as { writeKey?: unknown }).writeKey;
  return typeof key === 'string' && key !== '' ? key : null;
}

/** A registered route and the scopes it needs. */
export interface RouteScopes {
  readonly method: string;
  readonly url: string;
  readonly scopes: readonly Scope[];
}

const ROUTE_TABLES = new WeakMap<FastifyInstance, RouteScopes[]>();

/** Every route registered on the app, with its scopes (for the route-table test and docs). */
export function routeTable(app: FastifyInstance): readonly RouteScopes[] {
  return ROUTE_TABLES.get(app) ?? [];
}

type ResolveKey = (key: string) => Promise<ResolvedKey | null>;

async function checkKey(resolveKey: ResolveKey, key: string, scopes: readonly Scope[]) {
  const resolved = await resolveKey(key);
  if (!resolved) throw new PathwiseError('PW_AUTH_INVALID_KEY');
  // Write keys ship inside web pages: they must never read (README, "Insights").
  const missing = scopes.find((scope) => !resolved.scopes.includes(scope));
  if (missing) throw new PathwiseError('PW_AUTH_WRONG_SCOPE', { scope: missing });
  return resolved;
}

/**
 * One check for every route: a route that does not declare `config.scopes` cannot be registered,
 * and a route with scopes is reachable only with a key that holds all of them. A header key is
 * checked before the body is read; a body `writeKey` (ingest only) once it is parsed.
 */
export function registerAuth(app: FastifyInstance, resolveKey: ResolveKey): void {
  const table: RouteScopes[] = [];
  ROUTE_TABLES.set(app, table);
  app.addHook('onRoute', (route) => {
    const scopes = route.config?.scopes;
    if (scopes === undefined) throw new Error(`route ${route.method} ${route.url} declares no config.scopes`);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, scopes });
  });
  app.addHook('onRequest', async (request) => {
    const scopes = request.routeOptions.config.scopes ?? [];
    const key = headerKey(request);
    if (scopes.length > 0 && key) request.apiKey = await checkKey(resolveKey, key, scopes);
  });
  app.addHook('preValidation', async (request) => {
    const scopes = request.routeOptions.config.scopes ?? [];
    if (scopes.length === 0 || request.apiKey) return;
    const key = scopes.includes('ingest') ? bodyWriteKey(request.body) : null;
    if (!key) throw new PathwiseError('PW_AUTH_MISSING_KEY');
    request.apiKey = await checkKey(resolveKey, key, scopes);
  });
}

/** The key of an authenticated request (the route declared scopes, so the hooks set it). */
export function requestKey(request: FastifyRequest): ResolvedKey {
  if (!request.apiKey) throw new PathwiseError('PW_AUTH_MISSING_KEY');
  return request.apiKey;
}
