/**
 * Metrics and hashing against scikit-learn 1.2.1 (numpy 1.24.2): the reference values in
 * test/fixtures/models/metrics.json were computed by test/fixtures/models/make-metrics.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { murmur3 } from './hashing.js';
import { averagePrecision, logLoss, normalizedEntropy, rocAuc } from './metrics.js';
import { calibrationTable, expectedCalibrationError } from './metrics-calibration.js';

interface Bins {
  observedRate: number[];
  meanPredicted: number[];
  count: number[];
  ece: number;
}
interface Case {
  name: string;
  labels: number[];
  probs: number[];
  logLoss: number;
  normalizedEntropy: number;
  rocAuc: number;
  averagePrecision: number;
  calibration: { quantile: Bins; uniform: Bins };
}
const FIXTURE = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../test/fixtures/models/metrics.json'), 'utf8'),
) as { cases: Case[]; murmurhash3_32: { key: string; seed: number; hash: number }[] };

const TOL = 1e-9;

describe.each(FIXTURE.cases)('metrics agree with scikit-learn: $name', (c) => {
  it('log loss and normalized entropy', () => {
    expect(Math.abs(logLoss(c.labels, c.probs) - c.logLoss)).toBeLessThan(TOL);
    expect(Math.abs((normalizedEntropy(c.labels, c.probs) ?? Number.NaN) - c.normalizedEntropy)).toBeLessThan(
      TOL,
    );
  });

  it('ROC AUC with ties counted one half', () => {
    expect(Math.abs((rocAuc(c.labels, c.probs) ?? Number.NaN) - c.rocAuc)).toBeLessThan(TOL);
  });

  it('PR AUC as average precision', () => {
    expect(Math.abs((averagePrecision(c.labels, c.probs) ?? Number.NaN) - c.averagePrecision)).toBeLessThan(
      TOL,
    );
  });

  it.each(['quantile', 'uniform'] as const)('calibration table (%s bins) and ECE', (strategy) => {
    const ref = c.calibration[strategy];
    const table = calibrationTable(c.labels, c.probs, 10, strategy);
    expect(table.map((b) => b.count)).toEqual(ref.count);
    table.forEach((b, i) => {
      expect(Math.abs(b.observedRate - (ref.observedRate[i] as number))).toBeLessThan(TOL);
      expect(Math.abs(b.meanPredicted - (ref.meanPredicted[i] as number))).toBeLessThan(TOL);
    });
    expect(Math.abs(expectedCalibrationError(table) - ref.ece)).toBeLessThan(TOL);
  });
});

describe('metric edge cases', () => {
  it('AUC and average precision are null without both classes', () => {
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNull();
    expect(rocAuc([0, 0], [0.2, 0.3])).toBeNull();
    expect(averagePrecision([0, 0], [0.2, 0.3])).toBeNull();
  });

  it('a hand-computed AUC: one tie between a positive and a negative counts one half', () => {
    // Pairs (pos, neg): (0.8 > 0.3) 1, (0.8 > 0.5) 1, (0.5 = 0.5) 1/2, (0.5 > 0.3) 1 → 3.5 / 4.
    expect(rocAuc([1, 1, 0, 0], [0.8, 0.5, 0.5, 0.3])).toBe(0.875);
  });
});

describe('murmurhash3_32 agrees with scikit-learn', () => {
  it.each(FIXTURE.murmurhash3_32)('"$key" with seed $seed', ({ key, seed, hash }) => {
    expect(murmur3(key, seed)).toBe(hash);
  });
});
