/**
 * Dashboard first-render benchmark. Prints one JSON object.
 *
 *   npm run bench:dashboard [-- --users 53000 --runs 5 --db .pathwise/bench-dashboard.duckdb --fresh]
 *
 * A simulated project (the demo's mix scenario, about 19 events per person: 53,000 persons give
 * about 1M events; 14 days ending 2026-03-01) is imported through the import pipeline into a
 * DuckDB file (kept and reused unless --fresh), served by `startServer`, and a dashboard with 4
 * saved insights (a 4-step funnel, a 2-series daily trend, a 7-day retention table, session
 * analytics by channel) is opened in Debian's headless Chromium (playwright-core). Each run
 * uses a fresh browser context (empty cache) and measures, in the page, the time from
 * navigation start until all 4 tiles have drawn their chart (ECharts' `finished` event).
 * Restart runs (what a viewer sees after `pathwise serve` restarts) start a fresh server with
 * the tile refresher on, wait for its first round (its duration is reported as the warm-up),
 * then open the dashboard: tiles come from the cache the refresher filled.
 * Cold runs, the baseline of before the refresher, start a fresh server with it off (result
 * cache empty: every tile runs its query); warm runs reopen the dashboard on the last server
 * (tiles answered from the result cache). Also in the same run: the same 4 specs sent in
 * parallel to POST /api/query from Node (uncached); the ratio says how much the browser adds
 * to the queries themselves.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { importJsonLines, startIngest } from '../src/ingest/index.js';
import { startServer } from '../src/server/index.js';
import { simulateInWorker } from '../src/sim/index.js';
import { createApiKey, ensureDefaultProject, openWarehouse } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '53000' },
    runs: { type: 'string', default: '5' },
    db: { type: 'string', default: '.pathwise/bench-dashboard.duckdb' },
    fresh: { type: 'boolean', default: false },
  },
});

const RANGE = { from: '2026-02-15', to: '2026-02-28' };
const BUDGET_MS = 1500;

/** The dashboard's four insights. */
const INSIGHTS = [
  {
    name: 'Checkout funnel',
    spec: {
      kind: 'funnel',
      steps: ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'].map((event) => ({ event })),
      dateRange: RANGE,
    },
  },
  {
    name: 'Page views and viewers',
    spec: {
      kind: 'trends',
      series: [{ event: '$pageview' }, { event: '$pageview', math: 'unique_persons' }],
      interval: 'day',
      dateRange: RANGE,
    },
  },
  {
    name: 'Return visits',
    spec: {
      kind: 'retention',
      start: [{ event: '$pageview' }],
      return: [{ event: '$pageview' }],
      period: 'day',
      periods: 7,
      dateRange: RANGE,
    },
  },
  { name: 'Sessions by channel', spec: { kind: 'sessions', ...RANGE, breakdown: 'channel' } },
] as const;

async function prepare(db: string, users: number): Promise<{ imported: number; isReused: boolean }> {
  if (existsSync(db) && !args.fresh) return { imported: 0, isReused: true };
  mkdirSync(dirname(db), { recursive: true });
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const sim = simulateInWorker({ scenario: 'mix', users, days: 14, seed: 1, end: '2026-03-01' });
  const wh = await openWarehouse({ path: db });
  await ensureDefaultProject(wh);
  const writer = await startIngest(wh);
  const counts = await importJsonLines(writer, sim.lines(), {
    projectId: 'default',
    source: 'import:bench-dashboard',
    isHistoryChecked: false,
  });
  await writer.close();
  await wh.close();
  return { imported: counts.imported, isReused: false };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Gzipped bytes of the JavaScript index.html loads first, and of every chunk. */
function bundleBytes(webRoot: string): { initialGzip: number; allGzip: number } {
  const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
  const gz = (f: string) => gzipSync(readFileSync(join(webRoot, f)), { level: 9 }).length;
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  const all = readdirSync(join(webRoot, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    initialGzip: initial.reduce((a, f) => a + gz(f), 0),
    allGzip: all.reduce((a, f) => a + gz(`assets/${f}`), 0),
  };
}

/** dist/web of this package (from bench/ or dist/bench/). */
function webRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}

/** In the page: ms since navigation start once every tile shows a drawn chart, else false. */
const ALL_RENDERED = `(() => {
  const tiles = document.querySelectorAll('[data-tile]');
  if (tiles.length < ${INSIGHTS.length}) return false;
  for (const t of tiles) if (!t.querySelector('.result-area[data-status="ready"] .chart[data-rendered="true"]')) return false;
  return performance.now();
})()`;

type Server = Awaited<ReturnType<typeof startServer>>;

/** POSTs JSON with the read key; throws on an error answer. */
function poster(server: Server, key: string) {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  return async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
}

/** Saves the four insights and a dashboard of them; returns the dashboard's path. */
async function makeDashboard(post: ReturnType<typeof poster>): Promise<string> {
  const tiles = [];
  for (const insight of INSIGHTS) {
    const saved = await post('/api/insights', insight);
    tiles.push({ insightId: String(saved.insightId), width: 1 });
  }
  const board = await post('/api/dashboards', { name: 'Benchmark', tiles });
  return `/dashboards/${board.dashboardId}`;
}

/** Opens the dashboard in a fresh context (empty browser cache); ms from navigation start to all charts drawn. */
async function render(browser: Browser, url: string, key: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    await context.addInitScript(`localStorage.setItem('pathwise.readKey', ${JSON.stringify(key)})`);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    const done = await page.waitForFunction(ALL_RENDERED, undefined, { polling: 'raf', timeout: 120_000 });
    return Number(await done.jsonValue());
  } finally {
    await context.close();
  }
}

