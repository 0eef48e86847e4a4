/**
 * Journey extraction (README, "Attribution"), through ingest → identity → sessions → SQL.
 * Range 2026-02-01 .. 2026-02-28 (UTC, so [Feb 1, Mar 1)), lookback 10 days. Times are 10:00Z.
 *
 * | person | touches (sessions' channel)                         | conversions (purchase, revenue)        | journeys                                  |
 * |--------|-----------------------------------------------------|----------------------------------------|-------------------------------------------|
 * | a      | email Feb 3, direct Feb 5, direct Feb 6, paid Feb 25 | Feb 6 10:05 (120)                      | [email, direct] → 120; [paid search] tail |
 * | b      | organic Jan 25, display Feb 7, referral Feb 15       | Feb 8 (50), Feb 8 10:10 (30), Feb 16 (—) | [display] → 50 (organic is 14 d old); [referral] → 0; one conversion without touches |
 * | c      | email Jan 26, direct Feb 1                           | Jan 27 (before range), Feb 1 10:20 (10) | [direct] → 10 (the journey restarts after Jan 27) |
 * | d      | organic Feb 9, display Feb 20                        | —                                      | [display] (Feb 9 is over 10 d before its last touch) |
 * | f      | paid Jan 25                                          | —                                      | none: its last touch is before the range |
 * | g      | email Feb 2, direct Feb 3                            | —                                      | [email, direct]                           |
 *
 * Non-converting journeys count seconds to the range end (Mar 1 00:00Z).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { ingestAndProcess } from '../../test/pipeline.js';
import { createProject, openWarehouse, type Warehouse } from '../store/index.js';
import { collectJourneys, type JourneySet, type JourneySpec } from './index.js';

let wh: Warehouse;
let shop: string;
let b2b: string;
const tmp = tempDir();

const t = (day: string, minutes = 0) =>
  new Date(Date.parse(`2026-${day}T10:00:00Z`) + minutes * 60_000).toISOString();
const page = (userId: string, day: string, query = '', referrer = '') => ({
  type: 'page',
  userId,
  timestamp: t(day),
  properties: { url: `https://shop.test/${query ? `?${query}` : ''}`, referrer },
});
const track = (userId: string, day: string, minutes: number, event: string, properties = {}) => ({
  type: 'track',
  event,
  userId,
  timestamp: t(day, minutes),
  properties,
});
const EMAIL = 'utm_source=newsletter&utm_medium=email';
const PAID = 'utm_source=google&utm_medium=cpc';
const DISPLAY = 'utm_source=criteo&utm_medium=display';

beforeAll(async () => {
  wh = await openWarehouse({ path: `${tmp.dir}/journeys.duckdb` });
  shop = (await createProject(wh, 'shop')).project.projectId;
  b2b = (await createProject(wh, 'b2b')).project.projectId;
  await ingestAndProcess(wh, shop, [
    [
      page('a', '02-03', EMAIL),
      page('a', '02-05'),
      page('a', '02-06'),
      track('a', '02-06', 5, 'purchase', { revenue: 120 }),
      page('a', '02-25', PAID),
      page('b', '01-25', '', 'https://www.google.com/'),
      page('b', '02-07', DISPLAY),
      track('b', '02-08', 0, 'purchase', { revenue: 50 }),
      track('b', '02-08', 10, 'purchase', { revenue: 30 }),
      page('b', '02-15', '', 'https://blog.example.org/post'),
      track('b', '02-16', 0, 'purchase'),
      page('c', '01-26', EMAIL),
      track('c', '01-27', 0, 'purchase', { revenue: 99 }),
      page('c', '02-01'),
      track('c', '02-01', 20, 'purchase', { revenue: 10 }),
      page('d', '02-09', '', 'https://www.google.com/'),
      page('d', '02-20', DISPLAY),
      page('f', '01-25', PAID),
      page('g', '02-02', EMAIL),
      page('g', '02-03'),
    ],
  ]);
  await ingestAndProcess(wh, b2b, [
    [
      track('e', '02-04', 0, 'webinar_attended', { topic: 'pricing' }),
      track('e', '02-05', 0, 'whitepaper_download'),
      track('e', '02-05', 60, 'webinar_attended'),
      track('e', '02-06', 0, 'demo_requested', { pipeline: 1000 }),
    ],
  ]);
});
afterAll(async () => {
  await wh.close();
  tmp.cleanup();
});

interface Plain {
  touches: string[];
  secs: number[];
  isConverted: boolean;
  value: number;
}

function plain(set: JourneySet): Plain[] {
  const out: Plain[] = [];
  for (let j = 0; j < set.count; j++) {
    const lo = set.offsets[j] as number;
    const hi = set.offsets[j + 1] as number;
    out.push({
      touches: [...set.touches.subarray(lo, hi)].map((c) => set.labels[c] as string),
      secs: [...set.secondsBefore.subarray(lo, hi)],
      isConverted: set.isConverted[j] === 1,
      value: set.value[j] as number,
    });
  }
  return out.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}

const FEB: JourneySpec = {
  dateRange: { from: '2026-02-01', to: '2026-02-28' },
  conversion: { event: 'purchase', valueProperty: 'revenue' },
  lookbackDays: 10,
};
const DAY = 86_400;

describe('journey extraction', () => {
  it('cuts journeys at conversions, the lookback window and earlier conversions, and collapses repeats', async () => {
    const x = await collectJourneys(wh, shop, FEB);
    expect(x.conversions).toBe(5);
    expect(x.conversionValue).toBe(210);
    expect(plain(x.set)).toEqual(
      plain({
        ...x.set,
        ...packed([
          { touches: ['email', 'direct'], secs: [3 * DAY + 300, DAY + 300], isConverted: true, value: 120 },
          { touches: ['paid search'], secs: [3 * DAY + 14 * 3600], isConverted: false, value: 0 },
          { touches: ['display'], secs: [DAY], isConverted: true, value: 50 },
          { touches: ['referral'], secs: [DAY], isConverted: true, value: 0 },
          { touches: ['direct'], secs: [1200], isConverted: true, value: 10 },
          { touches: ['display'], secs: [8 * DAY + 14 * 3600], isConverted: false, value: 0 },
          {
            touches: ['email', 'direct'],
            secs: [26 * DAY + 14 * 3600, 25 * DAY + 14 * 3600],
            isConverted: false,
            value: 0,
          },
        ]),
      }),
    );
  });

  it('keeps repeated touches when collapsing is off', async () => {
    const x = await collectJourneys(wh, shop, { ...FEB, collapseRepeats: false });
    const a = plain(x.set).find((j) => j.value === 120);
    expect(a?.touches).toEqual(['email', 'direct', 'direct']);
    expect(a?.secs).toEqual([3 * DAY + 300, DAY + 300, 300]);
  });

  it('merges labels past maxLabels into "(other)" by touch count', async () => {
    // Touches in [Jan 22, Mar 1): direct 4, email 3; display, organic and paid search 2; referral 1.
    const x = await collectJourneys(wh, shop, { ...FEB, maxLabels: 2 });
    expect(x.set.labels).toEqual(['direct', 'email', '(other)']);
    expect(x.distinctLabels).toBe(6);
    const paths = plain(x.set).map((j) => j.touches);
    expect(paths).toContainEqual(['email', 'direct']);
    expect(paths.filter((p) => p.length === 1 && p[0] === '(other)')).toHaveLength(4);
  });

  it('labels sessions by UTM source, "(none)" without one', async () => {
    const x = await collectJourneys(wh, shop, {
      ...FEB,
      touchpoints: [{ kind: 'session', attribute: 'utm_source' }],
    });
    expect(plain(x.set).find((j) => j.value === 120)?.touches).toEqual(['newsletter', '(none)']);
  });

  it('takes chosen touch events labelled by a property, else by their name', async () => {
    const x = await collectJourneys(wh, b2b, {
      dateRange: FEB.dateRange,
      conversion: { event: 'demo_requested', valueProperty: 'pipeline' },
      touchpoints: [
        { kind: 'event', event: 'webinar_attended', labelProperty: 'topic' },
        { kind: 'event', event: 'whitepaper_download' },
      ],
    });
    expect(plain(x.set)).toEqual([
      {
        touches: ['pricing', 'whitepaper_download', 'webinar_attended'],
        secs: [2 * DAY, DAY, 23 * 3600],
        isConverted: true,
        value: 1000,
      },
    ]);
  });

  it('rejects two session touchpoint sources', async () => {
    await expect(
      collectJourneys(wh, shop, { ...FEB, touchpoints: [{ kind: 'session' }, { kind: 'session' }] }),
    ).rejects.toMatchObject({ code: 'PW_QUERY_INVALID_SPEC' });
  });
});

/** The expected journeys in the same coding as the extracted set (labels by name). */
function packed(
  rows: Plain[],
): Pick<JourneySet, 'labels' | 'count' | 'offsets' | 'touches' | 'secondsBefore' | 'isConverted' | 'value'> {
  const labels = [...new Set(rows.flatMap((r) => r.touches))];
  const offsets = [0];
  for (const r of rows) offsets.push((offsets.at(-1) as number) + r.touches.length);
  return {
    labels,
    count: rows.length,
    offsets: Uint32Array.from(offsets),
    touches: Uint8Array.from(rows.flatMap((r) => r.touches.map((l) => labels.indexOf(l)))),
    secondsBefore: Uint32Array.from(rows.flatMap((r) => r.secs)),
    isConverted: Uint8Array.from(rows.map((r) => (r.isConverted ? 1 : 0))),
    value: Float64Array.from(rows.map((r) => r.value)),
  };
}
