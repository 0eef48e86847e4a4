/**
 * Seeded A/A simulations (both arms convert at 10%): the fixed-horizon z-test rejects about alpha
 * of the time; peeking at it after every 100 users and stopping at the first p < 0.05 rejects far
 * more often; the mSPRT's always-valid p-value, peeked at just as often, stays at or below alpha.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/index.js';
import { msprt, twoProportionZTest } from './index.js';

const ALPHA = 0.05;
const SIMULATIONS = 2000;
const USERS = 2000;
const PEEK_EVERY = 100;
const RATE = 0.1;

interface Outcome {
  fixed: boolean;
  naivePeeking: boolean;
  sequential: boolean;
}

function simulateOne(rng: Rng): Outcome {
  const arms = [
    { conversions: 0, n: 0 },
    { conversions: 0, n: 0 },
  ];
  let naivePeeking = false;
  let sequential = false;
  let fixed = false;
  for (let user = 1; user <= USERS; user++) {
    const arm = arms[rng.int(2)] as { conversions: number; n: number };
    arm.n++;
    if (rng.chance(RATE)) arm.conversions++;
    if (user % PEEK_EVERY !== 0) continue;
    const [control, variant] = arms as [typeof arm, typeof arm];
    const z = twoProportionZTest(control, variant, { alpha: ALPHA });
    if (z.pValue < ALPHA) naivePeeking = true;
    if (msprt(z.difference, z.standardError, user, { alpha: ALPHA }).pValue <= ALPHA) sequential = true;
    if (user === USERS) fixed = z.pValue < ALPHA;
  }
  return { fixed, naivePeeking, sequential };
}

describe('A/A false-positive rates under peeking (seeded Monte Carlo)', () => {
  const rng = new Rng(42);
  const rates = { fixed: 0, naivePeeking: 0, sequential: 0 };
  for (let s = 0; s < SIMULATIONS; s++) {
    const o = simulateOne(rng);
    rates.fixed += Number(o.fixed) / SIMULATIONS;
    rates.naivePeeking += Number(o.naivePeeking) / SIMULATIONS;
    rates.sequential += Number(o.sequential) / SIMULATIONS;
  }

  it('the fixed-horizon test rejects about alpha of A/A experiments', () => {
    // binomial standard error of the rate: √(0.05·0.95/2000) ≈ 0.0049; allow three of them
    expect(Math.abs(rates.fixed - ALPHA)).toBeLessThan(3 * Math.sqrt((ALPHA * (1 - ALPHA)) / SIMULATIONS));
  });

  it('naive peeking after every 100 users inflates the false-positive rate well above alpha', () => {
    expect(rates.naivePeeking).toBeGreaterThan(2 * ALPHA);
  });

  it('the mSPRT peeked after every 100 users stays at or below alpha', () => {
    expect(rates.sequential).toBeLessThanOrEqual(ALPHA);
    console.info(JSON.stringify({ simulations: SIMULATIONS, ...rates }));
  });
});
