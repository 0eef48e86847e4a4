/**
 * A seeded randomized cross-check: thousands of small random persons, each funnel answered by
 * DuckDB and by an exhaustive search written here from the definitions of ARCHITECTURE.md
 * ("Ordered funnel"), compared person by person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEvent, openFixtureStore } from '../../test/events.js';
import { Rng } from '../sim/index.js';
import { type FunnelResult, runQuery } from './index.js';

const SEED = 20_240_301;
const PERSONS = 3000;
const NAMES = ['A', 'B', 'C', 'D'];
const T0 = Date.parse('2024-03-01T00:00:00Z') * 1000;
const SEC = 1_000_000;
const WINDOW_SEC = 300;

/** Uniform [0, 1) draws from the simulator's seeded generator. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.float();
}

interface Ev {
  readonly event: string;
  readonly t: number;
}

/** Ordered: the longest prefix of steps matched by events with non-decreasing times within the window. */
function bruteOrdered(evs: readonly Ev[], steps: readonly string[], windowUs: number): number {
  let best = 0;
  const extend = (k: number, first: number, last: number): void => {
    best = Math.max(best, k);
    if (k === steps.length) return;
    for (const e of evs) {
      if (e.event === steps[k] && e.t >= last && e.t - first <= windowUs) extend(k + 1, first, e.t);
    }
  };
  for (const e of evs) if (e.event === steps[0]) extend(1, e.t, e.t);
  return best;
}

/**
 * Ordered with an exclusion event between steps `from` and `to` (1-based): a chain's gap k−1 → k
 * with from < k <= to is void when an exclusion event x has t(k−1) <= x <= t(k).
 */
function bruteExcluded(
  evs: readonly Ev[],
  steps: readonly string[],
  windowUs: number,
  excl: { event: string; from: number; to: number },
): number {
  let best = 0;
  const xs = evs.filter((e) => e.event === excl.event).map((e) => e.t);
  const extend = (k: number, first: number, last: number): void => {
    best = Math.max(best, k);
    if (k === steps.length) return;
    const guarded = k + 1 > excl.from && k + 1 <= excl.to;
    for (const e of evs) {
      if (e.event !== steps[k] || e.t < last || e.t - first > windowUs) continue;
      if (guarded && xs.some((x) => x >= last && x <= e.t)) continue;
      extend(k + 1, first, e.t);
    }
  };
  for (const e of evs) if (e.event === steps[0]) extend(1, e.t, e.t);
  return best;
}

/** Strict: k consecutive events (in time order, ties in insertion order) matching steps 1..k. */
function bruteStrict(evs: readonly Ev[], steps: readonly string[], windowUs: number): number {
  let best = 0;
  for (let i = 0; i < evs.length; i++) {
    let k = 0;
    while (k < steps.length && i + k < evs.length) {
      const e = evs[i + k] as Ev;
      if (e.event !== steps[k] || e.t - (evs[i] as Ev).t > windowUs) break;
      k++;
    }
    best = Math.max(best, k);
  }
  return best;
}

/** Unordered: from any step event, the number of distinct steps with an event in [t, t + window]. */
function bruteUnordered(evs: readonly Ev[], steps: readonly string[], windowUs: number): number {
  let best = 0;
  for (const a of evs) {
    if (!steps.includes(a.event)) continue;
    const seen = steps.filter((s) => evs.some((e) => e.event === s && e.t >= a.t && e.t <= a.t + windowUs));
    best = Math.max(best, seen.length);
  }
  return best;
}

/**
 * Unordered with an exclusion spanning the funnel: from a step event at t, the steps counted are
 * those with an event in [t, t + window] before the first exclusion at or after t.
 */
function bruteUnorderedExcluded(
  evs: readonly Ev[],
  steps: readonly string[],
  windowUs: number,
  x: string,
): number {
  let best = 0;
  for (const a of evs) {
    if (!steps.includes(a.event)) continue;
    const stop = Math.min(...evs.filter((e) => e.event === x && e.t >= a.t).map((e) => e.t));
    const inWindow = (e: Ev, s: string) => e.event === s && e.t >= a.t && e.t <= a.t + windowUs && e.t < stop;
    best = Math.max(best, steps.filter((s) => evs.some((e) => inWindow(e, s))).length);
  }
  return best;
}

