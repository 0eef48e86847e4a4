/**
 * The planted truth is recoverable with plain SQL over the generated JSONL loaded into a real
 * DuckDB file (recover-sql.ts). Every comparison uses the manifest's own standard error of the
 * observed rate given who was at risk (sqrt(Σp(1−p))/n, see truth.ts), or for differences the
 * root of the summed variances, and allows 4.5 of them: a false failure has probability < 1e-5
 * per check, so a failure means the data or the manifest is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectedRate } from '../src/sim/index.js';
import { type SimOptions, Simulation, type TruthManifest, writeJsonlFile } from '../src/sim/index.js';
import {
  ctrByPositionSql,
  experimentSql,
  faultSql,
  loadJsonl,
  type SimDb,
  saasFunnelSql,
  shopFunnelSql,
} from './sim-recover.js';

const Z = 4.5;
const dir = mkdtempSync(join(tmpdir(), 'pathwise-sim-'));
const dbs: SimDb[] = [];

async function generate(name: string, options: SimOptions): Promise<{ db: SimDb; truth: TruthManifest }> {
  const sim = new Simulation(options);
  const file = join(dir, `${name}.jsonl`);
  await writeJsonlFile(sim, file);
  const db = await loadJsonl(join(dir, `${name}.duckdb`), file);
  dbs.push(db);
  return { db, truth: sim.truth() };
}

function expectNear(observed: number, expected: ExpectedRate, label: string) {
  const tolerance = Z * expected.se;
  expect(
    Math.abs(observed - expected.rate),
    `${label}: ${observed} vs ${expected.rate} ± ${tolerance}`,
  ).toBeLessThanOrEqual(tolerance);
}

afterAll(async () => {
  for (const db of dbs) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ecommerce truth', () => {
  let db: SimDb;
  let truth: TruthManifest;
  beforeAll(async () => {
    ({ db, truth } = await generate('shop', {
      scenario: 'ecommerce',
      users: 12_000,
      days: 40,
      seed: 11,
      end: '2026-11-01',
    }));
  });

  it('step conversion rates per platform match the manifest', async () => {
    const expected = truth.ecommerce?.funnel.expected.platform ?? {};
    const rows = await db.rows(shopFunnelSql());
    expect(rows.length).toBe(16);
    for (const r of rows) {
      const e = expected[String(r.platform)]?.[String(r.step)];
      expect(e?.atRisk, `${r.platform} ${r.step} at risk`).toBe(r.at_risk);
      if (e) expectNear(Number(r.reached) / Number(r.at_risk), e, `${r.platform} ${r.step}`);
    }
  });

  it('Android users on app 2.1 add payment info about 3x less often', async () => {
    const expected = truth.ecommerce?.fault.expected.app ?? {};
    const rows = await db.rows(faultSql());
    const rate = (app: string) => {
      const r = rows.find((x) => x.app === app);
      return Number(r?.reached) / Number(r?.at_risk);
    };
    for (const r of rows) {
      const e = expected[String(r.app)]?.add_payment_info;
      expect(e?.atRisk).toBe(r.at_risk);
      if (e) expectNear(Number(r.reached) / Number(r.at_risk), e, String(r.app));
    }
    expect(rate('android_app 2.1')).toBeLessThan(rate('android_app 2.0') / 2);
    expect(rate('ios_app 2.1')).toBeGreaterThan(rate('ios_app 2.0') * 0.75);
  });

  it("the experiment's conversion per variant and its lift match the manifest", async () => {
    const experiment = truth.ecommerce?.experiment;
    const rows = await db.rows(experimentSql(experiment?.key ?? ''));
    const by = (v: string) => rows.find((r) => r.variant === v) ?? {};
    const obs = (v: string) => Number(by(v).converted) / Number(by(v).exposed);
    const exp = (v: string) => experiment?.expected.conversion.variant?.[v]?.purchase;
    for (const v of ['control', 'treatment']) {
      const e = exp(v);
      expect(e?.atRisk).toBe(by(v).exposed);
      if (e) expectNear(obs(v), e, v);
    }
    const c = exp('control');
    const t = exp('treatment');
    const seDiff = Math.hypot(c?.se ?? 1, t?.se ?? 1);
    const plantedDiff = (t?.rate ?? 0) - (c?.rate ?? 0);
    expect(plantedDiff).toBeGreaterThan(0);
    expect(Math.abs(obs('treatment') - obs('control') - plantedDiff)).toBeLessThanOrEqual(Z * seDiff);
    // The CUPED covariate (pre-exposure product views) is correlated with converting.
    expect(Number(by('control').covariate_corr)).toBeGreaterThan(0.05);
  });

  it('drops the search event on the anomaly day only', async () => {
    const day = truth.anomaly.date;
    const rows = await db.rows(
      `SELECT ts::DATE::VARCHAR AS day, count(*) AS n FROM ev WHERE event = 'search' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.find((r) => r.day === day)).toBeUndefined();
    expect(truth.anomaly.droppedCount).toBeGreaterThan(0);
    expect(rows.length).toBe(truth.options.days - 1);
  });
});

describe('feed truth', () => {
  it('click-through rate by list and position matches the click models', async () => {
    const { db, truth } = await generate('feed', {
      scenario: 'feed',
      users: 1500,
      days: 20,
      seed: 5,
      end: '2026-11-01',
    });
    const expected = truth.feed?.expectedCtr.list_id ?? {};
    const rows = await db.rows(ctrByPositionSql());
    expect(rows.length).toBe(20);
    for (const r of rows) {
      const e = expected[String(r.list_id)]?.[String(r.position)];
      expect(e?.atRisk).toBe(r.impressions);
      if (e) expectNear(Number(r.clicks) / Number(r.impressions), e, `${r.list_id} @${r.position}`);
    }
  });
});

describe('saas truth', () => {
  it('step conversion rates per company size match the manifest', async () => {
    const { db, truth } = await generate('saas', {
      scenario: 'saas',
      users: 25_000,
      days: 60,
      seed: 9,
      end: '2026-11-01',
    });
    const cutoff = new Date(Date.parse(truth.options.end) - 14 * 86_400_000).toISOString().replace('Z', '');
    const expected = truth.saas?.expected.funnel.company_size ?? {};
    const rows = await db.rows(saasFunnelSql(cutoff));
    expect(rows.length).toBe(16);
    for (const r of rows) {
      const e = expected[String(r.size)]?.[String(r.step)];
      expect(e?.atRisk, `${r.size} ${r.step}`).toBe(r.at_risk);
      if (e) expectNear(Number(r.reached) / Number(r.at_risk), e, `${r.size} ${r.step}`);
    }
  });
});
