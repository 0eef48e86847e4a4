/**
 * The parts of CTR prediction checked against hand computations and scikit-learn 1.2.1:
 * test/fixtures/models/logistic.json comes from test/fixtures/models/make-logistic.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsrBuilder, logisticObjective } from './ctr-batch.js';
import { FeatureEncoder } from './ctr-features.js';
import { FtrlProximal } from './ctr-ftrl.js';
import { CtrModel, type CtrModelParams, decodeWeights, encodeWeights } from './ctr-model.js';
import { classWeightsOf } from './ctr-train.js';
import { hashPair, murmur3 } from './hashing.js';
import { minimizeLbfgs } from './lbfgs.js';

interface Fit {
  l2: number;
  classWeight: 'none' | 'balanced';
  coef: number[];
  intercept: number;
}
const LOGISTIC = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../test/fixtures/models/logistic.json'), 'utf8'),
) as { columns: number; rows: { cols: number[]; vals: number[]; y: number }[]; fits: Fit[] };

describe('L-BFGS logistic regression agrees with scikit-learn LogisticRegression(lbfgs)', () => {
  // Columns are bucket numbers here (hash bits 18 hold 0..12), so column c is bucket c.
  const builder = new CsrBuilder(18, LOGISTIC.rows.length, 4);
  for (const r of LOGISTIC.rows)
    builder.add(Int32Array.from(r.cols), Float32Array.from(r.vals), r.cols.length, r.y);
  const data = builder.build();

  it.each(LOGISTIC.fits)('l2 $l2 (C = 1 / (l2·n)), class weights $classWeight', async (fit) => {
    const weights = classWeightsOf(fit.classWeight, data.rows, data.positives);
    const objective = logisticObjective(data, fit.l2, weights);
    const k = data.buckets.length;
    const result = await minimizeLbfgs(objective, new Float64Array(k + 1), {
      memory: 10,
      maxIterations: 5000,
      gradientTolerance: 1e-11,
      functionTolerance: 0,
    });
    expect(['gradient', 'function']).toContain(result.stop);
    const coef = new Array<number>(LOGISTIC.columns).fill(0);
    data.buckets.forEach((bucket, c) => {
      coef[bucket] = result.x[c] as number;
    });
    coef.forEach((w, j) => {
      expect(Math.abs(w - (fit.coef[j] as number))).toBeLessThan(1e-6);
    });
    expect(Math.abs((result.x[k] as number) - fit.intercept)).toBeLessThan(1e-6);
  });
});

describe('FTRL-Proximal', () => {
  const opts = {
    algorithm: 'ftrl',
    alpha: 0.1,
    beta: 1,
    l1: 0,
    l2: 0,
    epochs: 1,
    refitIntercept: false,
  } as const;

  it('takes the hand-computed first step of McMahan et al. (2013), Algorithm 1', () => {
    const ftrl = new FtrlProximal(18, opts, 1);
    // w = 0, p = 0.5, g = p − y = −0.5; σ = (√0.25 − 0) / α = 5; z = g − σ·w = −0.5; n = 0.25.
    expect(ftrl.update(Int32Array.of(7), Float32Array.of(1), 1, 1, 1)).toBe(0.5);
    // w = −z / ((β + √n) / α) = 0.5 / 15; the intercept took the same step.
    const w = ftrl.weights();
    expect([...w.indices]).toEqual([7]);
    expect(w.values[0]).toBeCloseTo(1 / 30, 15);
    expect(ftrl.intercept()).toBeCloseTo(1 / 30, 15);
  });

  it('keeps a weight at zero while |z| ≤ λ1 (L1 sparsity)', () => {
    const ftrl = new FtrlProximal(18, { ...opts, l1: 1 }, 1);
    ftrl.update(Int32Array.of(7), Float32Array.of(1), 1, 1, 1);
    expect(ftrl.weights().indices.length).toBe(0);
  });
});

describe('feature hashing', () => {
  const features = {
    categorical: ['item_id', 'position'],
    crosses: [['item_id', 'position']],
    numeric: ['age'],
  };
  const enc = new FeatureEncoder(features, 18, 0, { age: { mean: 10, std: 4 } });
  const idx = new Int32Array(enc.maxNonZeros);
  const val = new Float32Array(enc.maxNonZeros);
  const mask = 2 ** 18 - 1;

  it('one-hot buckets are the murmur3 hash of "field␟value", crosses hash the pair, numbers are standardized', () => {
    const nnz = enc.encode({ item_id: 'post_1', position: 3, age: 16 }, idx, val);
    const hItem = murmur3('item_id\u001fpost_1');
    const hPos = murmur3('position\u001f3');
    expect(nnz).toBe(4);
    expect([...idx.subarray(0, nnz)]).toEqual([
      hItem & mask,
      hPos & mask,
      hashPair(hItem, hPos, 0) & mask,
      murmur3('age') & mask,
    ]);
    expect([...val.subarray(0, nnz)]).toEqual([1, 1, 1, 1.5]);
  });

  it('a missing value drops its feature and every cross that needs it; a missing number adds nothing', () => {
    expect(enc.encode({ item_id: 'post_1', position: null }, idx, val)).toBe(1);
    expect(enc.encode({ position: '3' }, idx, val)).toBe(1);
    expect(idx[0]).toBe(murmur3('position\u001f3') & mask);
  });
});

describe('a stored model', () => {
  it('predicts the same after its weights go through bytes and back', () => {
    const params: CtrModelParams = {
      features: { categorical: ['item_id'] },
      hashBits: 18,
      hashSeed: 0,
      numericStats: {},
      trainer: { algorithm: 'ftrl', alpha: 0.2, beta: 1, l1: 1, l2: 1, epochs: 1, refitIntercept: true },
      classWeights: { positive: 4, negative: 1 },
      intercept: -1,
      interceptOffset: -Math.log(4),
    };
    const bucket = murmur3('item_id\u001fa') & (2 ** 18 - 1);
    const weights = { indices: Int32Array.of(bucket), values: Float64Array.of(0.5) };
    const model = new CtrModel(params, decodeWeights(encodeWeights(weights)));
    // σ(−1 − log 4 + 0.5): the class-weight correction lowers the logit by log(w₊ / w₋).
    expect(model.predict({ item_id: 'a' })).toBeCloseTo(1 / (1 + Math.exp(1 + Math.log(4) - 0.5)), 15);
    expect(model.predict({ item_id: 'unseen' })).toBeCloseTo(1 / (1 + Math.exp(1 + Math.log(4))), 15);
  });
});
