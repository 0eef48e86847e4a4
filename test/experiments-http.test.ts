/**
 * End to end: the simulator's experiment (src/sim/experiment.ts; 2026-03-01 … 03-14 UTC, 700
 * persons, 4 more exposed to both variants) is sent through /v1/batch to a real server over a
 * temp DuckDB file, defined with POST /api/experiments and analyzed with GET …/analysis. The
 * same statistics are then computed directly from the simulator's per-person values (which
 * never went through SQL) and must agree to 1e-9.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentAnalysis, VariantComparison } from '../src/experiments/index.js';
import { EXPERIMENT_SIM, type SimulatedPerson, simulateExperiment } from '../src/sim/index.js';
import {
  type ComparisonResult,
  cuped,
  cupedMoments,
  holm,
  msprt,
  ratioTest,
  srmCheck,
  summarize,
  summarizeRatio,
  twoProportionZTest,
  welchTTest,
  winsorCaps,
} from '../src/stats/index.js';
import { post, startTestServer, tempDir } from './helpers.js';

const DAY_SEC = 86_400;
const DEFINITION = {
  key: EXPERIMENT_SIM.key,
  exposure: {
    event: EXPERIMENT_SIM.exposureEvent,
    where: { property: 'experiment', op: 'eq', value: EXPERIMENT_SIM.key },
  },
  variants: ['control', 'treatment'],
  control: 'control',
  start: '2026-03-01T00:00:00Z',
  end: '2026-03-15T00:00:00Z',
  metrics: [
    { key: 'purchase', kind: 'conversion', event: 'purchase', windowSec: 7 * DAY_SEC },
    { key: 'revenue', kind: 'mean', event: 'purchase', property: 'revenue', windowSec: 7 * DAY_SEC },
    {
      key: 'revenue_w99',
      kind: 'mean',
      event: 'purchase',
      property: 'revenue',
      windowSec: 7 * DAY_SEC,
      winsorize: { upper: 0.99 },
    },
    {
      key: 'revenue_per_page',
      kind: 'ratio',
      numerator: { event: 'purchase', property: 'revenue' },
      denominator: { event: '$pageview' },
      windowSec: 7 * DAY_SEC,
    },
  ],
  cuped: { lookbackSec: 14 * DAY_SEC },
};

function close(actual: number | null | undefined, expected: number, rel = 1e-9): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  const tolerance = rel * Math.max(Math.abs(expected), 1e-12);
  if (Math.abs((actual as number) - expected) > tolerance) expect.fail(`${actual} ≠ ${expected}`);
}

function sameResult(actual: ComparisonResult | null | undefined, expected: ComparisonResult): void {
  expect(actual).toBeTruthy();
  const a = actual as ComparisonResult;
  close(a.difference, expected.difference);
  close(a.differenceCi.lower, expected.differenceCi.lower);
  close(a.differenceCi.upper, expected.differenceCi.upper);
  close(a.pValue, expected.pValue);
  close(a.relativeLift, expected.relativeLift ?? Number.NaN);
  close(a.relativeLiftCi?.lower, expected.relativeLiftCi?.lower ?? Number.NaN);
}

describe('experiment analysis over HTTP', () => {
  const tmp = tempDir();
  const sim = simulateExperiment({ seed: 3, persons: 700, lift: 0.15, multiVariantPersons: 4 });
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let analysis: ExperimentAnalysis;
  const auth = () => ({ headers: { authorization: `Bearer ${server.readKey}` } });

  beforeAll(async () => {
    server = await startTestServer(join(tmp.dir, 'exp.duckdb'));
    for (let i = 0; i < sim.messages.length; i += 500) {
      const res = await post(
        `${server.url}/v1/batch`,
        { batch: sim.messages.slice(i, i + 500) },
        { writeKey: server.writeKey },
      );
      expect(res.status).toBe(200);
    }
    const created = await post(`${server.url}/api/experiments`, DEFINITION, auth());
    expect(created.status).toBe(201);
    const res = await fetch(`${server.url}/api/experiments/${DEFINITION.key}/analysis`, auth());
    expect(res.status).toBe(200);
    analysis = (await res.json()) as ExperimentAnalysis;
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  const arm = (v: string) => sim.persons.filter((p) => p.variant === v);
  const values = (ps: readonly SimulatedPerson[], f: (p: SimulatedPerson) => number) => ps.map(f);
  const [control, treatment] = [arm('control'), arm('treatment')];
  const comparison = (metric: string): VariantComparison => {
    const m = analysis.metrics.find((x) => x.key === metric);
    const c = m?.comparisons[0];
    if (!c) throw new Error(`no comparison for ${metric}`);
    return c;
  };

  it('counts exposed persons per variant, excludes the multi-variant ones and checks SRM', () => {
    expect(analysis.exposure.arms.map((a) => a.units)).toEqual([control.length, treatment.length]);
    expect(analysis.exposure.multipleVariantUnits).toBe(4);
    const srm = srmCheck([control.length, treatment.length], [1, 1]);
    close(analysis.exposure.srm?.pValue, srm.pValue);
  });

  it('conversion: the z-test on persons who bought within 7 days', () => {
    const conv = (ps: readonly SimulatedPerson[]) => ({
      conversions: ps.filter((p) => p.purchases > 0).length,
      n: ps.length,
    });
    sameResult(comparison('purchase').result, twoProportionZTest(conv(control), conv(treatment)));
  });

  it("revenue per person: Welch's test and CUPED with the pre-exposure revenue", () => {
    const y = (ps: readonly SimulatedPerson[]) => values(ps, (p) => p.revenue);
    const x = (ps: readonly SimulatedPerson[]) => values(ps, (p) => p.preRevenue);
    sameResult(comparison('revenue').result, welchTTest(summarize(y(control)), summarize(y(treatment))));
    const adjusted = cuped([cupedMoments(y(control), x(control)), cupedMoments(y(treatment), x(treatment))]);
    const [ac, at] = adjusted.arms;
    if (!ac || !at) throw new Error('two arms');
    const direct = welchTTest(ac, at);
    sameResult(comparison('revenue').cuped?.result, direct);
    close(comparison('revenue').cuped?.theta, adjusted.theta);
    const seq = msprt(direct.difference, direct.standardError, control.length + treatment.length);
    close(comparison('revenue').sequential?.pValue, seq.pValue);
  });

  it('winsorized revenue: caps at the pooled 99th percentile', () => {
    const all = values(sim.persons, (p) => p.revenue);
    const caps = winsorCaps(all, { upper: 0.99 });
    close(analysis.metrics.find((m) => m.key === 'revenue_w99')?.winsorCaps?.upper, caps.upper);
    const wc = (ps: readonly SimulatedPerson[]) =>
      summarize(values(ps, (p) => Math.min(p.revenue, caps.upper)));
    sameResult(comparison('revenue_w99').result, welchTTest(wc(control), wc(treatment)));
  });

  it('revenue per page view: the delta-method ratio test', () => {
    const r = (ps: readonly SimulatedPerson[]) =>
      summarizeRatio(
        values(ps, (p) => p.revenue),
        values(ps, (p) => p.pageviews),
      );
    sameResult(comparison('revenue_per_page').result, ratioTest(r(control), r(treatment)));
  });

  it('adjusts the headline p-values of all metrics together with Holm', () => {
    const comparisons = analysis.metrics.map((m) => m.comparisons[0] as VariantComparison);
    const headline = comparisons.map((c) => (c.cuped?.result ?? c.result)?.pValue ?? Number.NaN);
    for (const [i, p] of holm(headline).adjusted.entries()) close(comparisons[i]?.adjustedPValue, p);
  });

  it('states a verdict line for the first metric', () => {
    expect(analysis.verdicts).toHaveLength(1);
    expect(analysis.verdicts[0]).toMatch(
      /^variant treatment: [+−]\d+\.\d% purchase \(CUPED, variance −\d+%\), 95% CI \[.+\], p=.+, sequential p=.+; SRM ok$/,
    );
  });

  it('refuses a duplicate key (409), an unknown key (404), a bad definition (400) and a write key (403)', async () => {
    expect((await post(`${server.url}/api/experiments`, DEFINITION, auth())).status).toBe(409);
    const replaced = await fetch(`${server.url}/api/experiments?replace=true`, {
      method: 'POST',
      headers: { ...auth().headers, 'content-type': 'application/json' },
      body: JSON.stringify(DEFINITION),
    });
    expect(replaced.status).toBe(201);
    expect((await fetch(`${server.url}/api/experiments/nope/analysis`, auth())).status).toBe(404);
    const bad = await post(
      `${server.url}/api/experiments`,
      { ...DEFINITION, key: 'b', control: 'x' },
      auth(),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('PW_EXPERIMENT_INVALID');
    expect(
      (await post(`${server.url}/api/experiments`, DEFINITION, { writeKey: server.writeKey })).status,
    ).toBe(403);
  });
});
