/**
 * Segment messages shaped like analytics.js / analytics-node output, from a seeded generator,
 * so that the load client (a child process) and the raw baseline build the same messages.
 */
import { Rng } from '../src/sim/index.js';

/** Uniform [0, 1) draws from the simulator's seeded generator. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.float();
}

const WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)';
const CHROMIUM = 'AppleWebKit/537.36 (KHTML, like Gecko)';

/** Real-world User-Agent formats of current browsers (desktop, mobile, tablet, one crawler). */
const USER_AGENTS = [
  `${WIN} ${CHROMIUM} Chrome/131.0.0.0 Safari/537.36`,
  `${WIN} ${CHROMIUM} Chrome/130.0.0.0 Safari/537.36`,
  `${WIN} ${CHROMIUM} Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0`,
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
  `${MAC} ${CHROMIUM} Chrome/131.0.0.0 Safari/537.36`,
  `${MAC} AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15`,
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP', 'nl-NL'];
const HOST = 'https://shop.example.com';
const PATHS = [
  '/',
  '/pricing',
  '/blog/how-to-choose-running-shoes',
  '/products/trail-runner-2',
  '/cart',
  '/checkout',
];
const REFERRERS = [
  '',
  'https://www.google.com/',
  'https://www.bing.com/',
  'https://duckduckgo.com/',
  'https://www.facebook.com/',
  'https://t.co/abc123',
  'https://news.ycombinator.com/item?id=41234567',
  'https://mail.google.com/',
];
const CAMPAIGNS = [
  '',
  '?utm_source=google&utm_medium=cpc&utm_campaign=black_friday&utm_term=running+shoes&gclid=Cj0KCQiA',
  '?utm_source=newsletter&utm_medium=email&utm_campaign=weekly_2024_47&utm_content=hero',
  '?utm_source=facebook&utm_medium=paid_social&utm_campaign=retargeting_q4',
  '?ref=producthunt',
];
const EVENTS = [
  'Products Searched',
  'Product Viewed',
  'Product Added',
  'Cart Viewed',
  'Checkout Started',
  'Order Completed',
  'Signed Up',
];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

function hex(r: () => number, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(r() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

function uuid(r: () => number): string {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** A public IPv4 address (first octet 11–99 or 101–126 avoids the special-purpose blocks). */
function publicIp(r: () => number): string {
  let first = 11 + Math.floor(r() * 116);
  if (first === 100) first = 101;
  return `${first}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`;
}

interface Visitor {
  anonymousId: string;
  userId: string | null;
  userAgent: string;
  ip: string;
  locale: string;
  referrer: string;
  campaign: string;
}

function visitor(r: () => number, index: number): Visitor {
  return {
    anonymousId: uuid(r),
    userId: r() < 0.3 ? `user_${100_000 + index}` : null,
    userAgent: pick(r, USER_AGENTS),
    ip: publicIp(r),
    locale: pick(r, LOCALES),
    referrer: pick(r, REFERRERS),
    campaign: pick(r, CAMPAIGNS),
  };
}

function properties(r: () => number, event: string): Record<string, unknown> {
  const productId = `sku-${1000 + Math.floor(r() * 500)}`;
  switch (event) {
    case 'Products Searched':
      return { query: pick(r, ['trail shoes', 'rain jacket', 'socks', 'gps watch']) };
    case 'Order Completed':
      return {
        order_id: hex(r, 12),
        total: Math.round(r() * 40_000) / 100,
        currency: 'USD',
        products: [{ product_id: productId, quantity: 1 + Math.floor(r() * 3), price: 89.95 }],
      };
    case 'Signed Up':
      return { plan: pick(r, ['free', 'pro']), method: pick(r, ['email', 'google']) };
    default:
      return {
        product_id: productId,
        name: 'Trail Runner 2',
        category: pick(r, ['Shoes', 'Apparel', 'Accessories']),
        price: Math.round(r() * 20_000) / 100,
        currency: 'USD',
        position: 1 + Math.floor(r() * 24),
      };
  }
}

/**
 * `count` messages (about 60% track, 35% page, 5% identify) from `visitorCount` visitors,
 * timestamped over the `spanMs` before `nowMs`, with the context analytics.js sends.
 */
export function makeMessages(options: {
  seed: number;
  count: number;
  nowMs: number;
  visitorCount?: number;
  spanMs?: number;
}): Record<string, unknown>[] {
  const r = rng(options.seed);
  const visitors = Array.from({ length: options.visitorCount ?? 2000 }, (_, i) => visitor(r, i));
  const spanMs = options.spanMs ?? 60_000;
  const sentAt = new Date(options.nowMs).toISOString();
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < options.count; i++) {
    const v = pick(r, visitors);
    const path = pick(r, PATHS);
    const url = `${HOST}${path}${v.campaign}`;
    const timestamp = new Date(options.nowMs - Math.floor(r() * spanMs)).toISOString();
    const roll = r();
    const type = roll < 0.6 ? 'track' : roll < 0.95 ? 'page' : 'identify';
    const context: Record<string, unknown> = {
      library: { name: 'analytics.js', version: 'npm:next-1.72.0' },
      page: { path, referrer: v.referrer, search: v.campaign, title: 'Trail Runner Shop', url },
      userAgent: v.userAgent,
      locale: v.locale,
      ip: v.ip,
      timezone: 'Europe/Berlin',
      screen: { width: 1920, height: 1080, density: 1 },
    };
    const message: Record<string, unknown> = {
      type,
      messageId: `ajs-next-${hex(r, 32)}`,
      anonymousId: v.anonymousId,
      timestamp,
      sentAt,
      context,
      integrations: {},
    };
    if (v.userId !== null) message.userId = v.userId;
    if (type === 'track') {
      const event = pick(r, EVENTS);
      message.event = event;
      message.properties = properties(r, event);
    } else if (type === 'page') {
      message.properties = {
        path,
        referrer: v.referrer,
        search: v.campaign,
        title: 'Trail Runner Shop',
        url,
      };
    } else {
      message.traits = { email: `${v.userId ?? 'anon'}@example.com`, plan: 'free' };
      message.userId = v.userId ?? `user_${i}`;
    }
    out.push(message);
  }
  return out;
}
