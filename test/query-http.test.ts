/**
 * POST /api/query on a real server (127.0.0.1, port 0) over events sent through /v1/batch,
 * then `pathwise query` on the same file. Fixture (2024-03-01, UTC):
 *
 * | user | events                                   |
 * |------|------------------------------------------|
 * | u1   | view 10:00, signup 10:05                 |
 * | u2   | view 10:00                               |
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { basicAuth, post, startTestServer, tempDir } from './helpers.js';

const FUNNEL = {
  kind: 'funnel',
  steps: [{ event: 'view' }, { event: 'signup' }],
  dateRange: { from: '2024-03-01', to: '2024-03-01' },
};

describe('POST /api/query', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'q.duckdb');
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer(db);
    const batch = [
      { type: 'track', userId: 'u1', event: 'view', timestamp: '2024-03-01T10:00:00Z' },
      { type: 'track', userId: 'u1', event: 'signup', timestamp: '2024-03-01T10:05:00Z' },
      { type: 'track', userId: 'u2', event: 'view', timestamp: '2024-03-01T10:00:00Z' },
    ];
    const res = await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('answers a funnel for a read key sent as Bearer or as the Basic username', async () => {
    for (const authorization of [`Bearer ${server.readKey}`, basicAuth(server.readKey)]) {
      const res = await post(`${server.url}/api/query`, FUNNEL, { headers: { authorization } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        kind: 'funnel',
        timeZone: 'UTC',
        dateRange: {
          from: '2024-03-01T00:00:00.000000Z',
          to: '2024-03-02T00:00:00.000000Z',
          timeZone: 'UTC',
        },
        steps: [
          { event: 'view', count: 2 },
          { event: 'signup', count: 1, conversionFromPrevious: 0.5, avgTimeToConvertSec: 300 },
        ],
      });
    }
  });

  it('refuses a write key with 403 and a missing key with 401', async () => {
    const write = await post(`${server.url}/api/query`, FUNNEL, { writeKey: server.writeKey });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('PW_AUTH_WRONG_SCOPE');
    const none = await post(`${server.url}/api/query`, FUNNEL);
    expect(none.status).toBe(401);
  });

  it('rejects an invalid spec with 400 and names the field', async () => {
    const auth = { headers: { authorization: `Bearer ${server.readKey}` } };
    const bad = await post(`${server.url}/api/query`, { kind: 'funnel', steps: [{ event: 'view' }] }, auth);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('PW_QUERY_INVALID_SPEC');
    expect(String(bad.body.message)).toContain('/steps');
    const unknown = await post(`${server.url}/api/query`, { kind: 'nope' }, auth);
    expect(unknown.body.code).toBe('PW_QUERY_UNKNOWN_KIND');
  });

  it('documents the route in OpenAPI', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain('/api/query');
  });

  it('gives the same result from the CLI', async () => {
    await server.close();
    const res = await runCli(['query', '--spec', JSON.stringify(FUNNEL), '--db', db]);
    expect(res.stderr).toBe('');
    const out = JSON.parse(res.stdout) as { steps: { count: number }[] };
    expect(out.steps.map((s) => s.count)).toEqual([2, 1]);
    const bad = await runCli(['query', '--spec', '{"kind":"trends"}', '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/PW_QUERY_INVALID_SPEC/);
  });
});
