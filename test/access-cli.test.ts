/**
 * The access commands as an operator runs them, in child processes, on a file with two
 * projects (rows inserted directly):
 *
 * | project | events (message_id)  |
 * |---------|----------------------|
 * | default | d1, d2               |
 * | other   | o1, o2, o3           |
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, ensureDefaultProject, findKey, openWarehouse } from '../src/store/index.js';
import { runCli } from './cli.js';
import { tempDir } from './helpers.js';

describe('pathwise user, key, sql and audit', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'cli-access.duckdb');
  beforeAll(async () => {
    const wh = await openWarehouse({ path: db, threads: 1 });
    await ensureDefaultProject(wh);
    await createProject(wh, 'other', { projectId: 'other' });
    for (const [project, id] of [
      ['default', 'd1'],
      ['default', 'd2'],
      ['other', 'o1'],
      ['other', 'o2'],
      ['other', 'o3'],
    ] as const)
      await wh.run({
        sql: "INSERT INTO events (project_id, message_id, event) VALUES ($1, $2, 'e')",
        params: [project, id],
      });
    await wh.close();
  });
  afterAll(() => tmp.cleanup());

  it('creates a user, lets them run SQL over their project only, manages keys and audits it all', async () => {
    const created = await runCli(['user', 'create', 'alice', '--role', 'analyst', '--pii', '--db', db]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/user alice: analyst with pii in project default/);
    const password = /password: (\S+)/.exec(created.stdout)?.[1] ?? '';
    expect(password).toHaveLength(20);

    const env = { PATHWISE_PASSWORD: password };
    const sql = await runCli(
      ['sql', 'SELECT message_id FROM events ORDER BY 1', '--user', 'alice', '--format', 'json', '--db', db],
      { env },
    );
    expect(sql.code, sql.stderr).toBe(0);
    expect(
      sql.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ message_id: 'd1' }, { message_id: 'd2' }]);

    const demoted = await runCli(['user', 'grant', 'alice', '--role', 'viewer', '--db', db]);
    expect(demoted.stdout).toMatch(/user alice: viewer in project default/);
    const refused = await runCli(['sql', 'SELECT 1', '--user', 'alice', '--db', db], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/PW_AUTH_WRONG_SCOPE/);

    const key = await runCli(['key', 'create', '--scopes', 'query', '--name', 'ci', '--db', db]);
    expect(key.code, key.stderr).toBe(0);
    const keyId = /key (k_\w+)/.exec(key.stdout)?.[1] ?? '';
    const secret = /(pw_r_\w{32})/.exec(key.stdout)?.[1] ?? '';
    const revoked = await runCli(['key', 'revoke', keyId, '--db', db]);
    expect(revoked.stdout).toMatch(new RegExp(`key ${keyId} revoked`));

    const person = await runCli(['person', 'nobody', '--db', db]);
    expect(person.stderr).toMatch(/PW_PERSON_NOT_FOUND/);

    const audit = await runCli(['audit', '--project', 'default', '--format', 'json', '--db', db]);
    expect(audit.code, audit.stderr).toBe(0);
    const rows = audit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const actions = rows.map((r) => `${r.action} ${r.actorKind}:${r.actorName} ${r.status}`);
    expect(actions.slice(0, 7)).toEqual([
      expect.stringMatching(/^person\.view cli:\S+ 404$/),
      expect.stringMatching(/^key\.revoke cli:\S+ 200$/),
      expect.stringMatching(/^key\.create cli:\S+ 200$/),
      'sql user:alice 403',
      expect.stringMatching(/^user\.grant cli:\S+ 200$/),
      'sql user:alice 200',
      expect.stringMatching(/^user\.create cli:\S+ 200$/),
    ]);
    expect(rows[5]).toMatchObject({
      rowCount: 2,
      detail: { sql: 'SELECT message_id FROM events ORDER BY 1' },
    });
    expect(rows[1]).toMatchObject({ target: keyId });

    const verified = await runCli(['audit', '--verify', '--db', db]);
    expect(verified.stdout).toMatch(/audit log intact: 8 rows, last seq 8/);

    const wh = await openWarehouse({ path: db, isReadOnly: true });
    try {
      expect(await findKey(wh, secret)).toBeNull();
    } finally {
      await wh.close();
    }
  }, 180_000);
});
