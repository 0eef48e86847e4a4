/**
 * Access over HTTP on a real server with two projects (events sent through /v1/batch):
 *
 * | project | user | events (2026-05-01, property `note`)                         |
 * |---------|------|--------------------------------------------------------------|
 * | default | u1   | signup "alpha-note-1"                                        |
 * | default | u2   | signup "alpha-note-2"                                        |
 * | default | u3   | signup "alpha-note-3"                                        |
 * | other   | v1   | signup "BRAVO-LEAK-1"                                        |
 * | other   | v2   | signup "BRAVO-LEAK-2"                                        |
 *
 * Users: olivia owns default, oscar owns other, bea is an analyst with pii in both, nils an
 * analyst without pii in default. "BRAVO-LEAK", oscar and other's id must never reach a caller
 * of default.
 */
import { join } from 'node:path';
import { sign } from '@fastify/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, verifyAudit } from '../src/privacy/index.js';
import { type RunningServer, routeTable, startServer } from '../src/server/index.js';
import { createProject, type NewProject } from '../src/store/index.js';
import { addUser, type Caller, call, login, PASSWORD } from './access-helpers.js';
import { post, tempDir } from './helpers.js';

const SIGNUPS = {
  kind: 'funnel',
  steps: [{ event: 'signup' }, { event: 'buy' }],
  dateRange: { from: '2026-05-01', to: '2026-05-01' },
};

function batch(users: readonly string[], notePrefix: string) {
  return users.map((u, i) => ({
    type: 'track',
    userId: u,
    event: 'signup',
    timestamp: '2026-05-01T10:00:00Z',
    properties: { note: `${notePrefix}-${i + 1}` },
  }));
}

