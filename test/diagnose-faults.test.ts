/**
 * Funnel diagnostics recover faults planted in a simulation (src/sim/funnel-faults.ts, seed 5,
 * 6,000 persons over February 2026) that went through the real import, identity and sessions:
 *
 * | fault                                       | step             | from       |
 * |---------------------------------------------|------------------|------------|
 * | Android app users on 2.1 convert at 0.3x    | add_payment_info | 2026-02-15 | (2.1 ships that day)
 * | visitors from Germany convert at 0.4x       | add_to_cart      | 2026-02-08 |
 * | iOS users (web and app) convert at 0.4x     | purchase         | 2026-02-20 |
 *
 * Every other segment converts alike by construction. Planted correlations: `coupon_applied`
 * multiplies P(purchase | add_payment_info) by 1.25; `shipping_info_viewed` with method freight
 * by 0.5 and express by 1.3 at begin_checkout. Each is expected at its step, with its segment,
 * its start (within a day) and, for correlations, the planted odds ratio inside the estimate's
 * 3-standard-error band.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultStore, loadFaultSimulation } from '../bench/fault-data.js';
import { type DiagnosisResult, runDiagnosis } from '../src/diagnose/index.js';
import { type FunnelResult, runQuery } from '../src/query/index.js';
import { FAULT_SIM, FAULT_STEPS, type FunnelFault } from '../src/sim/index.js';
import { sampleSizeProportions } from '../src/stats/index.js';
import { tempDir } from './helpers.js';

const FAULTS: FunnelFault[] = [
  {
    step: 'add_payment_info',
    segment: { os: 'Android', app_version: '2.1' },
    multiplier: 0.3,
    from: '2026-02-15',
  },
  { step: 'add_to_cart', segment: { country: 'DE' }, multiplier: 0.4, from: '2026-02-08' },
  { step: 'purchase', segment: { os: 'iOS' }, multiplier: 0.4, from: '2026-02-20' },
];
const FUNNEL = {
  kind: 'funnel' as const,
  steps: FAULT_STEPS.map((event) => ({ event })),
  windowSec: 86_400,
  dateRange: { from: '2026-02-01', to: '2026-02-28' },
};
const DAY_MS = 86_400_000;
const daysApart = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / DAY_MS;

const tmp = tempDir('pathwise-diagnose-');
let store: FaultStore;
let result: DiagnosisResult;

beforeAll(async () => {
  store = await loadFaultSimulation(tmp.dir, {
    users: 6000,
    days: 28,
    seed: 5,
    end: '2026-03-01',
    releaseDate: '2026-02-15',
    faults: FAULTS,
  });
  result = await runDiagnosis(store.wh, 'default', {
    funnel: FUNNEL,
    compareAt: '2026-02-15',
    correlation: { properties: ['method'] },
  });
}, 120_000);
afterAll(async () => {
  await store?.wh.close();
  tmp.cleanup();
});

describe('a diagnosis of planted faults', () => {
  it('reports the funnel insight’s own step counts and the biggest drop at add_to_cart (base rate 0.45)', async () => {
    const funnel = (await runQuery(store.wh, 'default', FUNNEL)) as FunnelResult;
    expect(result.funnel.map((s) => s.count)).toEqual(funnel.steps.map((s) => s.count));
    expect(result.biggestDrop?.byPeople).toMatchObject({
      step: 2,
      fromEvent: 'view_item',
      toEvent: 'add_to_cart',
    });
  });

  it('finds every planted fault at its step, with its segment and its start within a day', () => {
    for (const fault of FAULTS) {
      const step = FAULT_STEPS.indexOf(fault.step) + 1;
      const expected = Object.entries(fault.segment)
        .map(([dimension, value]) => `${dimension} = ${value}`)
        .sort();
      const hit = result.segments.find(
        (f) =>
          f.step === step &&
          [f.label, ...f.aliases].some((label) => label.split(', ').sort().join() === expected.join()),
      );
      expect(hit, `${fault.step} ${expected.join()}`).toBeDefined();
      expect(hit?.since, `${fault.step} since`).not.toBeNull();
      expect(daysApart(hit?.since?.date ?? '', fault.from)).toBeLessThanOrEqual(1);
      // The shortfall since then is about the planted multiplier (0.3–0.4 of the rest's rate).
      expect(hit?.since?.rateRatio ?? 0).toBeGreaterThan(1.5);
    }
  });

  it('lists each fault once: the segments that merely contain it are explained by it', () => {
    const faultSteps = new Set(FAULTS.map((f) => FAULT_STEPS.indexOf(f.step) + 1));
    const top = result.segments.slice(0, 3);
    expect(new Set(top.map((f) => f.step))).toEqual(faultSteps);
    const android = result.segments.find((f) => f.label === 'os = Android, app_version = 2.1');
    expect(android?.explains).toContain('os = Android');
  });

  it('reports changes in steps’ daily conversion only where a fault began', () => {
    const starts = FAULTS.map((f) => f.from);
    const changes = result.timeline.flatMap((t) => t.changes.map((c) => c.day));
    for (const day of changes)
      expect(
        starts.some((s) => daysApart(s, day) <= 1),
        day,
      ).toBe(true);
  });

  it('compares the periods around the release: add_payment_info got significantly worse', () => {
    const step = result.periods?.steps.find((s) => s.toEvent === 'add_payment_info');
    expect(step?.isSignificant).toBe(true);
    expect(step?.change ?? 0).toBeLessThan(0);
  });

  it('finds the planted correlations at their steps, their odds ratios within three standard errors', () => {
    const { coupon, shipping, baseRates } = FAULT_SIM;
    const odds = (p: number) => p / (1 - p);
    // P(begin_checkout | add_to_cart) without freight: the mix of non-viewers, standard and express.
    const viewers = shipping.share;
    const mix = (m: string) => viewers * (shipping.methods[m] ?? 0);
    const base = baseRates[1] ?? 0;
    const withoutShare = 1 - mix('freight');
    const withoutFreight =
      (base * (1 - viewers + mix('standard')) + base * 1.3 * mix('express')) / withoutShare;
    const withoutExpress =
      (base * (1 - viewers + mix('standard')) + base * 0.5 * mix('freight')) / (1 - mix('express'));
    const cases = [
      {
        event: 'shipping_info_viewed',
        value: 'freight',
        step: 3,
        truth: odds(base * 0.5) / odds(withoutFreight),
      },
      {
        event: 'shipping_info_viewed',
        value: 'express',
        step: 3,
        truth: odds(base * 1.3) / odds(withoutExpress),
      },
      {
        event: coupon.event,
        value: null,
        step: 5,
        truth: odds((baseRates[3] ?? 0) * coupon.multiplier) / odds(baseRates[3] ?? 0),
      },
    ];
    for (const c of cases) {
      const hit = result.correlations.find((x) => x.event === c.event && x.value === c.value);
      expect(hit?.step, `${c.event} ${c.value}`).toBe(c.step);
      const se = (Math.log(hit?.ciUpper ?? 1) - Math.log(hit?.ciLower ?? 1)) / (2 * 1.959964);
      expect(Math.abs(Math.log(hit?.oddsRatio ?? 1) - Math.log(c.truth))).toBeLessThanOrEqual(3 * se);
    }
  });

  it('states the top finding plainly, with a hypothesis and an A/B test sized by the power calculator', () => {
    const top = result.segments[0];
    if (!top?.since) throw new Error('no dated top finding');
    expect(
      result.summary.lines.some((l) => l.includes(top.label) && l.includes(`since ${top.since?.date}`)),
    ).toBe(true);
    expect(result.summary.hypothesis).toContain(top.toEvent);
    const exp = result.summary.experiment;
    const target = top.since.rate + ((top.since.restRate ?? 0) - top.since.rate) / 2;
    const size = sampleSizeProportions({
      baselineRate: top.since.rate,
      mde: target - top.since.rate,
      power: 0.8,
    });
    expect(exp).toMatchObject({ segment: top.label, perArm: size.nControl, total: size.total });
  });
});
