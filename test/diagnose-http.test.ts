/**
 * POST /api/diagnose on a real server (127.0.0.1, port 0) over events sent through /v1/batch,
 * then `pathwise diagnose` on the same file. Fixture (2024-03-01, UTC), funnel view → buy:
 *
 * | user | events                   | os      |
 * |------|--------------------------|---------|
 * | u1   | view 10:00, buy 10:05    | iOS     |
 * | u2   | view 10:00               | Android |
 * | u3   | view 10:00, buy 10:10    | iOS     |
 * | u4   | view 10:00               | Android |
 *
 * 4 entered, 2 bought: the only move loses 2 people (50%).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { post, startTestServer, tempDir } from './helpers.js';

const SPEC = {
  funnel: {
    kind: 'funnel',
    steps: [{ event: 'view' }, { event: 'buy' }],
    dateRange: { from: '2024-03-01', to: '2024-03-03' },
  },
  minSegmentSize: 5,
};

function track(userId: string, event: string, time: string, os: string) {
  return { type: 'track', userId, event, timestamp: `2024-03-01T${time}:00Z`, context: { os: { name: os } } };
}

describe('POST /api/diagnose', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'd.duckdb');
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const auth = () => ({ headers: { authorization: `Bearer ${server.readKey}` } });

  beforeAll(async () => {
    server = await startTestServer(db);
    const batch = [
      track('u1', 'view', '10:00', 'iOS'),
      track('u1', 'buy', '10:05', 'iOS'),
      track('u2', 'view', '10:00', 'Android'),
      track('u3', 'view', '10:00', 'iOS'),
      track('u3', 'buy', '10:10', 'iOS'),
      track('u4', 'view', '10:00', 'Android'),
    ];
    const res = await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('diagnoses a funnel for a read key', async () => {
    const res = await post(`${server.url}/api/diagnose`, SPEC, auth());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'diagnosis',
      timeZone: 'UTC',
      funnel: [
        { index: 1, event: 'view', count: 4 },
        { index: 2, event: 'buy', count: 2, dropOff: 2, dropOffRate: 0.5 },
      ],
      biggestDrop: { byPeople: { step: 2, fromEvent: 'view', toEvent: 'buy', lost: 2, rate: 0.5 } },
      segments: [],
    });
    const summary = res.body.summary as { lines: string[] };
    expect(summary.lines[0]).toBe('4 entered view; 2 reached buy (50.0%).');
  });

  it('refuses a write key with 403 and rejects an invalid spec with 400, naming the field', async () => {
    const write = await post(`${server.url}/api/diagnose`, SPEC, { writeKey: server.writeKey });
    expect(write.status).toBe(403);
    const bad = await post(`${server.url}/api/diagnose`, { ...SPEC, fdr: 2 }, auth());
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('PW_DIAGNOSE_INVALID_SPEC');
    expect(String(bad.body.message)).toContain('/fdr');
    const unordered = await post(
      `${server.url}/api/diagnose`,
      { ...SPEC, funnel: { ...SPEC.funnel, mode: 'unordered' } },
      auth(),
    );
    expect(unordered.status).toBe(400);
    expect(unordered.body.code).toBe('PW_QUERY_INVALID_SPEC');
  });

  it('documents the route in OpenAPI', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain('/api/diagnose');
  });

  it('gives the same diagnosis from the CLI, as JSON or as the summary', async () => {
    await server.close();
    const json = await runCli(['diagnose', '--spec', JSON.stringify(SPEC), '--db', db]);
    expect(json.stderr).toBe('');
    expect((JSON.parse(json.stdout) as { funnel: { count: number }[] }).funnel.map((s) => s.count)).toEqual([
      4, 2,
    ]);
    const text = await runCli(['diagnose', '--spec', JSON.stringify(SPEC), '--db', db, '--format', 'text']);
    expect(text.stdout).toContain('Biggest drop: view → buy loses 2 people (50.0%).');
  });
});
