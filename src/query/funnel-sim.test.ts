/**
 * The simulator's planted ecommerce funnel (src/sim, seed 11, 12,000 users, 40 days) recovered
 * by runQuery: every step's at-risk count equals the manifest's, and every step conversion is
 * within 4.5 standard errors of the planted rate (the manifest's own standard error of the
 * observed rate, summed over platforms; see src/sim/truth.ts).
 *
 * Until identity lands `events.person_id`, the test resolves persons the way
 * test/sim-recover.ts does (an anonymous id belongs to the first userId identified on it) by
 * rewriting `distinct_id`; the funnel itself reads the person key of the emitter unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, startIngest } from '../ingest/index.js';
import { SHOP_STEPS, Simulation, type TruthManifest, writeJsonlFile } from '../sim/index.js';
import { ensureDefaultProject, openWarehouse, type Warehouse } from '../store/index.js';
import { type FunnelResult, runQuery } from './index.js';

const Z = 4.5;

describe('the planted ecommerce funnel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathwise-funnel-sim-'));
  let wh: Warehouse;
  let truth: TruthManifest;

  beforeAll(async () => {
    const sim = new Simulation({
      scenario: 'ecommerce',
      users: 12_000,
      days: 40,
      seed: 11,
      end: '2026-11-01',
    });
    const file = join(dir, 'shop.jsonl');
    await writeJsonlFile(sim, file);
    truth = sim.truth();
    wh = await openWarehouse({ path: join(dir, 'shop.duckdb') });
    await ensureDefaultProject(wh);
    const writer = await startIngest(wh);
    await importFile(wh, writer, file, { projectId: 'default' });
    await writer.close();
    await wh.run({
      sql: `UPDATE events e SET distinct_id = m.uid
        FROM (SELECT anonymous_id, arg_min(user_id, received_at) AS uid FROM events
              WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL GROUP BY 1) m
        WHERE e.user_id IS NULL AND e.anonymous_id = m.anonymous_id`,
    });
  });
  afterAll(async () => {
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recovers each step conversion within sample-size tolerance', async () => {
    const funnel = truth.ecommerce?.funnel;
    if (!funnel) throw new Error('no ecommerce truth');
    const r = (await runQuery(wh, 'default', {
      kind: 'funnel',
      steps: SHOP_STEPS.map((event) => ({ event })),
      windowSec: funnel.windowDays * 86_400,
      dateRange: { from: '2026-09-01', to: '2026-11-01' },
    })) as FunnelResult;
    const byPlatform = Object.values(funnel.expected.platform ?? {});
    for (const [k, step] of SHOP_STEPS.entries()) {
      if (k === 0) continue;
      const cells = byPlatform.flatMap((p) => (p[step] ? [p[step]] : []));
      const atRisk = cells.reduce((a, c) => a + c.atRisk, 0);
      const rate = cells.reduce((a, c) => a + c.rate * c.atRisk, 0) / atRisk;
      const se = Math.sqrt(cells.reduce((a, c) => a + (c.se * c.atRisk) ** 2, 0)) / atRisk;
      expect(r.steps[k - 1]?.count, `${step} at risk`).toBe(atRisk);
      const observed = r.steps[k]?.conversionFromPrevious ?? Number.NaN;
      expect(Math.abs(observed - rate), `${step}: ${observed} vs ${rate} ± ${Z * se}`).toBeLessThanOrEqual(
        Z * se,
      );
    }
  });
});
