/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a real
 * server over a small simulation (400 persons, mix scenario, 14 days ending 2026-03-01). The
 * numbers on each page are checked against `POST /api/query` for the same spec, built
 * independently here; the UI builds the funnel and the trend, the URL carries the retention and
 * sessions specs. Screenshots go to test-artifacts/dashboard (git-ignored).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../src/store/index.js';
import { addUser, PASSWORD } from './access-helpers.js';
import { SIM_FROM, SIM_TO, type SimServer, startSimServer } from './dashboard-data.js';
import { CHROMIUM, ensureWebBuild } from './web-build.js';

const SHOTS = resolve(import.meta.dirname, '..', 'test-artifacts', 'dashboard');
const RANGE = { from: SIM_FROM, to: SIM_TO };

let sim: SimServer;
let browser: Browser;
let page: Page;
let webRoot: string;
/** A key with `view`, `query` and `pii`: the People and Live events pages need `pii`. */
let key: string;

async function api(path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function query<T>(spec: unknown): Promise<T> {
  const r = await api('/api/query', spec);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json as T;
}

async function open(path: string): Promise<void> {
  await page.goto(`${sim.server.url}${path}`);
}

async function ready(scope = page.locator('body')): Promise<void> {
  await scope.locator('.result-area[data-status="ready"]').first().waitFor({ timeout: 20_000 });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const int = (n: number) => n.toLocaleString('en-US');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  webRoot = ensureWebBuild();
  sim = await startSimServer(300, { webRoot });
  key = (await issueApiKey(sim.server.wh, { projectId: 'default', scopes: ['view', 'query', 'pii'] })).key;
  browser = await chromium.launch({ ...CHROMIUM, args: [...CHROMIUM.args] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // The key arrives in the URL fragment, as `pathwise serve` and `demo` print it.
  await open(`/#key=${key}`);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sim?.close();
});

describe('the dashboard in a browser', () => {
  it('keeps the initial JavaScript under 500 KB gzipped, and all chunks together too', () => {
    const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(initial.length).toBeGreaterThan(0);
    const gz = (file: string) => gzipSync(readFileSync(join(webRoot, file)), { level: 9 }).length;
    const sum = (files: string[]) => files.reduce((a, f) => a + gz(f), 0);
    const every = readdirSync(join(webRoot, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => `assets/${f}`);
    // The initial load is the shell; the pages and ECharts load with the first page that needs them.
    expect(sum(initial)).toBeLessThan(500 * 1024);
    expect(sum(every)).toBeLessThan(500 * 1024);
  });

  it('takes the read key from the URL fragment and removes it from the address bar', async () => {
    expect(page.url()).not.toContain('key=');
    expect(await page.evaluate("localStorage.getItem('pathwise.readKey')")).toBe(key);
  });

  it('shows the same funnel numbers as POST /api/query for the spec built in the UI', async () => {
    await open('/funnels');
    await page.getByLabel('Step 1 event').fill('view_item');
    await page.getByLabel('Step 2 event').fill('add_to_cart');
    await page.getByRole('button', { name: '+ Add step' }).click();
    await page.getByLabel('Step 3 event').fill('purchase');
    await page.getByLabel('Date range').selectOption('custom');
    await page.getByLabel('From date').fill(RANGE.from);
    await page.getByLabel('To date').fill(RANGE.to);
    const spec = {
      kind: 'funnel',
      steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'purchase' }],
      mode: 'ordered',
      windowSec: 14 * 86_400,
      dateRange: RANGE,
    };
    await expect.poll(() => JSON.parse(new URL(page.url()).searchParams.get('q') ?? '{}')).toEqual(spec);
    const expected = await query<{ steps: { count: number; conversionFromPrevious: number | null }[] }>(spec);
    expect(expected.steps[0]?.count).toBeGreaterThan(50);
    await ready();
    for (const [i, step] of expected.steps.entries()) {
      await expect.poll(() => page.getByTestId(`funnel-count-${i + 1}`).textContent()).toBe(int(step.count));
      expect(await page.getByTestId(`funnel-conv-${i + 1}`).textContent()).toBe(
        pct(step.conversionFromPrevious),
      );
    }
    await shot('funnel');

    // Click a step: the persons who dropped before step 2.
    await page
      .getByRole('row', { name: /2\. add_to_cart/ })
      .getByRole('button', { name: 'dropped' })
      .click();
    const persons = await query<{ persons: { total: number } }>({
      ...spec,
      persons: { step: 2, status: 'dropped', limit: 50, offset: 0 },
    });
    const panel = page.getByRole('region', { name: 'Persons of a funnel step' });
    await expect
      .poll(() => panel.getByTestId('persons-total').textContent())
      .toMatch(new RegExp(`^${persons.persons.total} in all`));
    expect(persons.persons.total).toBe((expected.steps[0]?.count ?? 0) - (expected.steps[1]?.count ?? 0));
    await shot('funnel-persons');
  });

  it('moves funnel steps with Alt+arrow keys and adds one from the keyboard', async () => {
    await open('/funnels');
    await page.getByLabel('Step 1 event').fill('a_event');
    await page.getByLabel('Step 2 event').fill('b_event');
    await page.getByLabel('Step 2 event').press('Alt+ArrowUp');
    expect(await page.getByLabel('Step 1 event').inputValue()).toBe('b_event');
    expect(await page.getByLabel('Step 2 event').inputValue()).toBe('a_event');
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe('Step 1 event');
    await page.getByRole('button', { name: '+ Add step' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate("document.activeElement?.getAttribute('aria-label')"))
      .toBe('Step 3 event');
    // Every control of the builder has an accessible name.
    // (Page-side code is a string: the test's TypeScript program has no DOM types.)
    const unnamed =
      await page.evaluate(`[...document.querySelectorAll('form input, form select, form button')]
      .filter((el) => {
        const label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
        return !el.getAttribute('aria-label') && !label?.textContent?.trim() && !el.textContent?.trim();
      })
      .map((el) => el.outerHTML)`);
    expect(unnamed).toEqual([]);
  });

  it('shows the server message when a query fails, not a blank chart', async () => {
    const spec = { kind: 'funnel', steps: [{ event: 'a' }, { event: 'b' }], windowSec: 10 ** 9 };
    const r = await api('/api/query', spec);
    expect(r.status).toBe(400);
    await open(`/funnels?q=${encodeURIComponent(JSON.stringify(spec))}`);
    const alert = page.locator('.result-area[data-status="error"] [role="alert"]');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain(String(r.json.message));
    expect(await alert.textContent()).toContain('PW_QUERY_INVALID_SPEC');
    await shot('funnel-error');
  });

  it('shows the same trend totals and daily values as POST /api/query', async () => {
    await open('/trends');
    await page.getByLabel('Series A event').fill('$pageview');
    await page.getByRole('button', { name: '+ Add series' }).click();
    await page.getByLabel('Series B event').fill('view_item');
    await page.getByLabel('Series B math').selectOption('unique_persons');
    await page.getByLabel('Date range').selectOption('custom');
    await page.getByLabel('From date').fill(RANGE.from);
    await page.getByLabel('To date').fill(RANGE.to);
    const spec = {
      kind: 'trends',
      series: [{ event: '$pageview' }, { event: 'view_item', math: 'unique_persons' }],
      interval: 'day',
      dateRange: RANGE,
    };
    await expect.poll(() => JSON.parse(new URL(page.url()).searchParams.get('q') ?? '{}')).toEqual(spec);
    const expected = await query<{ series: { total: number; values: number[] }[] }>(spec);
    await ready();
    for (const [i, line] of expected.series.entries()) {
      expect(line.total).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId(`trend-total-${i}`).textContent()).toBe(int(line.total));
      const cells = await page.locator(`tr[data-line="${i}"] td`).allTextContents();
      expect(cells.slice(1)).toEqual(line.values.map(int));
    }
    await shot('trends');
  });

  it('shows the same retention table as POST /api/query for the spec in the URL', async () => {
    const spec = {
      kind: 'retention',
      start: [{ event: '$pageview' }],
      return: [{ event: '$pageview' }],
      period: 'day',
      periods: 7,
      dateRange: RANGE,
    };
    const expected = await query<{
      cohorts: { cohort: string; size: number; retained: (number | null)[] }[];
    }>(spec);
    expect(expected.cohorts.length).toBe(14);
    await open(`/retention?q=${encodeURIComponent(JSON.stringify(spec))}`);
    await ready();
    for (const c of expected.cohorts) {
      const row = page.locator(`tr[data-cohort="${c.cohort}"]`);
      expect(await row.getByTestId('ret-size').textContent()).toBe(int(c.size));
      const cells = await row
        .locator('td.cell')
        .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-retained')));
      expect(cells).toEqual(c.retained.map((n) => (n === null ? '' : String(n))));
    }
    await shot('retention');
  });

  it('shows the same session KPIs as POST /api/query', async () => {
    const spec = { kind: 'sessions', from: RANGE.from, to: RANGE.to, breakdown: 'channel' };
    const r = await query<{
      sessions: number;
      bounceRate: number;
      pagesPerSession: number;
      medianDurationSec: number;
    }>(spec);
    expect(r.sessions).toBeGreaterThan(100);
    await open(`/sessions?q=${encodeURIComponent(JSON.stringify(spec))}`);
    await ready();
    expect(await page.getByTestId('kpi-sessions').textContent()).toBe(int(r.sessions));
    expect(await page.getByTestId('kpi-bounce-rate').textContent()).toBe(pct(r.bounceRate));
    expect(Number(await page.getByTestId('kpi-pages-per-session').textContent())).toBeCloseTo(
      r.pagesPerSession,
      2,
    );
    const median = Math.round(r.medianDurationSec);
    const text = median < 60 ? `${median}s` : `${Math.floor(median / 60)}m ${median % 60}s`;
    expect(await page.getByTestId('kpi-median-duration').textContent()).toBe(text);
    await shot('sessions');
  });

  it('saves an insight, puts it on a new dashboard and renders it there', async () => {
    const spec = { kind: 'funnel', steps: [{ event: 'view_item' }, { event: 'purchase' }], dateRange: RANGE };
    await open(`/funnels?q=${encodeURIComponent(JSON.stringify(spec))}`);
    await page.getByLabel('Insight name').fill('View to purchase');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('insight')).toMatch(/^ins_/);
    await open('/dashboards');
    await page.getByLabel('New dashboard').fill('Shop');
    await page.getByRole('button', { name: 'Create' }).click();
    // The insight list loads after the dashboard is created: wait for the saved one to be offered.
    const option = page.getByLabel('Add insight').locator('option', { hasText: 'View to purchase (funnel)' });
    await option.waitFor({ state: 'attached', timeout: 20_000 });
    await page.getByLabel('Add insight').selectOption({ label: 'View to purchase (funnel)' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const tile = page.getByRole('article', { name: 'View to purchase' });
    await ready(tile);
    const expected = await query<{ steps: { conversionFromFirst: number | null }[] }>(spec);
    expect(await tile.getByTestId('funnel-overall').textContent()).toBe(
      pct(expected.steps[1]?.conversionFromFirst ?? null),
    );
    await page.reload();
    await ready(page.getByRole('article', { name: 'View to purchase' }));
    await shot('dashboard');
  });

  it('lists live events filtered by name and opens a person from them', async () => {
    await open('/events?event=purchase');
    await ready();
    const names = await page
      .locator('table[aria-label="Newest events"] tbody tr td:nth-child(2)')
      .allTextContents();
    const expected = await api('/api/events?event=purchase&limit=100');
    expect(names.length).toBe((expected.json.events as unknown[]).length);
    expect(new Set(names)).toEqual(new Set(['purchase']));
    await shot('events');
    await page.locator('table[aria-label="Newest events"] tbody tr td:nth-child(3) a').first().click();
    await ready();
    expect(await page.getByTestId('person-id').textContent()).toBe(
      (expected.json.events as { personId: string }[])[0]?.personId,
    );
    await shot('person');
  });

  it('lets a viewer log in: dashboards show; queries and raw events are refused with the server message', async () => {
    await addUser(sim.server.wh, 'vera', 'default', 'viewer');
    const spec = { kind: 'sessions', from: RANGE.from, to: RANGE.to };
    const saved = await api('/api/insights', { name: 'Sessions', spec });
    const board = await api('/api/dashboards', {
      name: 'For viewers',
      tiles: [{ insightId: saved.json.insightId, width: 2 }],
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    const form = page.getByRole('form', { name: 'Log in as a user' });
    await form.getByLabel('User').fill('vera');
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await open(`/dashboards/${board.json.dashboardId}`);
    const tile = page.getByRole('article', { name: 'Sessions' });
    await ready(tile);
    const r = await query<{ sessions: number }>(spec);
    expect(await tile.getByTestId('kpi-sessions').textContent()).toBe(int(r.sessions));
    await shot('viewer-dashboard');
    // A viewer holds `view` only: queries need `query`, live events `pii`.
    await open(
      `/trends?q=${encodeURIComponent(JSON.stringify({ kind: 'trends', series: [{ event: '$pageview' }] }))}`,
    );
    await expect
      .poll(() => page.locator('.result-area[data-status="error"] [role="alert"]').textContent(), {
        timeout: 20_000,
      })
      .toContain('PW_AUTH_WRONG_SCOPE');
    await open('/events');
    await expect
      .poll(() => page.locator('.result-area[data-status="error"] [role="alert"]').textContent(), {
        timeout: 20_000,
      })
      .toContain('"query"');
    await shot('viewer-events-refused');
  });
});
