import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../src/server/index.js';
import { basicAuth, startTestServer, tempDir } from './helpers.js';

/** Walks the live route table: a route without declared scopes cannot even be registered. */
describe('every route declares and enforces its scopes', () => {
  const tmp = tempDir();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer(`${tmp.dir}/auth.duckdb`);
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('answers 401 without a key and 403 with a key lacking the scope, on every non-public route', async () => {
    const all = routeTable(server.app);
    expect(all.every((r) => Array.isArray(r.scopes))).toBe(true);
    const guarded = all.filter((r) => r.scopes.length > 0 && r.method !== 'HEAD');
    expect(guarded.length).toBeGreaterThan(5);
    for (const route of guarded) {
      const url = `${server.url}${route.url.replace(/:(\w+)/g, 'x')}`;
      const init = { method: route.method, headers: { 'content-type': 'application/json' }, body: '{}' };
      const anonymous = await fetch(url, route.method === 'GET' ? { method: 'GET' } : init);
      expect(anonymous.status, `${route.method} ${route.url}`).toBe(401);
      // A read key lacks "ingest"; a write key lacks every other scope.
      const wrongKey = route.scopes.includes('ingest') ? server.readKey : server.writeKey;
      const headers = { ...init.headers, authorization: basicAuth(wrongKey) };
      const wrong = await fetch(
        url,
        route.method === 'GET' ? { method: 'GET', headers } : { ...init, headers },
      );
      expect(wrong.status, `${route.method} ${route.url}`).toBe(403);
    }
  });
});
