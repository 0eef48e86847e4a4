import { join } from 'node:path';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestServer, tempDir } from './helpers.js';

/*
 * The unmodified @segment/analytics-node client (a dev dependency) sends to the server;
 * the rows are read back from the store.
 *
 * | call     | who          | context                                                        |
 * |----------|--------------|----------------------------------------------------------------|
 * | identify | userId u-1   | traits {plan: 'pro'}                                           |
 * | track    | userId u-1   | Chrome 120 on Windows 10, ip 81.2.69.142, page with utm cpc    |
 * | page     | anon a-1     | Safari on iPhone, referrer www.google.com, no UTM              |
 *
 * Expected values: the UA strings are Chrome's and Safari's published UA formats; 81.2.69.142
 * is MaxMind's documented GB test address; the channel rules are README's.
 */
const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

describe('events from the unmodified Segment Node client', () => {
  const tmp = tempDir();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let rows: Record<string, unknown>[];

  beforeAll(async () => {
    server = await startTestServer(join(tmp.dir, 'p.duckdb'));
    const analytics = new Analytics({
      writeKey: server.writeKey,
      host: server.url,
      flushInterval: 20,
      maxEventsInBatch: 2,
    });
    analytics.identify({ userId: 'u-1', traits: { plan: 'pro' }, messageId: 'm-identify' });
    analytics.track({
      userId: 'u-1',
      event: 'Order Completed',
      messageId: 'm-track',
      properties: { revenue: 42.5, currency: 'EUR' },
      context: {
        userAgent: CHROME_WIN,
        ip: '81.2.69.142',
        locale: 'en-GB',
        page: {
          url: 'https://shop.example.com/checkout?utm_source=google&utm_medium=cpc&utm_campaign=winter',
          referrer: 'https://www.google.com/',
          title: 'Checkout',
        },
      },
    });
    analytics.page({
      anonymousId: 'a-1',
      name: 'Home',
      messageId: 'm-page',
      properties: { url: 'https://shop.example.com/?x=1', referrer: 'https://www.google.com/search?q=shoes' },
      context: { userAgent: SAFARI_IPHONE },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    rows = await server.wh.all({ sql: 'SELECT * FROM events ORDER BY message_id' });
  });

  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('stores every call once, with normalized event names', () => {
    expect(rows.map((r) => [r.message_id, r.type, r.event])).toEqual([
      ['m-identify', 'identify', '$identify'],
      ['m-page', 'page', '$pageview'],
      ['m-track', 'track', 'Order Completed'],
    ]);
  });

  it('keeps identities, properties and traits', () => {
    const [identify, page, track] = rows;
    expect(identify).toMatchObject({ distinct_id: 'u-1', user_id: 'u-1', anonymous_id: null });
    expect(JSON.parse(String(identify?.traits))).toEqual({ plan: 'pro' });
    expect(page).toMatchObject({ distinct_id: 'a-1', anonymous_id: 'a-1', user_id: null });
    expect(JSON.parse(String(page?.properties))).toMatchObject({ name: 'Home' });
    expect(JSON.parse(String(track?.properties))).toEqual({ revenue: 42.5, currency: 'EUR' });
    expect(track?.library_name).toBe('@segment/analytics-node');
  });

  it('splits the page URL, parses UTMs, the user agent and the country, and classifies the channel', () => {
    const track = rows[2];
    expect(track).toMatchObject({
      host: 'shop.example.com',
      path: '/checkout',
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'winter',
      channel: 'paid search',
      browser: 'Chrome',
      os: 'Windows',
      device_type: 'desktop',
      country: 'GB',
      locale: 'en-GB',
      title: 'Checkout',
    });
    const page = rows[1];
    expect(page).toMatchObject({
      url: 'https://shop.example.com/?x=1',
      search: 'x=1',
      referrer_domain: 'google.com',
      channel: 'organic search',
      device_type: 'mobile',
      os: 'iOS',
      browser: 'Mobile Safari',
    });
  });

  it('puts the event time within the send window (the client and server share a clock here)', () => {
    for (const r of rows) {
      const ts = Date.parse(String(r.timestamp));
      const received = Date.parse(String(r.received_at));
      expect(Math.abs(received - ts)).toBeLessThan(10_000);
      expect(r.sent_at).not.toBeNull();
    }
  });

  it('answers 401 to a wrong write key and stores nothing', async () => {
    const res = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: basicAuth('pw_w_wrong'), 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'x', event: 'e' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('PW_AUTH_INVALID_KEY');
    const n = await server.wh.all({ sql: "SELECT count(*) AS n FROM events WHERE distinct_id = 'x'" });
    expect(n[0]?.n).toBe(0);
  });
});
