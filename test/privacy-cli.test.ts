import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { tempDir } from './helpers.js';

/**
 * Runs a command in this process (the commands are the real ones; a child process per command
 * costs ~10 s of module loading on a busy machine) and collects what it printed.
 */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await buildProgram().parseAsync(['node', 'pathwise', ...args]);
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    return {
      code: 1,
      stdout,
      stderr: err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}` : String(err),
    };
  } finally {
    process.stdout.write = write;
  }
}

/*
 * Fixture: u1 (2 events, an email and an address), u2 (1 event), all in DE, then the privacy
 * commands a DPO would run.
 */
const LINES = [
  '{"type":"track","event":"A","userId":"u1","messageId":"x1","timestamp":"2026-05-01T10:00:00Z","properties":{"contact":"u1@example.com"},"context":{"ip":"8.8.8.8","location":{"country":"DE"}}}',
  '{"type":"track","event":"B","userId":"u1","messageId":"x2","timestamp":"2026-05-01T11:00:00Z","context":{"location":{"country":"DE"}}}',
  '{"type":"track","event":"A","userId":"u2","messageId":"x3","timestamp":"2026-05-02T09:00:00Z","context":{"location":{"country":"DE"}}}',
];

describe('the privacy CLI', () => {
  it('sets minimization, imports under it, exports and erases a person, and shares k-anonymous counts', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'privacy.duckdb');
    try {
      expect((await runCli(['project', 'create', 'shop', '--db', db])).code).toBe(0);
      const set = await runCli([
        'project',
        'set',
        '--project',
        'shop',
        '--ip',
        'drop',
        '--mask-builtins',
        'email',
        '--db',
        db,
      ]);
      expect(set.code).toBe(0);
      expect(JSON.parse(set.stdout)).toMatchObject({ ipMode: 'drop', maskBuiltins: ['email'] });

      const file = join(tmp.dir, 'events.jsonl');
      writeFileSync(file, LINES.join('\n'));
      const imported = await runCli(['import', file, '--db', db, '--project', 'shop']);
      expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 3, optedOut: 0 });

      const out = join(tmp.dir, 'u1.json');
      const exported = await runCli([
        'person',
        'export',
        'u1',
        '--project',
        'shop',
        '--db',
        db,
        '--out',
        out,
      ]);
      expect(exported.code).toBe(0);
      const dsar = JSON.parse(readFileSync(out, 'utf8'));
      expect(dsar.counts.events).toBe(2);
      expect(dsar.tables.events.map((e: { ip: unknown }) => e.ip)).toEqual([null, null]);
      expect(dsar.tables.events[0].properties).toEqual({ contact: '[email]' });

      const shared = await runCli([
        'export',
        '--shareable',
        '--by',
        'country',
        '--k',
        '2',
        '--format',
        'csv',
        '--out',
        join(tmp.dir, 'share.csv'),
        '--project',
        'shop',
        '--db',
        db,
      ]);
      expect(JSON.parse(shared.stdout)).toMatchObject({ groups: 1, k: 2, suppressedRows: 0 });
      expect(readFileSync(join(tmp.dir, 'share.csv'), 'utf8')).toBe('country,persons\nDE,2\n');

      const erased = await runCli(['person', 'delete', 'u1', '--project', 'shop', '--db', db]);
      expect(erased.code).toBe(0);
      expect(JSON.parse(erased.stdout).deletions[0].rowCounts).toMatchObject({ events: 2, persons: 1 });
      const again = await runCli(['person', 'export', 'u1', '--project', 'shop', '--db', db]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('PW_PERSON_NOT_FOUND');
    } finally {
      tmp.cleanup();
    }
  }, 30_000);
});
