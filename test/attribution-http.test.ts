/**
 * The attribution insight through `POST /api/query` on a real server, then `pathwise
 * attribution` and `pathwise query` on the same file. Fixture (2026-03, UTC; visits' channels
 * from their landing URL and referrer):
 *
 * | person | visits                                   | purchase (revenue)     |
 * |--------|------------------------------------------|------------------------|
 * | p1     | display Mar 1 10:00, email Mar 2 10:00   | Mar 2 10:01 (100)      |
 * | p2     | display Mar 1 11:00                      | —                      |
 * | p3     | email Mar 2 12:00                        | Mar 2 12:01 (50)       |
 *
 * First touch: display 1, email 1. Last touch: email 2. Linear: display 0.5, email 1.5.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { post, startTestServer, tempDir } from './helpers.js';

const tmp = tempDir();
const db = join(tmp.dir, 'attribution.duckdb');
let server: Awaited<ReturnType<typeof startTestServer>>;

const DISPLAY = '?utm_source=criteo&utm_medium=display&utm_campaign=p';
const EMAIL = '?utm_source=news&utm_medium=email&utm_campaign=w';
const page = (userId: string, at: string, search: string) => ({
  type: 'page',
  userId,
  timestamp: `2026-03-0${at}Z`,
  context: { page: { url: `https://shop.test/${search}`, search } },
});
const purchase = (userId: string, at: string, revenue: number) => ({
  type: 'track',
  event: 'purchase',
  userId,
  timestamp: `2026-03-0${at}Z`,
  properties: { revenue },
});
const SPEC = {
  kind: 'attribution',
  dateRange: { from: '2026-03-01', to: '2026-03-31' },
  conversion: { event: 'purchase', valueProperty: 'revenue' },
  bootstrapSamples: 20,
};

beforeAll(async () => {
  server = await startTestServer(db);
  const batch = [
    page('p1', '1T10:00:00', DISPLAY),
    page('p1', '2T10:00:00', EMAIL),
    purchase('p1', '2T10:01:00', 100),
    page('p2', '1T11:00:00', DISPLAY),
    page('p3', '2T12:00:00', EMAIL),
    purchase('p3', '2T12:01:00', 50),
  ];
  expect((await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey })).status).toBe(200);
  await server.processor.whenIdle();
});
afterAll(async () => {
  await server?.close();
  tmp.cleanup();
});

const asRead = () => ({ headers: { authorization: `Bearer ${server.readKey}` } });

describe('POST /api/query with kind attribution', () => {
  it('answers every model side by side, with cost per conversion from the spend sent', async () => {
    const res = await post(
      `${server.url}/api/query`,
      { ...SPEC, spend: { display: 30, email: 20 } },
      asRead(),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'attribution',
      timeZone: 'UTC',
      summary: { journeys: 3, convertingJourneys: 2, conversions: 2, value: 150 },
    });
    const rows = Object.fromEntries(
      (
        res.body.comparison as {
          channel: string;
          conversions: Record<string, number>;
          costPerConversion: Record<string, number>;
        }[]
      ).map((r) => [r.channel, r]),
    );
    expect(rows.display?.conversions).toMatchObject({ first_touch: 1, last_touch: 0, linear: 0.5 });
    expect(rows.email?.conversions).toMatchObject({ first_touch: 1, last_touch: 2, linear: 1.5 });
    expect(rows.email?.costPerConversion.last_touch).toBe(10);
    expect(rows.display?.costPerConversion.first_touch).toBe(30);
    expect(res.body.recommendation).toMatchObject({ basis: 'markov_1' });
    expect(res.body.topJourneys).toContainEqual({
      path: ['display'],
      journeys: 1,
      conversions: 0,
      conversionRate: 0,
      value: 0,
    });
  });

  it('rejects a bad spec, and a write key', async () => {
    const bad = await post(
      `${server.url}/api/query`,
      { ...SPEC, positionBased: { first: 0.7, last: 0.6 } },
      asRead(),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('PW_QUERY_INVALID_SPEC');
    const noConversion = await post(`${server.url}/api/query`, { kind: 'attribution' }, asRead());
    expect(noConversion.status).toBe(400);
    const write = await post(`${server.url}/api/query`, SPEC, {
      headers: { authorization: `Bearer ${server.writeKey}` },
    });
    expect(write.status).toBe(403);
  });
});

describe('pathwise attribution', () => {
  beforeAll(async () => {
    await server.close();
  });

  it('prints the comparison table with spend from a CSV file, and the advice', async () => {
    const spend = join(tmp.dir, 'spend.csv');
    writeFileSync(spend, 'channel,spend\ndisplay,30\nemail,20\n');
    const { kind: _, ...spec } = SPEC;
    const out = await runCli(['attribution', '--spec', JSON.stringify(spec), '--spend', spend, '--db', db]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/channel\s+first_touch\s+last_touch/);
    expect(out.stdout).toMatch(/email\s+1\.0\s+2\.0\s+2\.0\s+1\.5/);
    expect(out.stdout).toMatch(/cost\/conv markov_1/);
    expect(out.stdout).toContain('Basis: Markov order 1');
  });

  it('runs the same spec through pathwise query as JSON', async () => {
    const json = await runCli(['query', '--spec', JSON.stringify(SPEC), '--db', db]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'attribution', summary: { journeys: 3 } });
  });
});
