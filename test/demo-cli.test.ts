import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { spawnCli } from './cli.js';
import { tempDir } from './helpers.js';

interface Truth {
  options: { start: string; end: string };
  counts: { persons: number; messages: number; byEvent: Record<string, number> };
}

/** `pathwise demo` as README's first command runs it, on a small population. */
describe('pathwise demo', () => {
  it('imports every simulated message, serves it, and prints a link whose key opens every page', async () => {
    const tmp = tempDir();
    const child = spawnCli(['demo', '--users', '300', '--days', '5', '--dir', tmp.dir, '--port', '0']);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const guard = setTimeout(() => child.kill('SIGKILL'), 150_000);
    try {
      let imported = '';
      let url = '';
      let key = '';
      for await (const line of createInterface({ input: child.stdout })) {
        imported = /^imported .*/.exec(line)?.[0] ?? imported;
        const link = /dashboard: (http:\/\/[^/]+)\/#key=(\S+)/.exec(line);
        if (link) {
          url = link[1] as string;
          key = decodeURIComponent(link[2] as string);
          break;
        }
      }
      const truth = JSON.parse(readFileSync(join(tmp.dir, 'truth.json'), 'utf8')) as Truth;
      expect(truth.counts.persons).toBe(300);
      // Every simulated message went through the import pipeline; none was refused.
      expect(imported).toContain(
        `imported ${truth.counts.messages} events of ${truth.counts.messages} simulated`,
      );
      expect(imported).toContain('(0 duplicates, 0 rejected)');

      const send = (method: string, path: string, body?: unknown) =>
        fetch(`${url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      // What the dashboard's Trends page asks: per-event totals over the simulated days equal
      // the simulator's own counts.
      const events = ['$pageview', 'view_item', 'add_to_cart', 'purchase', '$click'];
      const day = (iso: string) => iso.slice(0, 10);
      const lastDay = new Date(Date.parse(truth.options.end) - 1).toISOString();
      const trends = await send('POST', '/api/query', {
        kind: 'trends',
        interval: 'day',
        dateRange: { from: day(truth.options.start), to: day(lastDay) },
        series: events.map((event) => ({ event })),
      });
      expect(trends.status).toBe(200);
      const result = (await trends.json()) as { series: { event: string; total: number }[] };
      expect(Object.fromEntries(result.series.map((s) => [s.event, s.total]))).toEqual(
        Object.fromEntries(events.map((e) => [e, truth.counts.byEvent[e]])),
      );
      // The link's key reads the pages a read key may not: persons, live events, the audit log.
      for (const path of ['/api/audit?limit=5', '/api/events?limit=5']) {
        const res = await send('GET', path);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      clearTimeout(guard);
      child.kill('SIGKILL');
      tmp.cleanup();
    }
  }, 180_000);
});
