/**
 * Click models on lists generated from planted parameters (src/sim/click-lists.ts): recovery of
 * the planted values within the models' own 95% intervals, each model fitting its own data best
 * on held-out lists, a hand-computed cascade fit, and the DBN E-step against brute-force
 * enumeration of its latent variables.
 */
import { describe, expect, it } from 'vitest';
import {
  type ClickListParams,
  clickListParams,
  type GeneratedList,
  generateClickLists,
  type ListClickModel,
} from '../../sim/index.js';
import { CascadeCounter } from './cascade.js';
import { DbnFitter, type DbnModel } from './dbn.js';
import { type DbnParameters, dbnEStep } from './dbn-estep.js';
import { PassSums } from './dbn-state.js';
import { HeldOutEvaluator } from './evaluate.js';
import type { FittedClickModel } from './fitted.js';
import type { ClickList, PositionCell } from './list.js';
import { fitPbm } from './pbm.js';

function cellsOf(lists: readonly ClickList[]): PositionCell[] {
  const cells = new Map<string, { item: number; position: number; impressions: number; clicks: number }>();
  for (const l of lists) {
    l.items.forEach((item, r) => {
      const position = l.positions[r] as number;
      const key = `${item}:${position}`;
      const c = cells.get(key) ?? { item, position, impressions: 0, clicks: 0 };
      c.impressions++;
      if (l.clicks[r]) c.clicks++;
      cells.set(key, c);
    });
  }
  return [...cells.values()];
}

function fitDbn(lists: readonly ClickList[]): DbnModel {
  const f = new DbnFitter();
  for (;;) {
    for (const l of lists) f.add(l);
    if (f.endPass()) return f.model();
  }
}

function fitAll(train: readonly ClickList[]): FittedClickModel[] {
  const cascade = new CascadeCounter();
  for (const l of train) cascade.add(l);
  return [fitPbm(cellsOf(train)), cascade.fit(), fitDbn(train)];
}

const data = new Map<ListClickModel, { p: ClickListParams; train: GeneratedList[]; test: GeneratedList[] }>();
function dataOf(model: ListClickModel) {
  let d = data.get(model);
  if (!d) {
    const p = clickListParams({ model, items: 200, seed: 11 });
    d = { p, train: [...generateClickLists(p, 20_000, 1)], test: [...generateClickLists(p, 5_000, 2)] };
    data.set(model, d);
  }
  return d;
}

describe('position-based model', () => {
  it('recovers the planted examination per position within its intervals', () => {
    const { p, train } = dataOf('pbm');
    const pbm = fitPbm(cellsOf(train));
    expect(pbm.isConverged).toBe(true);
    const positions = pbm.positions();
    expect(positions).toHaveLength(10);
    expect(positions[0]?.examination).toEqual({ value: 1, low: 1, high: 1 });
    let inside95 = 0;
    for (const x of positions.slice(1)) {
      const truth = p.examination[x.position - 1] as number;
      // The interval is symmetric on the log scale: widen the 95% one to 99.9% (z 3.29 / 1.96).
      const half = Math.log(x.examination.high / x.examination.value) * (3.2905 / 1.96);
      expect(Math.abs(Math.log(truth / x.examination.value))).toBeLessThan(half);
      if (truth >= x.examination.low && truth <= x.examination.high) inside95++;
    }
    expect(inside95).toBeGreaterThanOrEqual(7);
  });

  it('recovers planted attractiveness: about 95% of items inside their 95% intervals', () => {
    const { p, train } = dataOf('pbm');
    const items = fitPbm(cellsOf(train)).items();
    expect(items.length).toBe(200);
    const inside = items.filter((x) => {
      const truth = p.attractiveness[x.item] as number;
      return truth >= x.attractiveness.low && truth <= x.attractiveness.high;
    }).length;
    // Binomial(200, 0.95): 90% of items is more than 3 standard deviations below 95%.
    expect(inside / items.length).toBeGreaterThan(0.9);
  });
});

