/**
 * Click models on the simulator's `feed` scenario, imported through `pathwise import`'s code:
 * `home_feed` clicks come from a position-based model with planted examination (1/k)^0.7 and
 * per-item attractiveness (src/sim/feed.ts, the truth manifest's `feed` section);
 * `search_results` clicks from a cascade model with the same attractiveness.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, startIngest } from '../ingest/index.js';
import { FEED, FEED_ITEMS, Simulation, type TruthManifest, writeJsonlFile } from '../sim/index.js';
import { ensureDefaultProject, openWarehouse, type Warehouse } from '../store/index.js';
import { type ClickModelReport, fitClickModels, runCtrQuery } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'pathwise-feed-'));
let wh: Warehouse;
let truth: TruthManifest;
const range = { from: '2026-10-01', to: '2026-10-31' };
const homeFeed = { property: 'list_id', op: 'eq', value: 'home_feed' } as const;
const attractiveness = new Map(FEED_ITEMS.map((x) => [x.item_id, x.attractiveness]));

beforeAll(async () => {
  const sim = new Simulation({ scenario: 'feed', users: 1000, days: 20, seed: 5, end: '2026-11-01' });
  const file = join(dir, 'feed.jsonl');
  await writeJsonlFile(sim, file);
  truth = sim.truth();
  wh = await openWarehouse({ path: join(dir, 'feed.duckdb') });
  await ensureDefaultProject(wh);
  const writer = await startIngest(wh);
  await importFile(wh, writer, file, { projectId: 'default' });
  await writer.close();
});
afterAll(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CTR on the feed scenario', () => {
  it('matches the planted CTR per list and position within 4.5 standard errors', async () => {
    const r = await runCtrQuery(wh, 'default', { kind: 'ctr', by: ['list', 'position'], dateRange: range });
    const expected = truth.feed?.expectedCtr.list_id ?? {};
    expect(r.rows).toHaveLength(20);
    for (const row of r.rows) {
      const e = expected[String(row.group.list)]?.[String(row.group.position)];
      expect(row.impressions).toBe(e?.atRisk);
      expect(Math.abs((row.ctr ?? 0) - (e?.rate ?? 0))).toBeLessThanOrEqual(4.5 * (e?.se ?? 0));
    }
    // Every simulated click follows its impression within minutes.
    expect(r.clickJoin.unmatched).toBe(0);
  });
});

describe('click models on the feed scenario', () => {
  let home: ClickModelReport;
  beforeAll(async () => {
    home = await fitClickModels(wh, 'default', {
      dateRange: range,
      where: homeFeed,
      models: ['pbm', 'cascade'],
      testFraction: 0.2,
      itemLimit: 1000,
    });
  });

  it('PBM recovers the planted examination per position within its intervals', () => {
    const pbm = home.models.find((m) => m.model === 'pbm');
    expect(pbm?.positions).toHaveLength(10);
    for (const p of pbm?.positions.slice(1) ?? []) {
      const planted = FEED.examination[p.position - 1] as number;
      // Log-scale interval: the 95% half-width widened to 99.9%.
      const half = Math.log(p.examination.high / p.examination.value) * (3.2905 / 1.96);
      expect(Math.abs(Math.log(planted / p.examination.value)), `position ${p.position}`).toBeLessThan(half);
    }
  });

  it('PBM recovers planted item attractiveness: about 95% inside the 95% intervals', () => {
    const items = home.models.find((m) => m.model === 'pbm')?.items ?? [];
    expect(items.length).toBe(FEED_ITEMS.length);
    const inside = items.filter((x) => {
      const a = attractiveness.get(x.itemId) as number;
      return a >= x.attractiveness.low && a <= x.attractiveness.high;
    }).length;
    // Binomial(300, 0.95) falls below 90% with probability < 1e-4.
    expect(inside / items.length).toBeGreaterThan(0.9);
  });

  it('on PBM lists PBM fits held-out lists better than cascade, on cascade lists the reverse', async () => {
    expect(home.comparison.map((c) => c.model)).toEqual(['pbm', 'cascade']);
    const search = await fitClickModels(wh, 'default', {
      dateRange: range,
      where: { ...homeFeed, value: 'search_results' },
      models: ['pbm', 'cascade'],
    });
    expect(search.comparison.map((c) => c.model)).toEqual(['cascade', 'pbm']);
  });

  it('the debiased CTR of the ctr insight is the PBM attractiveness', async () => {
    const r = await runCtrQuery(wh, 'default', {
      kind: 'ctr',
      by: ['item'],
      dateRange: range,
      where: homeFeed,
      debias: true,
      limit: 5,
    });
    for (const row of r.rows) {
      const a = attractiveness.get(String(row.group.item)) as number;
      const d = row.debiasedCtr;
      // Raw CTR understates attractiveness (positions below 1 are examined less); PBM undoes that.
      expect(row.ctr ?? 0).toBeLessThan(a);
      expect(Math.abs((d?.value ?? 0) - a)).toBeLessThan(((d?.high ?? 0) - (d?.low ?? 0)) * 1.7);
    }
  });
});
