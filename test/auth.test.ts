import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScope, PII_ROLES, ROLE_SCOPES, ROLES, type Role, SCOPES, scopesOf } from '../src/privacy/index.js';
import { routeTable } from '../src/server/index.js';
import { addUser, call, login } from './access-helpers.js';
import { basicAuth, startTestServer, tempDir } from './helpers.js';

/** Walks the live route table: a route without declared scopes cannot even be registered. */
describe('every route declares and enforces its scopes', () => {
  const tmp = tempDir();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer(`${tmp.dir}/auth.duckdb`);
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('answers 401 without a key and 403 with a key lacking the scope, on every non-public route', async () => {
    const all = routeTable(server.app);
    expect(all.every((r) => Array.isArray(r.scopes))).toBe(true);
    const guarded = all.filter((r) => r.scopes.length > 0 && r.method !== 'HEAD');
    expect(guarded.length).toBeGreaterThan(5);
    for (const route of guarded) {
      const url = `${server.url}${route.url.replace(/:(\w+)/g, 'x')}`;
      const init = { method: route.method, headers: { 'content-type': 'application/json' }, body: '{}' };
      const anonymous = await fetch(url, route.method === 'GET' ? { method: 'GET' } : init);
      expect(anonymous.status, `${route.method} ${route.url}`).toBe(401);
      // A read key lacks "ingest"; a write key lacks every other scope.
      const wrongKey = route.scopes.includes('ingest') ? server.readKey : server.writeKey;
      const headers = { ...init.headers, authorization: basicAuth(wrongKey) };
      const wrong = await fetch(
        url,
        route.method === 'GET' ? { method: 'GET', headers } : { ...init, headers },
      );
      expect(wrong.status, `${route.method} ${route.url}`).toBe(403);
    }
  });
});

/**
 * Every role against every guarded route, derived from the live route table: a role may call a
 * route exactly when its scopes (ROLE_SCOPES, plus pii when granted) hold every scope the route
 * declares; otherwise it gets 403 naming the first missing scope. New routes are covered as
 * soon as they are registered; a route whose scope is not in the matrix fails here.
 */
describe('roles × routes', () => {
  const tmp = tempDir();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const members: { name: string; role: Role; hasPii: boolean; cookie: string }[] = [
    { name: 'olivia', role: 'owner', hasPii: true, cookie: '' },
    { name: 'adam', role: 'admin', hasPii: false, cookie: '' },
    { name: 'ada', role: 'admin', hasPii: true, cookie: '' },
    { name: 'anna', role: 'analyst', hasPii: false, cookie: '' },
    { name: 'pia', role: 'analyst', hasPii: true, cookie: '' },
    { name: 'victor', role: 'viewer', hasPii: false, cookie: '' },
  ];
  beforeAll(async () => {
    server = await startTestServer(`${tmp.dir}/matrix.duckdb`);
    for (const m of members) {
      await addUser(server.wh, m.name, 'default', m.role, m.hasPii);
      m.cookie = await login(server, m.name);
    }
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('knows every scope a route declares', () => {
    const declared = new Set(routeTable(server.app).flatMap((r) => r.scopes));
    expect([...declared].filter((s) => !isScope(s))).toEqual([]);
    for (const scope of declared)
      expect(ROLES.some((r) => scopesOf(r, true).includes(scope)) || scope === 'ingest').toBe(true);
  });

  it('allows a role exactly the routes whose scopes it holds, and answers 403 naming the missing scope', async () => {
    const guarded = routeTable(server.app).filter((r) => r.scopes.length > 0 && r.method !== 'HEAD');
    const outcomes: string[] = [];
    for (const route of guarded) {
      const path = route.url.replace(/:(\w+)/g, 'x');
      for (const m of members) {
        const held = scopesOf(m.role, m.hasPii);
        const missing = route.scopes.find((s) => !held.includes(s));
        const res = await call(server, route.method, path, { cookie: m.cookie });
        const where = `${m.role}${m.hasPii ? '+pii' : ''} ${route.method} ${route.url}`;
        if (missing) {
          expect(res.status, where).toBe(403);
          expect(res.body, where).toMatchObject({ code: 'PW_AUTH_WRONG_SCOPE', details: { scope: missing } });
        } else {
          expect([401, 403], `${where}: ${res.text}`).not.toContain(res.status);
        }
        outcomes.push(`${where} ${missing ? 'refused' : 'allowed'}`);
      }
    }
    // The matrix is not vacuous: admin routes are refused to analysts, raw SQL to analysts without pii.
    expect(outcomes).toContain('analyst POST /api/sql refused');
    expect(outcomes).toContain('analyst+pii POST /api/sql allowed');
    expect(outcomes).toContain('admin GET /api/audit allowed');
    expect(outcomes).toContain('analyst+pii GET /api/audit refused');
    expect(outcomes).toContain('viewer POST /api/query refused');
    expect(outcomes).toContain('owner+pii POST /v1/batch refused');
  });

  it('matches the roles × scopes table in README', () => {
    const lines = readFileSync(resolve(import.meta.dirname, '..', 'README.md'), 'utf8').split('\n');
    const header = lines.findIndex((l) =>
      /^\| scope +\| owner +\| admin +\| analyst +\| viewer +\|$/.test(l),
    );
    expect(header).toBeGreaterThan(0);
    const table = lines.slice(header + 2, header + 2 + SCOPES.length);
    for (const scope of SCOPES) {
      const line = table.find((l) => l.startsWith(`| \`${scope}\` `));
      expect(line, scope).toBeDefined();
      const cells = (line ?? '')
        .split('|')
        .slice(2, 2 + ROLES.length)
        .map((c) => c.trim());
      ROLES.forEach((role, i) => {
        const cell = cells[i] ?? '';
        const isHeld = ROLE_SCOPES[role].includes(scope);
        const isGrantable = scope === 'pii' && !isHeld && PII_ROLES.includes(role);
        expect(`${scope}/${role}: ${cell}`).toBe(
          `${scope}/${role}: ${isHeld ? 'yes' : isGrantable ? 'if granted' : 'no'}`,
        );
      });
    }
  });
});
