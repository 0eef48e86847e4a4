import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { createProject, openWarehouse, type Warehouse } from '../store/index.js';
import {
  appendAudit,
  cliPrincipal,
  createKey,
  createUser,
  grantRole,
  listAudit,
  listMembers,
  memberPrincipal,
  parseKeyScopes,
  redactSecrets,
  revokeRole,
  verifyAudit,
} from './index.js';

const COST = { logN: 10, r: 8, p: 1 } as const;

describe('roles, grants and keys', () => {
  const tmp = tempDir();
  let wh: Warehouse;
  let projectId: string;
  beforeAll(async () => {
    wh = await openWarehouse({ path: join(tmp.dir, 'access.duckdb'), threads: 1 });
    projectId = (await createProject(wh, 'shop')).project.projectId;
    for (const name of ['own', 'adm', 'ana', 'vie'])
      await createUser(wh, name, 'long enough pw', { cost: COST });
  });
  afterAll(async () => {
    await wh.close();
    tmp.cleanup();
  });

  it('derives a member’s scopes from the role and the pii grant', async () => {
    const cli = cliPrincipal(projectId);
    expect((await grantRole(wh, cli, 'own', { role: 'owner', hasPii: false })).scopes).toEqual([
      'view',
      'query',
      'export',
      'pii',
      'admin',
    ]);
    expect((await grantRole(wh, cli, 'adm', { role: 'admin', hasPii: false })).scopes).toEqual([
      'view',
      'query',
      'export',
      'admin',
    ]);
    expect((await grantRole(wh, cli, 'ana', { role: 'analyst', hasPii: true })).scopes).toEqual([
      'view',
      'query',
      'export',
      'pii',
    ]);
    await expect(grantRole(wh, cli, 'vie', { role: 'viewer', hasPii: true })).rejects.toMatchObject({
      code: 'PW_USER_INVALID',
    });
    expect((await grantRole(wh, cli, 'vie', { role: 'viewer', hasPii: false })).scopes).toEqual(['view']);
    await expect(grantRole(wh, cli, 'ana', { role: 'root', hasPii: false })).rejects.toMatchObject({
      code: 'PW_USER_INVALID',
    });
  });

  it('keeps grants within the grantor’s own powers and keeps one owner', async () => {
    const members = await listMembers(wh, projectId);
    const as = (name: string) => {
      const member = members.find((m) => m.userName === name);
      if (!member) throw new Error(`no member ${name}`);
      return memberPrincipal(member);
    };
    const forbidden = { code: 'PW_AUTH_FORBIDDEN_GRANT' };
    await expect(grantRole(wh, as('adm'), 'ana', { role: 'owner', hasPii: false })).rejects.toMatchObject(
      forbidden,
    );
    await expect(grantRole(wh, as('adm'), 'own', { role: 'analyst', hasPii: false })).rejects.toMatchObject(
      forbidden,
    );
    await expect(grantRole(wh, as('adm'), 'vie', { role: 'analyst', hasPii: true })).rejects.toMatchObject(
      forbidden,
    );
    expect((await grantRole(wh, as('adm'), 'vie', { role: 'analyst', hasPii: false })).role).toBe('analyst');
    await expect(grantRole(wh, as('ana'), 'vie', { role: 'viewer', hasPii: false })).rejects.toMatchObject({
      code: 'PW_AUTH_WRONG_SCOPE',
    });
    await expect(revokeRole(wh, as('own'), 'own')).rejects.toMatchObject(forbidden);
    expect((await grantRole(wh, as('own'), 'adm', { role: 'owner', hasPii: false })).role).toBe('owner');
    expect((await revokeRole(wh, as('own'), 'own')).role).toBe('owner');
  });

  it('issues keys only with scopes the issuer holds, ingest alone', async () => {
    const admin = {
      ...cliPrincipal(projectId),
      kind: 'user' as const,
      scopes: ['view', 'query', 'admin'] as const,
    };
    await expect(
      createKey(wh, { ...admin, scopes: [...admin.scopes] }, { scopes: 'query,pii' }),
    ).rejects.toMatchObject({
      code: 'PW_AUTH_FORBIDDEN_GRANT',
    });
    const issued = await createKey(wh, { ...admin, scopes: [...admin.scopes] }, { scopes: 'ingest' });
    expect(issued).toMatchObject({ kind: 'write', scopes: ['ingest'] });
    expect(issued.key).toMatch(/^pw_w_[0-9A-Za-z]{32}$/);
    expect(() => parseKeyScopes('ingest,query')).toThrow(/take no other scope/);
    expect(() => parseKeyScopes('query,root')).toThrow(/unknown scope "root"/);
    expect(parseKeyScopes(' query, pii ,query')).toEqual(['query', 'pii']);
  });
});

describe('the audit log', () => {
  const tmp = tempDir();
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await openWarehouse({ path: join(tmp.dir, 'audit.duckdb'), threads: 1 });
  });
  afterAll(async () => {
    await wh.close();
    tmp.cleanup();
  });

  it('chains concurrent appends in order and lists them newest first, with secrets redacted', async () => {
    const actor = { kind: 'user' as const, id: 'u_1', name: 'ann' };
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        appendAudit(wh, {
          projectId: i % 2 === 0 ? 'p1' : 'p2',
          actor,
          action: i === 0 ? 'user.create' : 'sql',
          detail: { sql: `SELECT ${i}`, password: 'hunter2hunter2' },
          rowCount: i,
          status: 200,
        }),
      ),
    );
    const p1 = await listAudit(wh, { projectId: 'p1' });
    expect(p1.map((r) => r.seq)).toEqual([7, 5, 3, 1]);
    expect(p1[3]).toMatchObject({
      action: 'user.create',
      detail: { sql: 'SELECT 0', password: '[redacted]' },
    });
    expect((await listAudit(wh, { projectId: null, action: 'sql' })).length).toBe(7);
    expect(await verifyAudit(wh)).toEqual({ rows: 8, lastSeq: 8 });
    await wh.run({ sql: 'DELETE FROM audit_log WHERE seq = 4' });
    await expect(verifyAudit(wh)).rejects.toMatchObject({ code: 'PW_AUDIT_TAMPERED', details: { seq: 5 } });
  });

  it('redacts password, secret and token fields at any depth', () => {
    expect(redactSecrets({ a: 1, newPassword: 'x', nested: [{ apiToken: 't', keep: 'k' }] })).toEqual({
      a: 1,
      newPassword: '[redacted]',
      nested: [{ apiToken: '[redacted]', keep: 'k' }],
    });
  });
});