const stats = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), all: xs.map(Math.round) });

/** A fresh server on the file, its tile refresher on or off. */
const serve = (db: string, isRefreshing: boolean) =>
  startServer({ db, port: 0, host: '127.0.0.1', tiles: { isEnabled: isRefreshing } });

async function main(): Promise<void> {
  const db = resolve(args.db);
  const prepared = await prepare(db, Number(args.users));
  const runs = Number(args.runs);
  let server = await serve(db, false);
  await server.processor.whenIdle();
  const [counts] = await server.wh.all({
    sql: `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM persons) AS persons,
                 (SELECT count(*) FROM sessions) AS sessions`,
  });
  const key = await createApiKey(server.wh, 'default', 'read');
  const path = await makeDashboard(poster(server, key));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const cold: number[] = [];
  const warm: number[] = [];
  const restart: number[] = [];
  const warmUp: number[] = [];
  const api: number[] = [];
  const load: number[] = [];
  try {
    // One render first, not counted: a fresh browser process pays one-off costs on its first page.
    await render(browser, `${server.url}${path}`, key);
    // After a restart with the refresher on: its first round fills the cache before the viewer comes.
    for (let run = 0; run < runs; run++) {
      await server.close();
      const started = performance.now();
      server = await serve(db, true);
      await server.tiles.whenIdle();
      warmUp.push(performance.now() - started);
      load.push(os.loadavg()[0] ?? 0);
      restart.push(await render(browser, `${server.url}${path}`, key));
    }
    // Cold (the baseline): a fresh server per run without the refresher, so every tile runs its query.
    for (let run = 0; run < runs; run++) {
      await server.close();
      server = await serve(db, false);
      const post = poster(server, key);
      const t0 = performance.now();
      await Promise.all(INSIGHTS.map((i) => post('/api/query', i.spec)));
      api.push(performance.now() - t0);
      load.push(os.loadavg()[0] ?? 0);
      cold.push(await render(browser, `${server.url}${path}`, key));
    }
    // Warm: the same server again, its results cached (what a second viewer within 5 minutes sees).
    for (let run = 0; run < runs; run++) warm.push(await render(browser, `${server.url}${path}`, key));
  } finally {
    await browser.close();
    await server.close();
  }
  const result = {
    bench: 'dashboard',
    data: { ...counts, importedNow: prepared.imported, isReused: prepared.isReused, db },
    insights: INSIGHTS.map((i) => i.spec.kind),
    runs,
    loadAverage1m: stats(load),
    restartFirstRenderMs: stats(restart),
    restartWarmUpMs: stats(warmUp),
    coldFirstRenderMs: stats(cold),
    warmFirstRenderMs: stats(warm),
    baselineApiParallelMs: stats(api),
    ratioColdRenderToApi: median(cold) / median(api),
    budgetMs: BUDGET_MS,
    isRestartWithinBudget: median(restart) < BUDGET_MS,
    isColdWithinBudget: median(cold) < BUDGET_MS,
    isWarmWithinBudget: median(warm) < BUDGET_MS,
    bundle: bundleBytes(webRoot()),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
