/**
 * IPS replay of a re-ranking: a hand-computed case, and on PBM lists (src/sim/click-lists.ts)
 * the estimate against the planted expected clicks of the new ranking.
 */
import { describe, expect, it } from 'vitest';
import { clickListParams, generateClickLists } from '../../sim/index.js';
import { IpsReplay, rerankPositions } from './ips.js';
import type { ClickList, PositionCell } from './list.js';
import { fitPbm } from './pbm.js';

describe('rerankPositions', () => {
  it('moves items between the shown slots by score, unscored items last in logged order', () => {
    const list: ClickList = {
      items: [5, 6, 7, 8],
      positions: [1, 2, 3, 5],
      clicks: [false, false, false, false],
    };
    const score = new Map([
      [7, 2],
      [6, 1],
    ]);
    expect(rerankPositions(list, (i) => score.get(i))).toEqual([3, 2, 1, 5]);
  });
});

describe('IPS replay', () => {
  /**
   * γ = [1, 0.5, 0.25]. List A: items x y z, click on y (position 2); new order z y x → y stays
   * at 2: weight 0.5/0.5 = 1. List B: items x y z, click on z (position 3); new order z x y → z
   * moves to 1: weight 1/0.25 = 4. Estimated clicks per list (1 + 4)/2 = 2.5, logged 1.
   */
  it('weights each click by γ(new position) / γ(logged position)', () => {
    const g = [1, 0.5, 0.25];
    const replay = new IpsReplay((k) => g[k - 1] ?? 0);
    replay.add({ items: [0, 1, 2], positions: [1, 2, 3], clicks: [false, true, false] }, [3, 2, 1]);
    replay.add({ items: [0, 1, 2], positions: [1, 2, 3], clicks: [false, false, true] }, [2, 3, 1]);
    const r = replay.result();
    expect(r.lists).toBe(2);
    expect(r.loggedClicksPerList).toBe(1);
    expect(r.clicksPerList.value).toBe(2.5);
    expect(r.ratio).toBe(2.5);
    // Sample sd of (1, 4) is 2.1213; half-width 1.96 · 2.1213 / √2.
    expect(r.clicksPerList.high - 2.5).toBeCloseTo((1.959963984540054 * Math.sqrt(4.5)) / Math.sqrt(2), 12);
    expect(r.byPosition).toEqual([
      { position: 1, loggedCtr: 0, estimatedCtr: 2 },
      { position: 2, loggedCtr: 0.5, estimatedCtr: 0.5 },
      { position: 3, loggedCtr: 0.5, estimatedCtr: 0 },
    ]);
  });

  it('caps weights at maxWeight and counts the capped clicks', () => {
    const g = [1, 0.5, 0.25];
    const replay = new IpsReplay((k) => g[k - 1] ?? 0, 2);
    replay.add({ items: [0, 1, 2], positions: [1, 2, 3], clicks: [false, false, true] }, [2, 3, 1]);
    expect(replay.result().clicksPerList.value).toBe(2);
    expect(replay.result().clippedClicks).toBe(1);
  });

  it('estimates the planted expected clicks of a better ranking from logged PBM lists', () => {
    const p = clickListParams({ model: 'pbm', items: 200, seed: 5, rankingNoise: 2 });
    const lists = [...generateClickLists(p, 30_000, 3)];
    const cells = new Map<string, PositionCell>();
    for (const l of lists) {
      l.items.forEach((item, r) => {
        const key = `${item}:${l.positions[r]}`;
        const c = cells.get(key) ?? { item, position: l.positions[r] as number, impressions: 0, clicks: 0 };
        cells.set(key, { ...c, impressions: c.impressions + 1, clicks: c.clicks + (l.clicks[r] ? 1 : 0) });
      });
    }
    const pbm = fitPbm([...cells.values()]);
    const replay = new IpsReplay((k) => pbm.examination(k));
    let expected = 0;
    for (const l of lists) {
      // The new ranking sorts by planted attractiveness; its expected clicks follow from the truth.
      const next = rerankPositions(l, (i) => p.attractiveness[i]);
      replay.add(l, next);
      l.items.forEach((item, r) => {
        expected += (p.examination[(next[r] as number) - 1] as number) * (p.attractiveness[item] as number);
      });
    }
    expected /= lists.length;
    const r = replay.result();
    expect(r.clicksPerList.value).toBeGreaterThan(r.loggedClicksPerList);
    const se = (r.clicksPerList.high - r.clicksPerList.value) / 1.959963984540054;
    expect(Math.abs(r.clicksPerList.value - expected)).toBeLessThan(3 * se);
  });
});
