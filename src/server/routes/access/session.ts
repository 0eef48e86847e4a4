import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { PathwiseError } from '../../../core/index.js';
import {
  type AccessControl,
  appendAudit,
  checkLogin,
  choosePrincipal,
  endSession,
  membershipsOf,
  SESSION_TTL_MS,
  setPassword,
  startSession,
} from '../../../privacy/index.js';
import type { Warehouse } from '../../../store/index.js';
import { auditActor } from '../../audit.js';
import { headerKey, SESSION_COOKIE, sessionToken } from '../../auth.js';
import { GUARDED_ERRORS, MeReply } from './schemas.js';

/** What the session routes need. */
export interface SessionRouteDeps {
  readonly wh: Warehouse;
  readonly access: AccessControl;
}

const LoginBody = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  project: Type.Optional(Type.String()),
});
type LoginBody = Type.Static<typeof LoginBody>;

const PasswordBody = Type.Object({
  currentPassword: Type.String({ maxLength: 1024 }),
  newPassword: Type.String({ maxLength: 1024 }),
});
type PasswordBody = Type.Static<typeof PasswordBody>;

function me(request: FastifyRequest): Type.Static<typeof MeReply> {
  const identity = request.identity;
  const principal = request.principal;
  if (!principal && !identity) {
    if (headerKey(request)) throw new PathwiseError('PW_AUTH_INVALID_KEY');
    const hasCookie = request.cookies?.[SESSION_COOKIE] !== undefined;
    throw new PathwiseError(hasCookie ? 'PW_AUTH_INVALID_SESSION' : 'PW_AUTH_MISSING_KEY');
  }
  return {
    kind: principal?.kind ?? 'user',
    id: principal?.id ?? identity?.user.userId ?? '',
    name: principal?.name ?? identity?.user.name ?? '',
    projectId: principal?.projectId ?? null,
    role: principal?.role ?? null,
    scopes: [...(principal?.scopes ?? [])],
    memberships: [...(identity?.memberships ?? [])].map((m) => ({ ...m, scopes: [...m.scopes] })),
  };
}

async function login(deps: SessionRouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const body = request.body as LoginBody;
  const user = await checkLogin(deps.wh, body.user, body.password);
  if (!user) {
    await appendAudit(deps.wh, {
      projectId: null,
      actor: { kind: 'anonymous', id: null, name: body.user },
      action: 'auth.login',
      status: 401,
      address: request.ip,
    });
    throw new PathwiseError('PW_AUTH_BAD_LOGIN');
  }
  const identity = { user, memberships: await membershipsOf(deps.wh, user.userId) };
  // A session belongs to the user; a login names a project only to check it (or when there is one).
  const principal =
    body.project || identity.memberships.length === 1
      ? choosePrincipal(identity, body.project ?? null)
      : undefined;
  const token = await startSession(deps.wh, user.userId, request.ip);
  await appendAudit(deps.wh, {
    projectId: principal?.projectId ?? null,
    actor: { kind: 'user', id: user.userId, name: user.name },
    action: 'auth.login',
    status: 200,
    address: request.ip,
  });
  reply.setCookie(SESSION_COOKIE, token, {
    signed: true,
    httpOnly: true,
    // Strict: the browser never sends the cookie with a cross-site request, so no CSRF token is needed.
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
  request.identity = identity;
  if (principal) request.principal = principal;
  return me(request);
}

/** Login, logout, who am I, change my password. */
export function sessionRoutes(deps: SessionRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post(
      '/auth/login',
      {
        config: { scopes: [], audit: false },
        schema: {
          tags: ['access'],
          summary: 'Log in with a user name and password: sets the signed, HTTP-only session cookie',
          body: LoginBody,
          response: { 200: MeReply, ...GUARDED_ERRORS },
        },
      },
      (request, reply) => login(deps, request, reply),
    );
    app.post(
      '/auth/logout',
      {
        config: { scopes: [], hasOptionalAuth: true, audit: false },
        schema: {
          tags: ['access'],
          summary: 'End the session of the cookie and clear it',
          response: { 200: Type.Object({ isLoggedOut: Type.Boolean() }), ...GUARDED_ERRORS },
        },
      },
      async (request, reply) => {
        const token = (() => {
          try {
            return sessionToken(request);
          } catch {
            return null;
          }
        })();
        if (token) {
          await endSession(deps.wh, token);
          deps.access.invalidate();
          if (request.identity) {
            const user = request.identity.user;
            await appendAudit(deps.wh, {
              projectId: request.principal?.projectId ?? null,
              actor: { kind: 'user', id: user.userId, name: user.name },
              action: 'auth.logout',
              status: 200,
              address: request.ip,
            });
          }
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { isLoggedOut: token !== null };
      },
    );
    app.get(
      '/me',
      {
        config: { scopes: [], hasOptionalAuth: true, audit: false },
        schema: {
          tags: ['access'],
          summary: 'Who is calling: key or user, project, role, scopes, and a user’s roles in every project',
          querystring: Type.Object({ project: Type.Optional(Type.String()) }),
          response: { 200: MeReply, ...GUARDED_ERRORS },
        },
      },
      async (request) => me(request),
    );
    app.post(
      '/me/password',
      {
        config: { scopes: [], hasOptionalAuth: true, audit: false },
        schema: {
          tags: ['access'],
          summary: 'Change your own password (every session of yours ends)',
          body: PasswordBody,
          response: { 200: Type.Object({ isChanged: Type.Boolean() }), ...GUARDED_ERRORS },
        },
      },
      async (request, reply) => {
        const identity = request.identity;
        if (!identity) throw new PathwiseError('PW_AUTH_MISSING_KEY');
        const body = request.body as PasswordBody;
        if (!(await checkLogin(deps.wh, identity.user.name, body.currentPassword)))
          throw new PathwiseError('PW_AUTH_BAD_LOGIN');
        await setPassword(deps.wh, identity.user.name, body.newPassword);
        deps.access.invalidate();
        const actor = request.principal
          ? auditActor(request.principal)
          : { kind: 'user' as const, id: identity.user.userId, name: identity.user.name };
        await appendAudit(deps.wh, {
          projectId: request.principal?.projectId ?? null,
          actor,
          action: 'user.password',
          target: identity.user.name,
          status: 200,
          address: request.ip,
        });
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { isChanged: true };
      },
    );
  };
}