function makePersons(): Map<string, Ev[]> {
  const random = rng(SEED);
  const persons = new Map<string, Ev[]>();
  for (let p = 0; p < PERSONS; p++) {
    const count = 1 + Math.floor(random() * 8);
    // Times on a 30 s grid over 15 minutes: many equal timestamps and window-boundary cases.
    const evs = Array.from({ length: count }, () => ({
      event: NAMES[Math.floor(random() * NAMES.length)] as string,
      t: T0 + Math.floor(random() * 30) * 30 * SEC,
    })).sort((a, b) => a.t - b.t);
    persons.set(`p${String(p).padStart(5, '0')}`, evs);
  }
  return persons;
}

describe('ordered funnels against an exhaustive search', () => {
  const persons = makePersons();
  let store: Awaited<ReturnType<typeof openFixtureStore>>;
  let projectId = '';

  beforeAll(async () => {
    store = await openFixtureStore();
    const events: FixtureEvent[] = [];
    for (const [who, evs] of persons) for (const e of evs) events.push({ who, event: e.event, at: e.t });
    projectId = await store.project('random', events);
  });
  afterAll(async () => {
    await store.close();
  });

  async function levels(
    steps: readonly string[],
    mode: 'ordered' | 'strict' | 'unordered',
    exclusions: { event: string; fromStep: number; toStep: number }[] = [],
  ) {
    const r = (await runQuery(store.wh, projectId, {
      kind: 'funnel',
      mode,
      exclusions,
      steps: steps.map((event) => ({ event })),
      windowSec: WINDOW_SEC,
      dateRange: { from: '2024-03-01', to: '2024-03-01' },
      persons: { step: 1, status: 'converted', limit: 10_000 },
    })) as FunnelResult;
    return new Map((r.persons?.items ?? []).map((i) => [i.id, i.stepsReached]));
  }

  const BRUTE = { ordered: bruteOrdered, strict: bruteStrict, unordered: bruteUnordered } as const;
  const FUNNELS = [
    ['A', 'B'],
    ['A', 'B', 'C'],
    ['B', 'A', 'B', 'D'],
    ['A', 'A', 'B'],
    ['D', 'C', 'B', 'A'],
  ];

  for (const mode of ['ordered', 'strict', 'unordered'] as const) {
    for (const steps of FUNNELS) {
      if (mode === 'unordered' && new Set(steps).size !== steps.length) continue;
      it(`${mode} ${steps.join('→')} gives every person the same level as the search`, async () => {
        const got = await levels(steps, mode);
        const mismatches: string[] = [];
        for (const [who, evs] of persons) {
          const want = BRUTE[mode](evs, steps, WINDOW_SEC * SEC);
          const have = got.get(who) ?? 0;
          if (want !== have) mismatches.push(`${who}: want ${want} got ${have} ${JSON.stringify(evs)}`);
        }
        expect(mismatches.slice(0, 5)).toEqual([]);
      });
    }
  }

  for (const excl of [
    { event: 'D', from: 1, to: 3 },
    { event: 'D', from: 2, to: 3 },
    { event: 'C', from: 1, to: 2 },
  ]) {
    it(`an exclusion of ${excl.event} between steps ${excl.from} and ${excl.to} voids the same chains as the search`, async () => {
      const steps = ['A', 'B', excl.event === 'C' ? 'D' : 'C'];
      const got = await levels(steps, 'ordered', [
        { event: excl.event, fromStep: excl.from, toStep: excl.to },
      ]);
      const mismatches: string[] = [];
      for (const [who, evs] of persons) {
        const want = bruteExcluded(evs, steps, WINDOW_SEC * SEC, excl);
        const have = got.get(who) ?? 0;
        if (want !== have) mismatches.push(`${who}: want ${want} got ${have} ${JSON.stringify(evs)}`);
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  }

  it('an unordered funnel stops counting at an exclusion, as the search does', async () => {
    const steps = ['A', 'B', 'C'];
    const got = await levels(steps, 'unordered', [{ event: 'D', fromStep: 1, toStep: 3 }]);
    const mismatches: string[] = [];
    for (const [who, evs] of persons) {
      const want = bruteUnorderedExcluded(evs, steps, WINDOW_SEC * SEC, 'D');
      const have = got.get(who) ?? 0;
      if (want !== have) mismatches.push(`${who}: want ${want} got ${have} ${JSON.stringify(evs)}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
