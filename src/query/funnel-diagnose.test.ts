/**
 * The funnel diagnosis queries on a real DuckDB file, against hand-computed counts. Funnel
 * A → B → C, window 60 min, horizon 30 min, range 2024-03-01..03-03 (ends 03-04T00:00Z, so a
 * step is mature up to 03-03T23:30Z). Times are minutes after 2024-03-01T10:00Z.
 *
 * | who | events (minute: event os/app_version/country, props)                  | level |
 * |-----|------------------------------------------------------------------------|-------|
 * | p1  | 0 A iOS/2.0/US plan=pro · 5 coupon · 10 B iOS/2.0 · 20 C                 | 3     |
 * | p2  | −10 help · 0 A Android/2.0/US plan=free · 50 B Android/2.0               | 2     |
 * | p3  | 0 A Android/2.0/DE plan=free · 1 coupon                                  | 1     |
 * | p4  | 0 A Android/2.0/DE plan=pro · 5 B Android/2.1                            | 2     |
 * | p5  | 03-03 23:50 A iOS/2.0/US · 23:55 B iOS                                  | 2     |
 *
 * Step A→B: entrants p1–p5, reached B p1 p2 p4 p5 (window); mature p1–p4, of whom p1 (10 min)
 * and p4 (5 min) reached B within 30 min (p2 took 50). Step B→C: entrants p1 p2 p4 p5, reached
 * C p1; mature p1 p2 p4, p1 within the horizon.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEvent, openFixtureStore } from '../../test/events.js';
import {
  type FunnelDiagnosisSource,
  type FunnelSpec,
  openFunnelDiagnosis,
  type SegmentsRequest,
} from './index.js';

const T0 = Date.parse('2024-03-01T10:00:00Z') * 1000;
const at = (minutes: number) => T0 + minutes * 60_000_000;
const LATE = Date.parse('2024-03-03T23:50:00Z') * 1000;

const ctx = (os: string, appVersion: string, country?: string) => ({
  columns: { os, appVersion, ...(country ? { country } : {}) },
});
const EVENTS: FixtureEvent[] = [
  { who: 'p1', event: 'A', at: at(0), props: { plan: 'pro' }, ...ctx('iOS', '2.0', 'US') },
  { who: 'p1', event: 'coupon', at: at(5) },
  { who: 'p1', event: 'B', at: at(10), ...ctx('iOS', '2.0') },
  { who: 'p1', event: 'C', at: at(20) },
  { who: 'p2', event: 'help', at: at(-10) },
  { who: 'p2', event: 'A', at: at(0), props: { plan: 'free' }, ...ctx('Android', '2.0', 'US') },
  { who: 'p2', event: 'B', at: at(50), ...ctx('Android', '2.0') },
  { who: 'p3', event: 'A', at: at(0), props: { plan: 'free' }, ...ctx('Android', '2.0', 'DE') },
  { who: 'p3', event: 'coupon', at: at(1) },
  { who: 'p4', event: 'A', at: at(0), props: { plan: 'pro' }, ...ctx('Android', '2.0', 'DE') },
  { who: 'p4', event: 'B', at: at(5), ...ctx('Android', '2.1') },
  { who: 'p5', event: 'A', at: LATE, ...ctx('iOS', '2.0', 'US') },
  { who: 'p5', event: 'B', at: LATE + 5 * 60_000_000, ...ctx('iOS', '2.0') },
];

const SPEC: FunnelSpec = {
  kind: 'funnel',
  steps: [{ event: 'A' }, { event: 'B' }, { event: 'C' }],
  windowSec: 3600,
  dateRange: { from: '2024-03-01', to: '2024-03-03' },
};

type Store = Awaited<ReturnType<typeof openFixtureStore>>;
type Request = Omit<SegmentsRequest, 'features'>;
const segments = async (req: Request) => (await source.segments({ ...req, features: null })).segments;
let store: Store;
let source: FunnelDiagnosisSource;

beforeAll(async () => {
  store = await openFixtureStore();
  const projectId = await store.project('diag', EVENTS);
  source = await openFunnelDiagnosis(store.wh, projectId, SPEC, {
    dimensions: [{ column: 'os' }, { column: 'app_version' }, { visit: 'user_type' }],
    horizonSec: 1800,
  });
});
afterAll(async () => {
  await store.close();
});

describe('segment counts', () => {
  it('counts the funnel (window) and mature entrants within the horizon, per step', async () => {
    const rows = await segments({ isPairs: false, minUnits: 1, topValues: 10, splitUs: null });
    const total = rows.filter((r) => r.conditions.length === 0).sort((a, b) => a.step - b.step);
    expect(total.map((r) => [r.step, r.window, r.horizon])).toEqual([
      [0, { n: 5, c: 4 }, { n: 4, c: 2 }],
      [1, { n: 4, c: 1 }, { n: 3, c: 1 }],
    ]);
  });

  it('reads each dimension from the step event itself, so a value can change between steps', async () => {
    const rows = await segments({ isPairs: false, minUnits: 1, topValues: 10, splitUs: null });
    const version = (step: number, value: string) =>
      rows.find(
        (r) =>
          r.step === step &&
          r.conditions.length === 1 &&
          r.conditions[0]?.dimension === 1 &&
          r.conditions[0]?.value === value,
      );
    // At A everyone runs 2.0; at B p4 runs 2.1.
    expect(version(0, '2.0')?.window).toEqual({ n: 5, c: 4 });
    expect(version(0, '2.1')).toBeUndefined();
    expect(version(1, '2.1')?.window).toEqual({ n: 1, c: 0 });
    expect(version(1, '2.0')?.horizon).toEqual({ n: 2, c: 1 });
  });

  it('marks a person seen before the chain started as returning', async () => {
    const rows = await segments({ isPairs: false, minUnits: 1, topValues: 10, splitUs: null });
    const users = rows
      .filter((r) => r.step === 0 && r.conditions[0]?.dimension === 2)
      .map((r) => [r.conditions[0]?.value, r.window.n]);
    expect(users.sort()).toEqual([
      ['new', 4],
      ['returning', 1],
    ]);
  });

  it('counts pairs of values and drops segments under the minimum', async () => {
    const rows = await segments({ isPairs: true, minUnits: 2, topValues: 10, splitUs: null });
    const pair = rows.find(
      (r) =>
        r.step === 0 &&
        r.conditions.length === 2 &&
        r.conditions[0]?.value === 'Android' &&
        r.conditions[1]?.value === '2.0',
    );
    expect(pair?.horizon).toEqual({ n: 3, c: 1 });
    // iOS at A has one mature entrant (p1; p5 is too late).
    expect(rows.some((r) => r.step === 0 && r.conditions[0]?.value === 'iOS')).toBe(false);
    expect(rows.every((r) => r.conditions.length === 0 || r.horizon.n >= 2)).toBe(true);
  });

  it('groups values past the most frequent ones as $other', async () => {
    const rows = await segments({ isPairs: false, minUnits: 1, topValues: 1, splitUs: null });
    // os over all unit-steps: Android 5 (p2 p3 p4 at A, p2 p4 at B), iOS 4: iOS becomes $other.
    const os = rows
      .filter((r) => r.conditions[0]?.dimension === 0)
      .map((r) => [r.step, r.conditions[0]?.value]);
    expect(os.sort()).toEqual([
      [0, '$other'],
      [0, 'Android'],
      [1, '$other'],
      [1, 'Android'],
    ]);
  });

  it('splits mature counts at an instant by the time of the step event', async () => {
    const splitUs = at(3);
    const rows = await segments({ isPairs: false, minUnits: 1, topValues: 10, splitUs });
    const total = rows.filter((r) => r.conditions.length === 0).sort((a, b) => a.step - b.step);
    // Step A: all four mature entrants before 10:03. Step B: p4 (10:05), p1 (10:10), p2 (10:50) after.
    expect(total.map((r) => [r.before, r.after])).toEqual([
      [
        { n: 4, c: 2 },
        { n: 0, c: 0 },
      ],
      [
        { n: 0, c: 0 },
        { n: 3, c: 1 },
      ],
    ]);
  });
});

describe('daily series', () => {
  it('counts mature entrants per local day, overall and for a segment at its step', async () => {
    const { overall, segments } = await source.series([
      { step: 0, conditions: [{ dimension: 0, value: 'Android' }] },
      { step: 1, conditions: [{ dimension: 1, value: null }] },
    ]);
    expect(overall[0]).toEqual([{ day: '2024-03-01', n: 4, c: 2 }]);
    expect(overall[1]).toEqual([{ day: '2024-03-01', n: 3, c: 1 }]);
    expect(segments[0]).toEqual([{ day: '2024-03-01', n: 3, c: 1 }]);
    expect(segments[1]).toEqual([]);
  });
});

describe('feature counts', () => {
  it('counts units with an event or property value before the step, by outcome', async () => {
    const req = { isPairs: true, minUnits: 1, topValues: 10, splitUs: null };
    const both = await source.segments({
      ...req,
      features: { properties: ['plan'], lookbackSec: 1800, minUnits: 1, maxFeatures: 50 },
    });
    // One statement gives the segment counts and the feature counts alike.
    const sorted = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sorted(both.segments)).toEqual(sorted(await segments(req)));
    const { totals, features } = both.features ?? { totals: [], features: [] };
    expect(totals).toEqual([
      { n: 4, c: 2 },
      { n: 3, c: 1 },
    ]);
    const f = (step: number, event: string, value: string | null = null) => {
      const hit = features.find((x) => x.step === step && x.event === event && x.value === value);
      return hit ? [hit.converted, hit.dropped] : null;
    };
    // help (p2, 10 min before A) is inside the 30-minute lookback; coupons come after A.
    expect(f(0, 'help')).toEqual([0, 1]);
    expect(f(0, 'coupon')).toBeNull();
    expect(f(0, 'A', 'pro')).toEqual([2, 0]);
    expect(f(0, 'A', 'free')).toEqual([0, 2]);
    expect(f(1, 'coupon')).toEqual([1, 0]);
    expect(f(1, 'A', 'pro')).toEqual([1, 1]);
    expect(f(1, 'help')).toEqual([0, 1]);
    // Step events are no features by name.
    expect(features.some((x) => x.property === null && ['A', 'B', 'C'].includes(x.event))).toBe(false);
  });
});
