/**
 * Segment tests and their untangling on hand-made counts (mature entrants n, converted c).
 *
 * Step 0 (move to step 1), everyone 10,000 / 4,800. Outside Android and 2.1 everyone converts
 * at 50%; the shortfall sits in Android ∧ 2.1 only:
 *
 * | segment                                   | n     | c     | rate  |
 * |-------------------------------------------|-------|-------|-------|
 * | os = Android ∧ app_version = 2.1 (P)      | 500   | 50    | 10%   |
 * | os = Android (A = P + 1,500 at 50%)       | 2,000 | 800   | 40%   |
 * | app_version = 2.1 (B = P + 1,000 at 50%)  | 1,500 | 550   | 36.7% |
 * | browser = (none) ∧ app_version = 2.1      | same units as B: an alias |
 * | os = $other                               | 300   | 30    | not tested |
 *
 * Step 1, everyone 4,000 / 2,000: DE converts at 20% throughout, Chrome in DE too:
 *
 * | segment                       | n     | c     |
 * |-------------------------------|-------|-------|
 * | country = DE                  | 500   | 100   |
 * | country = DE ∧ browser = Chrome | 200 | 40    |
 * | country = DE ∧ channel = (none) | 500 | 100   | (an alias of DE)
 * | browser = Chrome              | 2,000 | 980   |
 *
 * People lost: P (0.5 − 0.1) × 500 = 200 (the rest: 9,500 / 4,750); DE (1,900/3,500 − 0.2) × 500.
 */
import { describe, expect, it } from 'vitest';
import type { SegmentCounts } from '../query/index.js';
import { explainer, findings, type TestedSegment, testSegments, untangleNested } from './segments.js';

const DIMS = ['os', 'app_version', 'country', 'browser', 'channel'];
const LABELS = { dimensions: DIMS, steps: ['A', 'B', 'C'] };

function row(step: number, conditions: [number, string | null][], n: number, c: number): SegmentCounts {
  return {
    step,
    conditions: conditions.map(([dimension, value]) => ({ dimension, value })),
    window: { n, c },
    horizon: { n, c },
    before: null,
    after: null,
  };
}

const ROWS = [
  row(0, [], 10_000, 4800),
  row(0, [[0, 'Android']], 2000, 800),
  row(0, [[1, '2.1']], 1500, 550),
  row(
    0,
    [
      [0, 'Android'],
      [1, '2.1'],
    ],
    500,
    50,
  ),
  row(
    0,
    [
      [1, '2.1'],
      [3, null],
    ],
    1500,
    550,
  ),
  row(0, [[0, '$other']], 300, 30),
  row(1, [], 4000, 2000),
  row(1, [[2, 'DE']], 500, 100),
  row(
    1,
    [
      [2, 'DE'],
      [3, 'Chrome'],
    ],
    200,
    40,
  ),
  row(
    1,
    [
      [2, 'DE'],
      [4, null],
    ],
    500,
    100,
  ),
  row(1, [[3, 'Chrome']], 2000, 980),
];

const totals = new Map([
  [0, { n: 10_000, c: 4800 }],
  [1, { n: 4000, c: 2000 }],
]);

describe('segment tests', () => {
  it('tests each segment against the rest of its step and skips $other and aliases', () => {
    const tested = testSegments(ROWS, 0.05);
    expect(tested.map((t) => t.key).sort()).toEqual(
      ['0|0=Android', '0|1=2.1', '0|0=Android&1=2.1', '1|2=DE', '1|2=DE&3=Chrome', '1|3=Chrome'].sort(),
    );
    const p = tested.find((t) => t.key === '0|0=Android&1=2.1');
    expect(p?.rest).toEqual({ n: 9500, c: 4750 });
    expect(p?.peopleLost).toBeCloseTo(200, 10);
    expect(tested.find((t) => t.key === '1|3=Chrome')?.isFlagged).toBe(false);
  });

  it('lets the pair that holds the whole shortfall explain its values, and a value explain its pairs', () => {
    const tested = testSegments(ROWS, 0.05);
    untangleNested(tested, totals);
    const found = findings(tested, LABELS).map((f) => f.finding);
    expect(found.map((f) => f.label)).toEqual(['os = Android, app_version = 2.1', 'country = DE']);
    expect(found[0]?.explains.sort()).toEqual(['app_version = 2.1', 'os = Android']);
    expect(found[0]).toMatchObject({ step: 2, fromEvent: 'A', toEvent: 'B', rate: 0.1, restRate: 0.5 });
    expect(found[0]?.rateRatio).toBeCloseTo(5, 10);
    expect(found[1]?.explains).toEqual(['country = DE, browser = Chrome']);
    expect(found[1]?.aliases).toEqual(['country = DE, channel = (none)']);
    expect(found[1]?.peopleLost).toBeCloseTo((1900 / 3500 - 0.2) * 500, 10);
  });

  it('flags nothing when every segment converts like the rest', () => {
    const flat = [
      row(0, [], 10_000, 5000),
      row(0, [[0, 'Android']], 2000, 1000),
      row(0, [[2, 'DE']], 900, 455),
    ];
    expect(testSegments(flat, 0.05).filter((t) => t.isFlagged)).toEqual([]);
  });
});

/** A flagged segment with the given counts, for the overlap rule alone. */
function flagged(key: string, n: number, c: number): TestedSegment {
  const tested = testSegments([row(0, [], 100_000, 75_000), row(0, [[0, key]], n, c)], 0.05);
  const t = tested[0];
  if (!t) throw new Error('not tested');
  return t;
}

describe('overlapping segments', () => {
  // Everyone else converts at 75% (10,000 / 7,280 in all, 8,600 / 6,450 outside X and Y).
  const total = { n: 10_000, c: 7280 };

  it('lets the segment closer to a concentrated shortfall explain the other', () => {
    // X = Android app 1,000 / 530, Y = app 2.1 800 / 380, I = Android 2.1 400 / 80 (20%).
    const x = flagged('android-app', 1000, 530);
    const y = flagged('2.1', 800, 380);
    expect(explainer(x, y, { n: 400, c: 80 }, total)).toBe(y);
  });

  it('keeps the broader segment when the narrower one converts like the rest of it', () => {
    // X = NL 350 / 178; Y = NL and new 260 / 126 inside it; NL returning 90 / 52.
    const x = flagged('NL', 350, 178);
    const y = flagged('NL-new', 260, 126);
    expect(explainer(x, y, { n: 260, c: 126 }, { n: 10_000, c: 5830 })).toBe(x);
  });

  it('keeps both when each falls short outside the other', () => {
    const x = flagged('DE', 900, 300);
    const y = flagged('FR', 700, 250);
    expect(explainer(x, y, { n: 0, c: 0 }, total)).toBe('both');
  });
});