describe('model comparison on held-out lists', () => {
  const results = new Map<ListClickModel, ReturnType<HeldOutEvaluator['results']>>();
  function evaluate(model: ListClickModel) {
    let r = results.get(model);
    if (!r) {
      const { train, test } = dataOf(model);
      const ev = new HeldOutEvaluator(fitAll(train));
      for (const l of test) ev.add(l);
      r = ev.results();
      results.set(model, r);
    }
    return r;
  }
  const heldOut = (model: ListClickModel) => evaluate(model).map((r) => r.logLikelihood);

  it('PBM fits PBM data better than cascade and DBN', () => {
    const [pbm, cascade, dbn] = heldOut('pbm') as [number, number, number];
    expect(pbm).toBeGreaterThan(dbn);
    expect(pbm).toBeGreaterThan(cascade);
  });

  it('cascade and DBN fit cascade data better than PBM', () => {
    const [pbm, cascade, dbn] = heldOut('cascade') as [number, number, number];
    expect(cascade).toBeGreaterThan(pbm);
    expect(dbn).toBeGreaterThan(pbm);
  });

  it('DBN fits DBN data better than PBM and cascade', () => {
    const [pbm, cascade, dbn] = heldOut('dbn') as [number, number, number];
    expect(dbn).toBeGreaterThan(pbm);
    expect(dbn).toBeGreaterThan(cascade);
  });

  it('DBN recovers the planted continuation and satisfaction', () => {
    const { p, train } = dataOf('dbn');
    const dbn = fitDbn(train);
    expect(dbn.continuation).toBeGreaterThan(p.continuation - 0.02);
    expect(dbn.continuation).toBeLessThan(p.continuation + 0.02);
    const items = dbn.items();
    const inside = items.filter((x) => {
      const s = p.satisfaction[x.item] as number;
      return x.satisfaction && s >= x.satisfaction.low && s <= x.satisfaction.high;
    }).length;
    expect(inside / items.length).toBeGreaterThan(0.9);
  });

  it('reports perplexity per position between 1 and 2', () => {
    for (const r of evaluate('pbm')) {
      expect(r.perplexityByPosition.map((x) => x.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const x of r.perplexityByPosition) {
        expect(x.perplexity).toBeGreaterThan(1);
        expect(x.perplexity).toBeLessThan(2);
      }
    }
  });
});

describe('cascade model', () => {
  /**
   * | list | items (position order) | clicks     | examined (down to the first click) |
   * |------|------------------------|------------|------------------------------------|
   * | 1    | 0 1 2                  | -  ✓  -    | 0 1                                |
   * | 2    | 1 0 2                  | -  -  -    | 1 0 2                              |
   * | 3    | 2 0 1                  | ✓  -  ✓    | 2 (the click on 1 is below the first) |
   * α0 = 0/2, α1 = 1/2, α2 = 1/2.
   */
  const lists: ClickList[] = [
    { items: [0, 1, 2], positions: [1, 2, 3], clicks: [false, true, false] },
    { items: [1, 0, 2], positions: [1, 2, 3], clicks: [false, false, false] },
    { items: [2, 0, 1], positions: [1, 2, 3], clicks: [true, false, true] },
  ];

  it('is clicks over examinations down to the first click', () => {
    const c = new CascadeCounter();
    for (const l of lists) c.add(l);
    const m = c.fit();
    expect(m.items().map((x) => [x.item, x.examinations, x.clicks, x.attractiveness.value])).toEqual([
      [0, 2, 0, 0],
      [1, 2, 1, 0.5],
      [2, 2, 1, 0.5],
    ]);
    // After the first click nothing is examined: the later click costs log(1e-6).
    expect(Array.from(m.conditionalClickProbs(lists[2] as ClickList))).toEqual([0.5, 1e-6, 1e-6]);
    // Unconditional: α2 = 0.5; item 0 has α 0 (clipped to 1e-6); item 1 is reached with (1 − 0.5)(1 − 0).
    expect(Array.from(m.fullClickProbs(lists[2] as ClickList))).toEqual([0.5, 1e-6, 0.25]);
  });
});

/** Brute force: every configuration of attraction, satisfaction and continuation of a 3-item list. */
function enumerate(a: number[], s: number[], g: number, clicks: boolean[]) {
  let total = 0;
  const examined = [0, 0, 0];
  let satisfiedAtLast = 0;
  const last = clicks.lastIndexOf(true);
  const walk = (r: number, isExamining: boolean, prob: number, path: { e: boolean[]; sat: boolean[] }) => {
    if (r === 3) {
      total += prob;
      path.e.forEach((e, k) => {
        if (e) examined[k] = (examined[k] as number) + prob;
      });
      if (last >= 0 && path.sat[last]) satisfiedAtLast += prob;
      return;
    }
    const ar = a[r] as number;
    const sr = s[r] as number;
    for (const isAttracted of [true, false]) {
      const pa = isAttracted ? ar : 1 - ar;
      const isClick = isExamining && isAttracted;
      if (isClick !== clicks[r]) continue;
      for (const isSatisfied of isClick ? [true, false] : [false]) {
        const ps = isClick ? (isSatisfied ? sr : 1 - sr) : 1;
        for (const goesOn of isExamining && !isSatisfied ? [true, false] : [false]) {
          const pc = isExamining && !isSatisfied ? (goesOn ? g : 1 - g) : 1;
          walk(r + 1, goesOn, prob * pa * ps * pc, {
            e: [...path.e, isExamining],
            sat: [...path.sat, isSatisfied],
          });
        }
      }
    }
  };
  walk(0, true, 1, { e: [], sat: [] });
  return { likelihood: total, examined: examined.map((x) => x / total), satisfied: satisfiedAtLast / total };
}

describe('DBN E-step', () => {
  const a = [0.6, 0.3, 0.5];
  const s = [0.4, 0.7, 0.2];
  const params: DbnParameters = {
    a: Float64Array.from(a),
    s: Float64Array.from(s),
    gamma: 0.7,
    fallbackA: 0.5,
    fallbackS: 0.5,
  };
  it.each([
    [[true, false, false]],
    [[false, true, false]],
    [[true, false, true]],
    [[false, false, false]],
    [[true, true, true]],
  ])('matches brute-force enumeration for clicks %j', (clicks: boolean[]) => {
    const sums = new PassSums();
    dbnEStep(params, { items: [0, 1, 2], positions: [1, 2, 3], clicks }, sums);
    const truth = enumerate(a, s, 0.7, clicks);
    expect(sums.logLik).toBeCloseTo(Math.log(truth.likelihood), 12);
    for (let k = 0; k < 3; k++) expect(sums.positions.sum[k]).toBeCloseTo(truth.examined[k] as number, 12);
    const last = clicks.lastIndexOf(true);
    // Items are distinct, so the satisfaction sum of the last clicked item is P(S_l = 1 | clicks).
    if (last >= 0) expect(sums.items.numS[last]).toBeCloseTo(truth.satisfied, 12);
  });
});
