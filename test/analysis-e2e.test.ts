/**
 * The funnel Diagnose panel and the Attribution page in a real browser (Debian's Chromium driven
 * by playwright-core) against a real server over a small simulation (300 persons, mix scenario,
 * 14 days ending 2026-03-01). The numbers on the page are checked against `POST /api/diagnose`
 * and `POST /api/query` for the same spec, written independently here. Screenshots go to
 * test-artifacts/dashboard (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../src/store/index.js';
import { SIM_FROM, SIM_TO, type SimServer, startSimServer } from './dashboard-data.js';
import { CHROMIUM, ensureWebBuild } from './web-build.js';

const SHOTS = resolve(import.meta.dirname, '..', 'test-artifacts', 'dashboard');
const RANGE = { from: SIM_FROM, to: SIM_TO };

let sim: SimServer;
let browser: Browser;
let page: Page;
let key: string;

type Json = Record<string, unknown>;

async function api<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${sim.server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json as T;
}

async function ready(scope: Locator): Promise<void> {
  await scope.locator('.result-area[data-status="ready"]').first().waitFor({ timeout: 60_000 });
}

const urlParam = (name: string) => JSON.parse(new URL(page.url()).searchParams.get(name) ?? '{}');
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const num = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const pText = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const webRoot = ensureWebBuild();
  sim = await startSimServer(300, { webRoot });
  key = (await issueApiKey(sim.server.wh, { projectId: 'default', scopes: ['view', 'query'] })).key;
  browser = await chromium.launch({ ...CHROMIUM, args: [...CHROMIUM.args] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${sim.server.url}/#key=${key}`);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sim?.close();
});

interface Finding {
  label: string;
  entrants: number;
  rate: number;
  restRate: number;
  peopleLost: number;
  adjustedPValue: number;
  since: { date: string } | null;
}

describe('funnel diagnostics and attribution in a browser', () => {
  it('shows the same biggest drop and flagged segments as POST /api/diagnose', async () => {
    const funnel = {
      kind: 'funnel',
      steps: [
        { event: 'view_item' },
        { event: 'add_to_cart' },
        { event: 'begin_checkout' },
        { event: 'purchase' },
      ],
      mode: 'ordered',
      windowSec: 86_400,
      dateRange: RANGE,
    };
    await page.goto(`${sim.server.url}/funnels?q=${encodeURIComponent(JSON.stringify(funnel))}`);
    const panel = page.getByRole('region', { name: 'Diagnose' });
    await panel.getByRole('button', { name: 'Diagnose this funnel' }).click();
    await panel.getByLabel('Minimum segment size').fill('20');
    await expect.poll(() => urlParam('diagnose')).toEqual({ isOpen: true, minSegmentSize: 20 });
    const expected = await api<{
      biggestDrop: { byPeople: { lost: number; rate: number }; byRate: { lost: number; rate: number } };
      segments: Finding[];
    }>('/api/diagnose', { funnel, minSegmentSize: 20 });
    await ready(panel);
    const drop = expected.biggestDrop.byPeople;
    await expect.poll(() => panel.getByTestId('drop-people-lost').textContent()).toBe(int(drop.lost));
    expect(await panel.getByTestId('drop-people-rate').textContent()).toBe(pct(drop.rate));
    expect(await panel.getByTestId('drop-rate-rate').textContent()).toBe(
      pct(expected.biggestDrop.byRate.rate),
    );
    if (expected.segments.length === 0) {
      await panel.getByTestId('diagnose-no-segments').waitFor();
    } else {
      const rows = panel.locator('[data-testid^="diagnose-segment-"]');
      expect(await rows.count()).toBe(expected.segments.length);
      for (const [i, f] of expected.segments.entries()) {
        const row = panel.getByTestId(`diagnose-segment-${i + 1}`);
        const cell = (id: string) => row.getByTestId(id).textContent();
        expect(await cell('segment-label')).toBe(f.label);
        expect(await cell('segment-entrants')).toBe(int(f.entrants));
        expect(await cell('segment-rate')).toBe(pct(f.rate));
        expect(await cell('segment-rest-rate')).toBe(pct(f.restRate));
        expect(await cell('segment-lost')).toBe(int(f.peopleLost));
        expect(await cell('segment-p')).toBe(pText(f.adjustedPValue));
        expect(await cell('segment-since')).toContain(f.since?.date ?? '—');
      }
    }
    await page.screenshot({ path: join(SHOTS, 'funnel-diagnose.png'), fullPage: true });
  });

  it('shows the same credit per channel and model as POST /api/query with kind attribution', async () => {
    await page.goto(`${sim.server.url}/attribution`);
    await page.getByRole('link', { name: 'Attribution' }).waitFor();
    expect(await page.getByRole('link', { name: 'Attribution' }).getAttribute('aria-current')).toBe('page');
    await page.getByLabel('Conversion event').fill('purchase');
    await page.getByLabel('Markov chains').selectOption('2');
    await page.getByLabel('Date range').selectOption('custom');
    await page.getByLabel('From date').fill(RANGE.from);
    await page.getByLabel('To date').fill(RANGE.to);
    const spec = {
      kind: 'attribution',
      conversion: { event: 'purchase' },
      touchpoints: [{ kind: 'session', attribute: 'channel' }],
      lookbackDays: 30,
      markovOrders: [1, 2],
      dateRange: RANGE,
    };
    await expect.poll(() => urlParam('q')).toEqual(spec);
    const expected = await api<{
      summary: { attributedConversions: number; journeys: number };
      models: { id: string }[];
      comparison: { channel: string; conversions: Record<string, number> }[];
      topJourneys: { path: string[]; journeys: number; conversions: number }[];
    }>('/api/query', spec);
    expect(expected.summary.attributedConversions).toBeGreaterThan(0);
    const main = page.locator('main');
    await ready(main);
    await expect
      .poll(() => page.getByTestId('attr-kpi-attributed').textContent())
      .toBe(int(expected.summary.attributedConversions));
    expect(await page.getByTestId('attr-kpi-journeys').textContent()).toBe(int(expected.summary.journeys));
    expect(expected.models.map((m) => m.id)).toContain('markov_2');
    for (const c of expected.comparison) {
      const cells = await page.getByTestId(`attr-row-${c.channel}`).locator('td').allTextContents();
      expect(cells).toEqual(expected.models.map((m) => num(c.conversions[m.id] ?? 0)));
    }
    // The top journeys, row by row, as the API lists them; and their Sankey beside the credit chart.
    expect(expected.topJourneys.length).toBeGreaterThan(0);
    const journeyRows = page.getByRole('table', { name: 'Top journeys' }).locator('tbody tr');
    expect(await journeyRows.count()).toBe(expected.topJourneys.length);
    for (const [i, j] of expected.topJourneys.entries()) {
      const cells = await journeyRows.nth(i).locator('td').allTextContents();
      expect(cells.slice(0, 3)).toEqual([j.path.join(' → '), int(j.journeys), int(j.conversions)]);
    }
    await expect
      .poll(() => main.locator('.chart[data-rendered="true"]').count(), { timeout: 20_000 })
      .toBe(2);
    await page.screenshot({ path: join(SHOTS, 'attribution.png'), fullPage: true });
  });

  it('says what to do before a conversion event is named, and shows the server message on failure', async () => {
    await page.goto(`${sim.server.url}/attribution`);
    await page.locator('.result-area[data-status="idle"]').waitFor();
    const bad = { kind: 'attribution', conversion: { event: 'purchase' }, lookbackDays: 100_000 };
    await page.goto(`${sim.server.url}/attribution?q=${encodeURIComponent(JSON.stringify(bad))}`);
    const alert = page.locator('.result-area[data-status="error"] [role="alert"]');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain('PW_');
  });
});
