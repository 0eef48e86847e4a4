/**
 * The audit log page in a real browser (Debian's Chromium driven by playwright-core) against a
 * real server: the rows it shows are the rows GET /api/audit returns for the same filter (two
 * queries, one allowed and one refused, hand-made here), the chain check reports an intact
 * chain and then the row an UPDATE behind the log's back broke, and a key without `admin` sees
 * the server's refusal. Screenshots go to test-artifacts/audit (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../src/store/index.js';
import { startTestServer, tempDir } from './helpers.js';
import { CHROMIUM, ensureWebBuild } from './web-build.js';

const SHOTS = resolve(import.meta.dirname, '..', 'test-artifacts', 'audit');
const tmp = tempDir();
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let page: Page;
let adminKey: string;
let viewerKey: string;

async function post(path: string, key: string, body: unknown): Promise<number> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function signIn(key: string): Promise<void> {
  await page.goto(`${server.url}/#key=${key}`);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

const SPEC = {
  kind: 'trends',
  series: [{ event: 'signup' }],
  interval: 'day',
  dateRange: { from: '2026-05-01', to: '2026-05-02' },
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const webRoot = ensureWebBuild();
  server = await startTestServer(`${tmp.dir}/audit.duckdb`, { webRoot });
  const wh = server.wh;
  adminKey = (await issueApiKey(wh, { projectId: 'default', scopes: ['view', 'query', 'admin'] })).key;
  viewerKey = (await issueApiKey(wh, { projectId: 'default', scopes: ['view'] })).key;
  browser = await chromium.launch({ ...CHROMIUM, args: [...CHROMIUM.args] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  tmp.cleanup();
});

describe('the audit log page', () => {
  it('shows the rows GET /api/audit returns, newest first, refusals included', async () => {
    expect(await post('/api/query', server.readKey, SPEC)).toBe(200);
    expect(await post('/api/query', viewerKey, SPEC)).toBe(403);
    await signIn(adminKey);
    await page.goto(`${server.url}/audit?action=query`);
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.waitFor({ timeout: 20_000 });
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const cells = async (i: number) =>
      (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    const res = await fetch(`${server.url}/api/audit?action=query`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const { records } = (await res.json()) as { records: { seq: number; status: number; actorId: string }[] };
    expect(records.map((r) => r.status)).toEqual([403, 200]);
    for (const [i, r] of records.entries()) {
      const c = await cells(i);
      expect(c[0]).toBe(String(r.seq));
      expect(c[3]).toBe('query');
      expect(c[5]).toBe(String(r.status));
    }
    // The allowed query's detail is the spec the caller sent.
    await rows.nth(1).getByRole('button', { name: 'show' }).click();
    expect(JSON.parse((await table.locator('tr.details pre').textContent()) ?? 'null')).toEqual(SPEC);
    await page.screenshot({ path: join(SHOTS, 'audit.png'), fullPage: true });
  });

  it('reports an intact chain, then the row an UPDATE behind its back broke', async () => {
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    const intact = page.locator('[data-chain="intact"]');
    await intact.waitFor({ timeout: 20_000 });
    const [, rows, lastSeq] =
      /([\d,]+) rows checked, through seq (\d+)/.exec((await intact.textContent()) ?? '') ?? [];
    const counted = await server.wh.all({
      sql: 'SELECT count(*) AS n FROM audit_log WHERE seq <= $1',
      params: [Number(lastSeq)],
    });
    expect(Number(rows?.replace(/,/g, ''))).toBe(Number(counted[0]?.n));
    expect(Number(rows?.replace(/,/g, ''))).toBeGreaterThanOrEqual(3);

    const refused = await server.wh.all({
      sql: "SELECT min(seq) AS seq FROM audit_log WHERE action = 'query' AND status = 403",
    });
    const seq = Number(refused[0]?.seq);
    await server.wh.run({ sql: 'UPDATE audit_log SET status = 200 WHERE seq = $1', params: [seq] });
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    const broken = page.locator('[data-chain="broken"]');
    await broken.waitFor({ timeout: 20_000 });
    expect(await broken.textContent()).toContain(`broken at seq ${seq}: its content changed`);
    await page.screenshot({ path: join(SHOTS, 'audit-broken.png'), fullPage: true });
  });

  it('shows a key without admin the server’s refusal, not an empty table', async () => {
    await signIn(viewerKey);
    await page.goto(`${server.url}/audit`);
    const error = page.locator('[data-state="error"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toContain('PW_AUTH_WRONG_SCOPE');
  });
});
