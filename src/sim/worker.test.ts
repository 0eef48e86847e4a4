import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Simulation, simulateInWorker } from './index.js';

describe('a simulation on a worker thread', () => {
  it('yields the same lines and truth as the simulation on the main thread', async () => {
    const options = { scenario: 'mix' as const, users: 600, days: 10, seed: 5, end: '2026-03-01' };
    const local = new Simulation(options);
    const expected = createHash('sha256');
    let expectedCount = 0;
    for (const line of local.lines()) {
      expected.update(line);
      expectedCount++;
    }
    const threaded = simulateInWorker(options);
    const actual = createHash('sha256');
    let count = 0;
    for await (const line of threaded.lines()) {
      actual.update(line);
      count++;
    }
    expect(count).toBe(expectedCount);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
    expect(await threaded.truth()).toEqual(local.truth());
    expect(threaded.personsDone).toBe(600);
  });
});
