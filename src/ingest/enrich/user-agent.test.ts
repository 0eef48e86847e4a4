import { describe, expect, it } from 'vitest';
import { isBotUserAgent, parseUserAgent, type UserAgentInfo } from './index.js';

/*
 * Where each UA string comes from:
 * - MDN "User-Agent" header page: the Firefox desktop example and the reduced Chrome-on-Android
 *   example (Android 10; K; Chrome/143.0.0.0).
 * - MDN "Firefox user agent string reference": the Firefox for Android phone and tablet forms.
 * - Chrome for Developers "User-Agent strings" (Chrome for Android/iOS): the CriOS and the
 *   Mobile Safari comparison strings for iOS 10.3; the Android tablet form (no "Mobile").
 * - chromium.org "User-Agent Reduction": the reduced desktop form Chrome/<major>.0.0.0.
 * - Microsoft Learn "Detect Microsoft Edge from your website": the Edg/<version> token; the
 *   string is Edge 93 with its Sec-CH-UA-Full-Version 93.0.961.38.
 * - Samsung Developers "Samsung Internet User-Agent String Format": SamsungBrowser/<ver>,
 *   the "K" model of UA reduction (v24+), and SMART-TV + Tizen + "TV" for televisions.
 * - Google Search Central "Google crawlers" (Googlebot desktop and smartphone, with a concrete
 *   Chrome version in place of W.X.Y.Z); Bing Webmaster "Bing crawlers" (bingbot/2.0);
 *   Meta "Web crawlers" (facebookexternalhit/1.1); OpenAI "Bots" (GPTBot/1.1).
 * - curl's default User-Agent is "curl/<version>".
 * Expected values are what those documents say the strings denote (Windows NT 6.1 is Windows 7,
 * "Mobile" marks a phone, no "Mobile" an Android tablet), spelled as ua-parser-js 1.x names them.
 */
const cases: ReadonlyArray<readonly [string, string, UserAgentInfo]> = [
  [
    'Firefox on Windows 7 (MDN)',
    'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0',
    { browser: 'Firefox', browserVersion: '47.0', os: 'Windows', osVersion: '7', deviceType: 'desktop' },
  ],
  [
    'Firefox for Android, phone (MDN)',
    'Mozilla/5.0 (Android 4.4; Mobile; rv:41.0) Gecko/41.0 Firefox/41.0',
    { browser: 'Firefox', browserVersion: '41.0', os: 'Android', osVersion: '4.4', deviceType: 'mobile' },
  ],
  [
    'Firefox for Android, tablet (MDN)',
    'Mozilla/5.0 (Android 4.4; Tablet; rv:41.0) Gecko/41.0 Firefox/41.0',
    { browser: 'Firefox', browserVersion: '41.0', os: 'Android', osVersion: '4.4', deviceType: 'tablet' },
  ],
  [
    'reduced Chrome on an Android phone (MDN)',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Mobile Safari/537.36',
    { browser: 'Chrome', browserVersion: '143.0.0.0', os: 'Android', osVersion: '10', deviceType: 'mobile' },
  ],
  [
    'reduced Chrome on an Android tablet (no "Mobile")',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36',
    { browser: 'Chrome', browserVersion: '143.0.0.0', os: 'Android', osVersion: '10', deviceType: 'tablet' },
  ],
  [
    'reduced Chrome on Windows 10 (chromium.org)',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    { browser: 'Chrome', browserVersion: '124.0.0.0', os: 'Windows', osVersion: '10', deviceType: 'desktop' },
  ],
  [
    'Chrome on iPhone (Chrome for Developers)',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 10_3 like Mac OS X) AppleWebKit/602.1.50 (KHTML, like Gecko) CriOS/56.0.2924.75 Mobile/14E5239e Safari/602.1',
    { browser: 'Chrome', browserVersion: '56.0.2924.75', os: 'iOS', osVersion: '10.3', deviceType: 'mobile' },
  ],
  [
    'Safari on iPhone (Chrome for Developers, for comparison)',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 10_3 like Mac OS X) AppleWebKit/603.1.23 (KHTML, like Gecko) Version/10.0 Mobile/14E5239e Safari/602.1',
    { browser: 'Mobile Safari', browserVersion: '10.0', os: 'iOS', osVersion: '10.3', deviceType: 'mobile' },
  ],
  [
    'Edge 93 on Windows 10 (Microsoft Learn format)',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/93.0.4577.63 Safari/537.36 Edg/93.0.961.38',
    { browser: 'Edge', browserVersion: '93.0.961.38', os: 'Windows', osVersion: '10', deviceType: 'desktop' },
  ],
  [
    'Samsung Internet 24 on a phone (Samsung format)',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
    {
      browser: 'Samsung Internet',
      browserVersion: '24.0',
      os: 'Android',
      osVersion: '10',
      deviceType: 'mobile',
    },
  ],
  [
    'Samsung smart TV (Samsung format)',
    'Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 85.0.4183.93/6.0 TV Safari/537.36',
    { browser: 'Safari', browserVersion: null, os: 'Tizen', osVersion: '6.0', deviceType: 'tv' },
  ],
];

describe('parseUserAgent', () => {
  it.each(cases)('reads %s', (_name, ua, expected) => {
    expect(parseUserAgent(ua)).toEqual(expected);
  });

  it.each([
    ['Googlebot desktop', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    [
      'Googlebot smartphone',
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.201 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ],
    ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
    ['Facebook link previews', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    [
      'GPTBot',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.1; +https://openai.com/gptbot)',
    ],
    ['curl', 'curl/8.4.0'],
    [
      'headless Chrome',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
    ],
  ])('classifies %s as a bot', (_name, ua) => {
    expect(isBotUserAgent(ua)).toBe(true);
    expect(parseUserAgent(ua).deviceType).toBe('bot');
  });

  it('does not take the Cubot phone brand for a bot', () => {
    const ua =
      'Mozilla/5.0 (Linux; Android 11; Cubot X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.104 Mobile Safari/537.36';
    expect(isBotUserAgent(ua)).toBe(false);
    expect(parseUserAgent(ua).deviceType).toBe('mobile');
  });

  it('calls no browser a bot', () => {
    for (const [, ua] of cases) expect(isBotUserAgent(ua)).toBe(false);
  });

  it('gives all nulls for an empty or blank string and "other" for an unknown client', () => {
    const empty = { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: null };
    expect(parseUserAgent('')).toEqual(empty);
    expect(parseUserAgent('   ')).toEqual(empty);
    expect(parseUserAgent('Mozilla/5.0 (Foo 1.0; Bar) Baz/2')).toEqual({ ...empty, deviceType: 'other' });
    // isbot counts a bare product token without browser markers as an automated client.
    expect(parseUserAgent('SomeApp/1.0').deviceType).toBe('bot');
  });

  it('returns the same frozen object for a repeated string', () => {
    const ua = cases[0]?.[1] ?? '';
    const first = parseUserAgent(ua);
    expect(parseUserAgent(`${ua}`)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
