/**
 * Determinism and statistical stability of the simulator. Tolerances: two independent
 * binomial proportions differ by more than 4.5 standard errors of their difference with
 * probability below 1e-5, so a failure means a real difference, not bad luck.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PathwiseError } from '../core/index.js';
import { Simulation } from './simulate.js';

const END = '2026-11-01';

function digest(sim: Simulation): { hash: string; lines: number } {
  const hash = createHash('sha256');
  let lines = 0;
  for (const line of sim.lines()) {
    hash.update(line);
    hash.update('\n');
    lines++;
  }
  hash.update(JSON.stringify(sim.truth()));
  return { hash: hash.digest('hex'), lines };
}

interface Stats {
  persons: number;
  android: number;
  viewers: number;
  carts: number;
  messages: number;
}

function stats(seed: number): Stats {
  const sim = new Simulation({ scenario: 'ecommerce', users: 6000, days: 30, seed, end: END });
  const platformOf = new Map<string, string>();
  const viewers = new Set<string>();
  const carts = new Set<string>();
  let messages = 0;
  for (const m of sim.messages()) {
    messages++;
    const anon = String(m.anonymousId);
    const context = m.context as { device?: { type?: string } };
    platformOf.set(anon, context.device?.type ?? 'web');
    if (m.event === 'view_item') viewers.add(anon);
    if (m.event === 'add_to_cart') carts.add(anon);
  }
  const android = [...platformOf.values()].filter((p) => p === 'android').length;
  return { persons: platformOf.size, android, viewers: viewers.size, carts: carts.size, messages };
}

function within(k1: number, n1: number, k2: number, n2: number): boolean {
  const p = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  return Math.abs(k1 / n1 - k2 / n2) <= 4.5 * se;
}

describe('Simulation', () => {
  it('gives byte-identical output and truth for the same options and seed', () => {
    const a = digest(new Simulation({ scenario: 'mix', users: 400, days: 20, seed: 7, end: END }));
    const b = digest(new Simulation({ scenario: 'mix', users: 400, days: 20, seed: 7, end: END }));
    expect(a.lines).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });

  it('gives different data for a different seed', () => {
    const a = digest(new Simulation({ scenario: 'mix', users: 400, days: 20, seed: 7, end: END }));
    const b = digest(new Simulation({ scenario: 'mix', users: 400, days: 20, seed: 8, end: END }));
    expect(b.hash).not.toBe(a.hash);
  });

  it('keeps the statistics across seeds within sampling error', () => {
    const a = stats(1);
    const b = stats(2);
    expect(within(a.android, a.persons, b.android, b.persons)).toBe(true);
    expect(within(a.viewers, a.persons, b.viewers, b.persons)).toBe(true);
    expect(within(a.carts, a.viewers, b.carts, b.viewers)).toBe(true);
    // Events per device: a mean of counts; 20% is far beyond its sampling error at this size.
    expect(Math.abs(a.messages / a.persons / (b.messages / b.persons) - 1)).toBeLessThan(0.2);
  });

  it('writes times from which receivedAt − (sentAt − timestamp) recovers the true time in the range', () => {
    const sim = new Simulation({ scenario: 'mix', users: 1500, days: 10, seed: 3, end: END });
    const start = Date.parse('2026-10-22T00:00:00Z');
    const end = Date.parse(`${END}T00:00:00Z`);
    let skewed = 0;
    let bad = 0;
    for (const m of sim.messages()) {
      const ts = Date.parse(String(m.timestamp));
      const sentAt = Date.parse(String(m.sentAt));
      const receivedAt = Date.parse(String(m.receivedAt));
      const corrected = receivedAt - (sentAt - ts);
      if (Math.abs(receivedAt - sentAt) > 60_000 && sentAt - ts < 40_000) skewed++;
      if (corrected < start || corrected >= end || corrected > receivedAt) bad++;
    }
    expect(bad).toBe(0);
    expect(skewed).toBeGreaterThan(0);
  });

  it('sends the true time and no sentAt or receivedAt in live mode', () => {
    const sim = new Simulation({
      scenario: 'ecommerce',
      users: 50,
      days: 10,
      seed: 3,
      end: END,
      timeFields: 'live',
    });
    for (const m of sim.messages()) {
      expect(m.sentAt).toBeUndefined();
      expect(m.receivedAt).toBeUndefined();
      expect(typeof m.timestamp).toBe('string');
    }
  });

  it('rejects invalid options with a typed error', () => {
    expect(() => new Simulation({ scenario: 'ecommerce', users: 0, days: 10, seed: 1 })).toThrow(
      PathwiseError,
    );
    expect(() => new Simulation({ scenario: 'ecommerce', users: 5, days: 10, seed: 1, end: 'soon' })).toThrow(
      PathwiseError,
    );
  });
});