describe('access over HTTP', () => {
  const tmp = tempDir();
  let server: RunningServer;
  let defaultKeys: NewProject;
  let other: NewProject;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    // Key use is written only when flushed, never by the timer during this test.
    server = await startServer({
      db: join(tmp.dir, 'access.duckdb'),
      port: 0,
      host: '127.0.0.1',
      access: { keyUseFlushMs: 3_600_000 },
    });
    if (!server.createdProject) throw new Error('expected a fresh database');
    defaultKeys = server.createdProject;
    other = await createProject(server.wh, 'other');
    for (const [keys, users, prefix] of [
      [defaultKeys, ['u1', 'u2', 'u3'], 'alpha-note'],
      [other, ['v1', 'v2'], 'BRAVO-LEAK'],
    ] as const) {
      const res = await post(
        `${server.url}/v1/batch`,
        { batch: batch(users, prefix) },
        { writeKey: keys.writeKey },
      );
      expect(res.status).toBe(200);
    }
    await addUser(server.wh, 'olivia', 'default', 'owner');
    await addUser(server.wh, 'oscar', other.project.projectId, 'owner');
    await addUser(server.wh, 'bea', 'default', 'analyst', true);
    await addUser(server.wh, 'bea2', 'default', 'viewer');
    await addUser(server.wh, 'nils', 'default', 'analyst', false);
    await call(
      server,
      'PUT',
      '/api/users/bea/role',
      { cookie: await login(server, 'oscar') },
      { role: 'analyst', pii: true },
    );
    for (const name of ['olivia', 'oscar', 'nils']) cookies[name] = await login(server, name);
    cookies.bea = await login(server, 'bea', 'other');
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('logs in with an HTTP-only, SameSite=Strict signed cookie and says who is calling', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'olivia', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie()[0] ?? '';
    expect(setCookie).toMatch(/^pw_session=[^;]+\.[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const me = await call(server, 'GET', '/api/me', { cookie: cookies.olivia });
    expect(me.body).toMatchObject({ kind: 'user', name: 'olivia', projectId: 'default', role: 'owner' });
    expect(me.body.scopes).toEqual(['view', 'query', 'export', 'pii', 'admin']);
    const wrong = await call(
      server,
      'POST',
      '/api/auth/login',
      {},
      { user: 'olivia', password: 'nope nope nope' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('PW_AUTH_BAD_LOGIN');
    const unknown = await call(server, 'POST', '/api/auth/login', {}, { user: 'nobody', password: PASSWORD });
    expect(unknown.body.code).toBe('PW_AUTH_BAD_LOGIN');
  });

  it('rejects a tampered, foreign-signed, unsigned or logged-out cookie', async () => {
    const cookie = await login(server, 'olivia');
    const value = cookie.slice('pw_session='.length);
    const token = value.slice(0, value.lastIndexOf('.'));
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
    const forged = [
      `pw_session=${flip(value, 3)}`,
      `pw_session=${flip(value, value.length - 2)}`,
      `pw_session=${token}`,
      `pw_session=${sign(token, 'another-secret')}`,
    ];
    for (const bad of forged) {
      const res = await call(server, 'GET', '/api/keys', { cookie: bad });
      expect(res.status, bad).toBe(401);
      expect(res.body.code, bad).toBe('PW_AUTH_INVALID_SESSION');
    }
    expect((await call(server, 'GET', '/api/keys', { cookie })).status).toBe(200);
    expect((await call(server, 'POST', '/api/auth/logout', { cookie })).body).toEqual({ isLoggedOut: true });
    const after = await call(server, 'GET', '/api/keys', { cookie });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('PW_AUTH_INVALID_SESSION');
  });

  it('binds a session to a project the user has a role in', async () => {
    // bea has roles in both projects: she must say which one.
    const bea = await login(server, 'bea');
    const ambiguous = await call(server, 'POST', '/api/query', { cookie: bea }, SIGNUPS);
    expect(ambiguous.body.code).toBe('PW_AUTH_PROJECT_REQUIRED');
    const inOther = await call(server, 'POST', '/api/query', { cookie: bea, project: 'other' }, SIGNUPS);
    expect(inOther.body).toMatchObject({
      steps: [
        { event: 'signup', count: 2 },
        { event: 'buy', count: 0 },
      ],
    });
    const foreign = await call(
      server,
      'POST',
      '/api/query',
      { cookie: cookies.olivia, project: 'other' },
      SIGNUPS,
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('PW_AUTH_NOT_A_MEMBER');
  });

  it('refuses a revoked key at once, and writes last use only when flushed', async () => {
    const owner = { cookie: cookies.olivia };
    const created = await call(server, 'POST', '/api/keys', owner, { name: 'ci', scopes: ['query'] });
    expect(created.status).toBe(200);
    const key = String(created.body.key);
    for (let i = 0; i < 5; i++)
      expect((await call(server, 'POST', '/api/query', { key }, SIGNUPS)).status).toBe(200);
    const lastUsed = async () => {
      const keys = (await call(server, 'GET', '/api/keys', owner)).body.keys as {
        keyId: string;
        lastUsedAt: string | null;
      }[];
      return keys.find((k) => k.keyId === created.body.keyId)?.lastUsedAt;
    };
    expect(await lastUsed()).toBeNull();
    await server.access.flush();
    expect(await lastUsed()).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await call(server, 'DELETE', `/api/keys/${created.body.keyId}`, owner)).status).toBe(200);
    const refused = await call(server, 'POST', '/api/query', { key }, SIGNUPS);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('PW_AUTH_INVALID_KEY');
  });

  it('does not let a member hand out more than they hold', async () => {
    const admin = await call(
      server,
      'POST',
      '/api/users',
      { cookie: cookies.olivia },
      { name: 'root2', role: 'admin' },
    );
    expect(admin.status).toBe(200);
    expect(String(admin.body.password)).toHaveLength(20);
    const asAdmin = { cookie: await loginWith(server, 'root2', String(admin.body.password)) };
    const owner = await call(server, 'PUT', '/api/users/nils/role', asAdmin, { role: 'owner' });
    expect(owner.body.code).toBe('PW_AUTH_FORBIDDEN_GRANT');
    const pii = await call(server, 'PUT', '/api/users/nils/role', asAdmin, { role: 'analyst', pii: true });
    expect(pii.body.code).toBe('PW_AUTH_FORBIDDEN_GRANT');
    const piiKey = await call(server, 'POST', '/api/keys', asAdmin, { scopes: ['query', 'pii'] });
    expect(piiKey.body.code).toBe('PW_AUTH_FORBIDDEN_GRANT');
    const mixed = await call(server, 'POST', '/api/keys', asAdmin, { scopes: ['ingest', 'query'] });
    expect(mixed.body.code).toBe('PW_KEY_INVALID_SCOPES');
    const writeKey = await call(server, 'POST', '/api/keys', asAdmin, { scopes: ['ingest'] });
    expect(String(writeKey.body.key)).toMatch(/^pw_w_/);
    const newOwner = await call(server, 'POST', '/api/users', asAdmin, { name: 'mallory', role: 'owner' });
    expect(newOwner.body.code).toBe('PW_AUTH_FORBIDDEN_GRANT');
    // The refused grant left no account behind.
    const later = await call(
      server,
      'PUT',
      '/api/users/mallory/role',
      { cookie: cookies.olivia },
      { role: 'viewer' },
    );
    expect(later.body.code).toBe('PW_USER_NOT_FOUND');
    const demoteOwner = await call(server, 'DELETE', '/api/users/olivia/role', asAdmin);
    expect(demoteOwner.body.code).toBe('PW_AUTH_FORBIDDEN_GRANT');
  });

  it('gives a caller of one project nothing of the other, through any route, spec or SQL', async () => {
    const sqlKey = String(
      (await call(server, 'POST', '/api/keys', { cookie: cookies.olivia }, { scopes: ['query', 'pii'] })).body
        .key,
    );
    const callers: Caller[] = [{ cookie: cookies.olivia }, { key: sqlKey }, { key: defaultKeys.readKey }];
    const leaks = /BRAVO|oscar|"v[12]"/;
    const otherId = other.project.projectId;
    const bodies: Awaited<ReturnType<typeof call>>[] = [];
    for (const caller of callers) {
      // The spec cannot name a project: it runs in the caller's.
      const q = await call(server, 'POST', '/api/query', caller, {
        ...SIGNUPS,
        projectId: other.project.projectId,
      });
      const n = await call(server, 'POST', '/api/query', caller, SIGNUPS);
      expect(n.body).toMatchObject({
        steps: [
          { event: 'signup', count: 3 },
          { event: 'buy', count: 0 },
        ],
      });
      bodies.push(q, n);
      for (const route of routeTable(server.app)) {
        if (route.method === 'HEAD' || route.url.startsWith('/api/auth') || route.url === '/api/me/password')
          continue;
        // Every parameter, the query string and the body name the other project.
        const path = `${route.url.replace(/:(\w+)/g, otherId)}?project=${otherId}`;
        bodies.push(await call(server, route.method, path, caller, { projectId: otherId }));
      }
    }
    for (const res of bodies) expect(res.text).not.toMatch(leaks);
    // Errors may echo the caller's own input; answers must not name the other project at all.
    const answers = bodies.filter((res) => res.status < 300).map((res) => res.text);
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.join('\n')).not.toContain(otherId);
  });

  it('runs hostile SQL only over the caller’s project', async () => {
    const pia = { cookie: cookies.olivia };
    const dbPath = join(tmp.dir, 'access.duckdb');
    const sql = async (text: string) => call(server, 'POST', '/api/sql', pia, { sql: text });
    const union = await sql(
      "SELECT properties->>'note' AS note FROM events UNION SELECT distinct_id FROM events ORDER BY 1",
    );
    expect(union.body.rows).toEqual(
      ['alpha-note-1', 'alpha-note-2', 'alpha-note-3', 'u1', 'u2', 'u3'].map((note) => ({ note })),
    );
    const sub = await sql(
      "SELECT count(*) AS n FROM events WHERE distinct_id IN (SELECT distinct_id FROM events WHERE distinct_id LIKE 'v%')",
    );
    expect(sub.body.rows).toEqual([{ n: 0 }]);
    for (const hostile of [
      `SELECT * FROM read_parquet('${dbPath}')`,
      `SELECT * FROM read_csv('${dbPath}')`,
      `ATTACH '${dbPath}' AS stolen (READ_ONLY)`,
      `SELECT * FROM '${dbPath}'`,
      `COPY (SELECT 1) TO '${join(tmp.dir, 'x.csv')}'`,
      'SELECT * FROM memory.main.events',
      'SET threads = 1',
      'PRAGMA show_tables',
      'CALL pragma_version()',
      'SELECT 1; SELECT 2',
    ]) {
      const res = await sql(hostile);
      expect(res.status, hostile).toBe(400);
      expect(res.body.code, hostile).toBe('PW_SQL_NOT_ALLOWED');
    }
    const nils = await call(server, 'POST', '/api/sql', { cookie: cookies.nils }, { sql: 'SELECT 1' });
    expect(nils.status).toBe(403);
    expect(nils.body).toMatchObject({ code: 'PW_AUTH_WRONG_SCOPE', details: { scope: 'pii' } });
  });

  it('audits queries, SQL, admin actions and refusals with who, what and rows, readable by admins only', async () => {
    const olivia = { cookie: cookies.olivia };
    await call(server, 'POST', '/api/query', olivia, SIGNUPS);
    await call(server, 'POST', '/api/sql', olivia, { sql: 'SELECT distinct_id FROM events ORDER BY 1' });
    await call(server, 'POST', '/api/sql', { cookie: cookies.nils }, { sql: 'SELECT 42' });
    const key = await call(server, 'POST', '/api/keys', olivia, { name: 'audited', scopes: ['view'] });
    const refused = await call(server, 'GET', '/api/audit', { cookie: cookies.nils });
    expect(refused.status).toBe(403);
    const res = await call(server, 'GET', '/api/audit?limit=1000', olivia);
    expect(res.status).toBe(200);
    const records = res.body.records as AuditRecord[];
    expect(records.every((r) => r.projectId === 'default')).toBe(true);
    const find = (p: (r: AuditRecord) => boolean) => records.find(p);
    expect(find((r) => r.action === 'query' && r.actorName === 'olivia')).toMatchObject({
      actorKind: 'user',
      detail: SIGNUPS,
      status: 200,
      address: '127.0.0.1',
    });
    expect(
      find((r) => r.action === 'sql' && r.actorName === 'olivia' && r.status === 200 && r.rowCount === 3),
    ).toMatchObject({
      detail: { sql: 'SELECT distinct_id FROM events ORDER BY 1' },
    });
    // A refusal is decided before the body is read: the row says who and what route, not the SQL.
    expect(find((r) => r.action === 'sql' && r.actorName === 'nils')).toMatchObject({
      status: 403,
      detail: null,
    });
    expect(find((r) => r.action === 'key.create' && r.target === key.body.keyId)).toMatchObject({
      actorName: 'olivia',
      detail: { name: 'audited', scopes: ['view'] },
    });
    expect(find((r) => r.action === 'audit.read' && r.actorName === 'nils')).toMatchObject({ status: 403 });
    expect(find((r) => r.action === 'user.create' && r.target === 'root2')?.detail).toMatchObject({
      name: 'root2',
    });
    expect(find((r) => r.action === 'auth.login' && r.actorName === 'olivia')).toBeDefined();
    // Failed logins are kept outside any project (GET /api/audit is per project; the CLI shows them).
    const chain = await verifyAudit(server.wh);
    expect(chain.rows).toBeGreaterThan(records.length);
  });

  it('detects an audit row changed behind its back', async () => {
    await server.wh.run({
      sql: 'UPDATE audit_log SET detail = \'{"sql":"SELECT 1"}\' WHERE action = \'sql\' AND status = 403',
    });
    await expect(verifyAudit(server.wh)).rejects.toMatchObject({ code: 'PW_AUDIT_TAMPERED' });
  });
});

async function loginWith(server: RunningServer, user: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  return (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
}
