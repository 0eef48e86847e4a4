// Micro-benchmark of the per-event enrichment helpers. Build, then run:
//   npx tsc -p tsconfig.build.json && node dist/bench/enrich.js
// Prints one JSON object of rates (operations per second, single thread).
import {
  type ChannelInput,
  classifyChannel,
  clearUserAgentCache,
  countryFromIp,
  parseUrl,
  parseUserAgent,
  referrerDomain,
} from '../src/ingest/enrich/index.js';

const UA_TEMPLATES = [
  (v: number) =>
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.${v * 37}.${v % 97} Safari/537.36`,
  (v: number) =>
    `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${v % 10} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${v} Mobile/15E148 Safari/604.1`,
  (v: number) =>
    `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`,
  (v: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
  (v: number) =>
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v}.1 Safari/605.1.15`,
  (v: number) =>
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.${v}.51`,
];

/** Distinct UA strings; JSON.parse makes fresh string objects, as an ingest request body does. */
function userAgents(count: number): string[] {
  const list: string[] = [];
  for (let i = 0; list.length < count; i++) {
    const template = UA_TEMPLATES[i % UA_TEMPLATES.length];
    if (template) list.push(template(Math.floor(i / UA_TEMPLATES.length)));
  }
  return JSON.parse(JSON.stringify(list)) as string[];
}

/** Runs `op` over `inputs` round-robin for about `budgetMs` and returns operations per second. */
function rate<T>(inputs: readonly T[], op: (input: T) => unknown, budgetMs = 1500): number {
  let sink = 0;
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < inputs.length && i < 10_000; i++) {
      const input = inputs[(ops + i) % inputs.length] as T;
      if (op(input)) sink++;
    }
    ops += Math.min(inputs.length, 10_000);
    elapsed = performance.now() - start;
  }
  if (sink < 0) console.error(sink);
  return Math.round((ops / elapsed) * 1000);
}

function coldUaRate(): number {
  const distinct = userAgents(60_000);
  clearUserAgentCache();
  const start = performance.now();
  for (const ua of distinct) parseUserAgent(ua);
  return Math.round((distinct.length / (performance.now() - start)) * 1000);
}

function cachedUaRate(): number {
  const pool = userAgents(2_000);
  for (const ua of pool) parseUserAgent(ua);
  // One pass over fresh copies of the pooled strings: every hit hashes a new string object, as
  // a UA read from a request body does (re-reading the same objects would reuse cached hashes).
  const count = 300_000;
  const picks = Array.from({ length: count }, (_, i) => pool[(i * 7919) % pool.length]);
  const events = JSON.parse(JSON.stringify(picks)) as string[];
  let sink = 0;
  const start = performance.now();
  for (const ua of events) if (parseUserAgent(ua).deviceType === 'bot') sink++;
  const elapsed = performance.now() - start;
  if (sink < 0) console.error(sink);
  return Math.round((count / elapsed) * 1000);
}

const PAGE = 'https://shop.example/products/42';
const CHANNEL_BASE: readonly ChannelInput[] = [
  { pageHost: 'shop.example' },
  { pageHost: 'shop.example', referrer: 'https://shop.example/cart' },
  { pageHost: 'shop.example', referrer: 'https://www.google.com/' },
  { pageHost: 'shop.example', referrer: 'https://www.google.co.uk/search?q=x' },
  { pageHost: 'shop.example', referrer: 'https://t.co/abc' },
  { pageHost: 'shop.example', referrer: 'https://l.facebook.com/', clickId: 'fbclid' },
  { pageHost: 'shop.example', referrer: 'https://blog.example.org/post/1' },
  { pageHost: 'shop.example', utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'spring' },
  { pageHost: 'shop.example', utmSource: 'facebook', utmMedium: 'paid_social' },
  { pageHost: 'shop.example', utmSource: 'newsletter', utmMedium: 'email' },
  { pageHost: 'shop.example', utmSource: 'partner', utmMedium: 'affiliate' },
  { pageHost: 'shop.example', clickId: 'gclid' },
];
const CHANNEL_MIX: readonly ChannelInput[] = CHANNEL_BASE.map((input) => ({
  ...input,
  referrerDomain: input.referrer ? referrerDomain(input.referrer) : null,
}));

const URLS = [
  PAGE,
  `${PAGE}?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=Cj0KCQ`,
  'https://shop.example/?fbclid=IwAR0abc',
  'https://shop.example/search?q=red+shoes&page=2',
];
const IPS = ['8.8.8.8', '81.2.69.142', '2001:4860:4860::8888', '93.184.216.34', '10.0.0.1', '1.2.3.4'];

console.log(
  JSON.stringify({
    uaParsesPerSecCold: coldUaRate(),
    uaParsesPerSecCached: cachedUaRate(),
    channelPerSec: rate(CHANNEL_MIX, classifyChannel),
    urlParsesPerSec: rate(URLS, parseUrl),
    countryLookupsPerSec: rate(IPS, countryFromIp),
  }),
);
