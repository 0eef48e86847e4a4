/**
 * Wilson intervals against statsmodels' proportion_confint(method='wilson'), values produced by
 * test/fixtures/wilson/make-wilson.py (the tool and version are in the fixture).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

interface Case {
  count: number;
  nobs: number;
  low: number;
  high: number;
}

const fixture = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'wilson', 'wilson.json'),
    'utf8',
  ),
) as { tool: string; cases: Case[] };

describe('Wilson score interval', () => {
  it.each(fixture.cases)('matches statsmodels for $count of $nobs', (c) => {
    const got = wilsonInterval(c.count, c.nobs);
    expect(got.low).toBeCloseTo(c.low, 12);
    expect(got.high).toBeCloseTo(c.high, 12);
  });

  it('is [0, 1] without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});
