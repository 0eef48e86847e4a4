import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../src/store/index.js';
import { spawnCli } from './cli.js';
import { post, startTestServer, tempDir } from './helpers.js';

describe('pathwise serve', () => {
  it('prints the write key on first start, and on SIGTERM commits, checkpoints and exits 0', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'serve.duckdb');
    try {
      const child = spawnCli(['serve', '--db', db, '--port', '0']);
      const lines = createInterface({ input: child.stdout });
      let url = '';
      let writeKey = '';
      for await (const line of lines) {
        url = /listening on (\S+)/.exec(line)?.[1] ?? url;
        writeKey = /write key: (\S+)/.exec(line)?.[1] ?? writeKey;
        if (url && writeKey) break;
      }
      const batch = Array.from({ length: 300 }, (_, i) => ({
        type: 'track',
        event: 'e',
        userId: 'u',
        messageId: `t-${i}`,
      }));
      const sends = [0, 1, 2].map((k) =>
        post(`${url}/v1/batch`, { batch: batch.slice(k * 100, k * 100 + 100) }, { writeKey }),
      );
      const answers = await Promise.all(sends);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      const wh = await openWarehouse({ path: db, isReadOnly: true });
      try {
        expect(await wh.all({ sql: 'SELECT count(*) AS n FROM events' })).toEqual([{ n: 300 }]);
      } finally {
        await wh.close();
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('describes every route in /openapi.json and exposes Prometheus metrics', async () => {
    const tmp = tempDir();
    const server = await startTestServer(join(tmp.dir, 'o.duckdb'));
    try {
      const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(spec.openapi).toMatch(/^3\./);
      for (const path of [
        '/v1/track',
        '/v1/page',
        '/v1/screen',
        '/v1/identify',
        '/v1/group',
        '/v1/alias',
        '/v1/batch',
        '/healthz',
        '/metrics',
      ]) {
        expect(Object.keys(spec.paths)).toContain(path);
      }
      await post(
        `${server.url}/v1/batch`,
        {
          batch: [
            { type: 'track', event: 'm', userId: 'u' },
            { type: 'track', userId: 'u' },
          ],
        },
        { writeKey: server.writeKey },
      );
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/pathwise_events_accepted_total 1/);
      expect(metrics).toMatch(/pathwise_events_rejected_total\{reason="missing_event"\} 1/);
      expect(metrics).toMatch(/pathwise_commit_latency_seconds_count 1/);
      const landing = await fetch(`${server.url}/`);
      expect(landing.headers.get('content-type')).toMatch(/text\/html/);
      expect(await landing.text()).toMatch(/href="\/openapi.json"/);
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string };
      expect(health.status).toBe('ok');
    } finally {
      await server.close();
      tmp.cleanup();
    }
  });
});
