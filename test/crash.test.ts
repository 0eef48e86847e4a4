import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../src/store/index.js';
import { tempDir } from './helpers.js';

function runTs(script: string, args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures', script), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) return line;
  throw new Error('the child exited without output');
}

/** Waits until the ack file holds `count` ids of this round, or `maxMs` passed. */
async function untilAcked(file: string, prefix: string, count: number, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  while (Date.now() < until) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text.split('\n').filter((l) => l.startsWith(prefix)).length >= count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('durability', () => {
  it('loses no acknowledged event when the server is killed with SIGKILL mid-stream', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'crash.duckdb');
    const acks = join(tmp.dir, 'acks.txt');
    try {
      for (let round = 0; round < 2; round++) {
        const server = runTs('serve-child.ts', [db]);
        const { url, writeKey } = JSON.parse(await firstLine(server)) as {
          url: string;
          writeKey: string | null;
        };
        const key = writeKey ?? readFileSync(join(tmp.dir, 'key.txt'), 'utf8');
        if (writeKey) (await import('node:fs')).writeFileSync(join(tmp.dir, 'key.txt'), writeKey);
        const sender = runTs('send-child.ts', [url, key, acks, `r${round}`]);
        // Kill mid-stream once this round has had acknowledgements (on a loaded machine the
        // children start slowly, so a fixed sleep could kill before anything was sent).
        await untilAcked(acks, `r${round}-`, 600, 60_000);
        await new Promise((r) => setTimeout(r, 200));
        server.kill('SIGKILL');
        await Promise.all([exited(server), exited(sender)]);
      }
      expect(existsSync(acks)).toBe(true);
      const acked = readFileSync(acks, 'utf8').split('\n').filter(Boolean);
      expect(acked.length).toBeGreaterThan(1000);
      const wh = await openWarehouse({ path: db });
      try {
        const rows = await wh.all({
          sql: 'SELECT message_id, count(*) AS n FROM events GROUP BY message_id',
        });
        const stored = new Map(rows.map((r) => [String(r.message_id), Number(r.n)]));
        const missing = acked.filter((id) => !stored.has(id));
        const repeated = [...stored.values()].filter((n) => n !== 1);
        expect(missing).toEqual([]);
        expect(repeated).toEqual([]);
      } finally {
        await wh.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
