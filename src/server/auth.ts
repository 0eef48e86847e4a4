import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PathwiseError } from '../core/index.js';
import {
  type AccessControl,
  choosePrincipal,
  type Principal,
  type Scope,
  type SessionIdentity,
} from '../privacy/index.js';

/** What a key or a user's role allows (README, "Access"): ingest, view, query, export, pii, admin. */
export type { Scope } from '../privacy/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scopes a caller needs; `[]` marks a public route. Every route must declare it. */
    scopes?: readonly Scope[];
    /** A public route that still identifies a caller who sends a key or session cookie. */
    hasOptionalAuth?: boolean;
    /** The audit log's name for this route's action, or false when the handler audits itself. */
    audit?: string | false;
  }
  interface FastifyRequest {
    /** The caller: a key or a logged-in user in one project, checked against the route's scopes. */
    principal?: Principal;
    /** The logged-in user of a session cookie, with all their project roles. */
    identity?: SessionIdentity;
    /** Rows the handler returned, for the audit log. */
    auditRows?: number;
    /** What the action was about (a person, key or user), for the audit log. */
    auditTarget?: string;
  }
}

/** The session cookie: a random token, signed with the server's secret, HTTP-only, SameSite=Strict. */
export const SESSION_COOKIE = 'pw_session';

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

/** The project a session request is about: `x-pathwise-project`, else `?project=`. */
function projectHint(request: FastifyRequest): string | null {
  const header = request.headers['x-pathwise-project'];
  if (typeof header === 'string' && header !== '') return header;
  const query = request.query as { project?: unknown } | undefined;
  return typeof query?.project === 'string' && query.project !== '' ? query.project : null;
}

/** The session token of a signed cookie; PW_AUTH_INVALID_SESSION when the signature is wrong. */
export function sessionToken(request: FastifyRequest): string | null {
  const raw = request.cookies?.[SESSION_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) throw new PathwiseError('PW_AUTH_INVALID_SESSION');
  return unsigned.value;
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

function checkScopes(principal: Principal, scopes: readonly Scope[]): void {
  // Write keys ship inside web pages: they must never read (README, "Access").
  const missing = scopes.find((scope) => !principal.scopes.includes(scope));
  if (missing) throw new PathwiseError('PW_AUTH_WRONG_SCOPE', { scope: missing });
}

/** The caller of a request: a header key first, else the session cookie; null when neither is sent. */
async function identify(access: AccessControl, request: FastifyRequest): Promise<Principal | null> {
  const key = headerKey(request);
  if (key) {
    const principal = await access.fromKey(key);
    if (!principal) throw new PathwiseError('PW_AUTH_INVALID_KEY');
    return principal;
  }
  const token = sessionToken(request);
  if (!token) return null;
  request.identity = await access.fromSession(token);
  return choosePrincipal(request.identity, projectHint(request));
}

/**
 * One check for every route: a route that does not declare `config.scopes` cannot be registered,
 * and a route with scopes is reachable only by a key or a logged-in user that holds all of them.
 * A header key or cookie is checked before the body is read; a body `writeKey` (ingest only)
 * once it is parsed. The principal is set before the scope check, so a refusal is audited.
 */
export function registerAuth(app: FastifyInstance, access: AccessControl): void {
  const table: RouteScopes[] = [];
  ROUTE_TABLES.set(app, table);
  app.addHook('onRoute', (route) => {
    const scopes = route.config?.scopes;
    if (scopes === undefined) throw new Error(`route ${route.method} ${route.url} declares no config.scopes`);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, scopes });
  });
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const scopes = config.scopes ?? [];
    if (scopes.length === 0) {
      if (config.hasOptionalAuth)
        request.principal = (await identify(access, request).catch(() => null)) ?? undefined;
      return;
    }
    const principal = await identify(access, request);
    if (!principal) return;
    request.principal = principal;
    checkScopes(principal, scopes);
  });
  app.addHook('preValidation', async (request) => {
    const scopes = request.routeOptions.config.scopes ?? [];
    if (scopes.length === 0 || request.principal) return;
    const key = scopes.includes('ingest') ? bodyWriteKey(request.body) : null;
    if (!key) throw new PathwiseError('PW_AUTH_MISSING_KEY');
    const principal = await access.fromKey(key);
    if (!principal) throw new PathwiseError('PW_AUTH_INVALID_KEY');
    request.principal = principal;
    checkScopes(principal, scopes);
  });
}

/** The caller of an authenticated request (the route declared scopes, so the hooks set it). */
export function requestPrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new PathwiseError('PW_AUTH_MISSING_KEY');
  return request.principal;
}

/** The caller's key or user; kept under its first name for the routes that call it so. */
export const requestKey = requestPrincipal;
