/**
 * The CLI over the same library: `pathwise stats` on numbers (hand-computed and scipy/statsmodels
 * values from test/fixtures/stats/basics.json) and `pathwise experiment create|list|analyze` on
 * the simulator's experiment imported from a JSONL file into a temp DuckDB.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { ExperimentAnalysis } from '../src/experiments/index.js';
import { EXPERIMENT_SIM, simulateExperiment } from '../src/sim/index.js';
import { tempDir } from './helpers.js';

/**
 * Runs the CLI in this process (a child process per command costs seconds of tsx start-up on a
 * busy machine; test/cli.test.ts covers the spawned binary) and collects what it writes.
 */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const write = (key: 'stdout' | 'stderr') => (chunk: string | Uint8Array) => {
    out[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  };
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, exitCode: process.exitCode };
  process.stdout.write = write('stdout') as typeof process.stdout.write;
  process.stderr.write = write('stderr') as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await main(['node', 'pathwise', ...args]);
    return { code: Number(process.exitCode ?? 0), ...out };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.exitCode = saved.exitCode;
  }
}

describe('pathwise stats', () => {
  it('prints the per-arm sample size for 10% → 11% (14,751 per arm) and the z-test of 200/2000 vs 260/2000', async () => {
    const size = await runCli([
      'stats',
      'samplesize',
      '--baseline',
      '0.1',
      '--mde',
      '0.1',
      '--relative',
      '--json',
    ]);
    expect(size.stderr).toBe('');
    expect(JSON.parse(size.stdout)).toMatchObject({ nControl: 14751, nVariant: 14751, total: 29502 });
    const z = await runCli(['stats', 'ztest', '--control', '200/2000', '--variant', '260/2000', '--json']);
    const result = JSON.parse(z.stdout) as { statistic: number; pValue: number };
    // statsmodels proportions_ztest([260, 200], [2000, 2000]) (basics.json)
    expect(result.statistic).toBeCloseTo(2.973724282623409, 12);
    expect(result.pValue).toBeCloseTo(0.002942093070459276, 14);
    const bad = await runCli(['stats', 'ztest', '--control', '5/4', '--variant', '1/4']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('PW_STATS_INVALID_INPUT');
  });
});

describe('pathwise experiment', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'cli.duckdb');
  afterAll(() => tmp.cleanup());

  it('imports events, stores a definition, lists it and prints the verdict and the JSON analysis', async () => {
    const sim = simulateExperiment({ seed: 11, persons: 300, lift: 0.2, multiVariantPersons: 2 });
    const file = join(tmp.dir, 'events.jsonl');
    writeFileSync(file, `${sim.messages.map((m) => JSON.stringify(m)).join('\n')}\n`);
    const imported = await runCli(['import', file, '--db', db]);
    expect(imported.code).toBe(0);
    const definition = {
      key: 'cli-exp',
      exposure: { event: EXPERIMENT_SIM.exposureEvent },
      variants: ['control', 'treatment'],
      control: 'control',
      start: '2026-03-01',
      end: '2026-03-15',
      metrics: [{ key: 'revenue', kind: 'mean', event: 'purchase', property: 'revenue' }],
    };
    const created = await runCli(['experiment', 'create', JSON.stringify(definition), '--db', db]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('experiment cli-exp stored');
    const listed = await runCli(['experiment', 'list', '--db', db]);
    expect(listed.stdout).toContain('"key":"cli-exp"');
    const analyzed = await runCli(['experiment', 'analyze', 'cli-exp', '--json', '--db', db]);
    const analysis = JSON.parse(analyzed.stdout) as ExperimentAnalysis;
    const count = (v: string) => sim.persons.filter((p) => p.variant === v).length;
    expect(analysis.exposure.arms.map((a) => a.units)).toEqual([count('control'), count('treatment')]);
    expect(analysis.exposure.multipleVariantUnits).toBe(2);
    expect(analysis.verdicts[0]).toMatch(/^variant treatment: [+−]\d+\.\d% revenue, 95% CI .*; SRM ok$/);
  });
});
