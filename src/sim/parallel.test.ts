import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimulation } from './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a simulation generated on several threads', () => {
  it('writes the same bytes and the same truth manifest as on one thread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pathwise-sim-threads-'));
    dirs.push(dir);
    // 900 persons: about 14 blocks of households, so three threads each get several.
    const options = { scenario: 'mix' as const, users: 900, days: 15, seed: 11, end: '2026-03-01' };
    const one = await runSimulation(options, { out: join(dir, 'one.jsonl') });
    const three = await runSimulation(options, { out: join(dir, 'three.jsonl'), threads: 3 });
    expect(three.messages).toBe(one.messages);
    expect(three.bytes).toBe(one.bytes);
    expect(readFileSync(join(dir, 'three.jsonl')).equals(readFileSync(join(dir, 'one.jsonl')))).toBe(true);
    expect(JSON.stringify(three.truth)).toBe(JSON.stringify(one.truth));
    expect(three.truth.counts.persons).toBe(900);
  });
});
