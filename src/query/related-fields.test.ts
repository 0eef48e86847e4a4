/**
 * Filters and breakdowns on the event's person (traits, persons columns) and session (sessions
 * columns), through the real ingest path and the identity and sessions pass. 2026-03-01, UTC;
 * "+m" is minutes after 10:00.
 *
 * | person | events                                                                   | person       | sessions                         |
 * |--------|--------------------------------------------------------------------------|--------------|----------------------------------|
 * | a      | identify plan=pro +0; page utm_source=news&utm_medium=email +0:01;       | plan pro,    | 1: channel email, 3 events       |
 * |        | track signup +1; track purchase +2                                       | first email  | (not a bounce)                   |
 * | b      | identify plan=free +0; page (direct) +0:01; track signup +1              | plan free    | 1: direct, 3 events              |
 * |        | page (direct) +60; track purchase +61                                    |              | 2: direct (gap 59 min), 2 events |
 * | c      | page (direct) +0 (anonymous, no identify)                                 | no traits    | 1: direct, a bounce              |
 *
 * Expected, by hand:
 * - signup by personTrait plan: pro 1, free 1 (c never signs up).
 * - purchase where session channel = email: 1 (a's); where session channel = direct: 1 (b's).
 * - page views where the session is a bounce: 1 (c); where person initial_channel = email: 1 (a).
 * - funnel signup → purchase broken down by person plan: pro 1 → 1; free 1 → 1 (b's purchase is
 *   59 min later, inside the default 14-day window).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { at, ingestAndProcess } from '../../test/pipeline.js';
import { createProject, openWarehouse, type Warehouse } from '../store/index.js';
import { type FunnelResult, runQuery, type TrendsResult } from './index.js';

let wh: Warehouse;
let pid = '';
const tmp = tempDir();
const range = { from: '2026-03-01', to: '2026-03-01' };

beforeAll(async () => {
  wh = await openWarehouse({ path: `${tmp.dir}/related.duckdb` });
  pid = (await createProject(wh, 'related')).project.projectId;
  const page = (userId: string | null, t: string, url = 'https://shop.test/') => ({
    type: 'page',
    ...(userId ? { userId } : { anonymousId: 'anon-c' }),
    timestamp: t,
    properties: { url },
  });
  const track = (userId: string, event: string, t: string) => ({
    type: 'track',
    event,
    userId,
    timestamp: t,
  });
  const identify = (userId: string, plan: string) => ({
    type: 'identify',
    userId,
    timestamp: at(0),
    traits: { plan },
  });
  await ingestAndProcess(wh, pid, [
    [
      identify('a', 'pro'),
      page('a', at(0, 1), 'https://shop.test/?utm_source=news&utm_medium=email'),
      track('a', 'signup', at(1)),
      track('a', 'purchase', at(2)),
      identify('b', 'free'),
      page('b', at(0, 1)),
      track('b', 'signup', at(1)),
      page('b', at(60)),
      track('b', 'purchase', at(61)),
      page(null, at(0)),
    ],
  ]);
});
afterAll(async () => {
  await wh.close();
  tmp.cleanup();
});

async function total(event: string, where: unknown): Promise<number> {
  const r = (await runQuery(wh, pid, {
    kind: 'trends',
    series: [{ event, where }],
    dateRange: range,
  } as never)) as TrendsResult;
  return r.series[0]?.total ?? Number.NaN;
}

describe('person and session fields', () => {
  it('breaks a trend down by a person trait', async () => {
    const r = (await runQuery(wh, pid, {
      kind: 'trends',
      series: [{ event: 'signup' }],
      breakdown: { personTrait: 'plan' },
      dateRange: range,
    })) as TrendsResult;
    const byPlan = Object.fromEntries(r.series.map((s) => [s.breakdownValue, s.total]));
    expect(byPlan).toEqual({ pro: 1, free: 1 });
  });

  it("filters events by their session's channel and bounce", async () => {
    expect(await total('purchase', { session: 'channel', op: 'eq', value: 'email' })).toBe(1);
    expect(await total('purchase', { session: 'channel', op: 'eq', value: 'direct' })).toBe(1);
    expect(await total('$pageview', { session: 'is_bounce', op: 'eq', value: true })).toBe(1);
  });

  it("filters events by their person's first-touch channel", async () => {
    expect(await total('$pageview', { person: 'initial_channel', op: 'eq', value: 'email' })).toBe(1);
  });

  it('breaks a funnel down by a person trait', async () => {
    const r = (await runQuery(wh, pid, {
      kind: 'funnel',
      steps: [{ event: 'signup' }, { event: 'purchase' }],
      breakdown: { personTrait: 'plan' },
      dateRange: range,
    })) as FunnelResult;
    const counts = Object.fromEntries((r.breakdown ?? []).map((b) => [b.value, b.steps.map((s) => s.count)]));
    expect(counts).toEqual({ pro: [1, 1], free: [1, 1] });
  });
});
