import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';
import { BoundedCache } from './bounded-cache.js';

/** Device classes Pathwise stores in `device_type`. */
export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'tv' | 'console' | 'wearable' | 'bot' | 'other';

/** Browser, OS and device class read from a User-Agent header. */
export interface UserAgentInfo {
  /** ua-parser-js's name: 'Chrome', 'Mobile Safari', 'Firefox', 'Edge', 'Samsung Internet', … */
  readonly browser: string | null;
  /** The full version the parser reports ('124.0.6367.88'); Chrome's reduced UA gives '124.0.0.0'. */
  readonly browserVersion: string | null;
  readonly os: string | null;
  readonly osVersion: string | null;
  readonly deviceType: DeviceType | null;
}

const EMPTY: UserAgentInfo = Object.freeze({
  browser: null,
  browserVersion: null,
  os: null,
  osVersion: null,
  deviceType: null,
});

/** ua-parser-js 1.x device types (its `UAParser.DEVICE` constants) → ours. */
const DEVICE_TYPES: Readonly<Record<string, DeviceType>> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'tv',
  console: 'console',
  wearable: 'wearable',
  embedded: 'other',
};

/**
 * True when the User-Agent belongs to a crawler, preview fetcher, headless browser or HTTP library.
 * ua-parser-js 1.x has no bot detection (2.x has, under AGPL); isbot (Unlicense) is maintained.
 */
export function isBotUserAgent(ua: string): boolean {
  // isbot keeps a maintained list of crawler, previewer, headless and HTTP-library patterns.
  return isbot(ua);
}

const parser = new UAParser();

function parseUncached(ua: string): UserAgentInfo {
  parser.setUA(ua);
  const browser = parser.getBrowser();
  const os = parser.getOS();
  const device = parser.getDevice();
  const browserName = browser.name ?? null;
  const osName = os.name ?? null;
  let deviceType: DeviceType;
  if (isBotUserAgent(ua)) deviceType = 'bot';
  else if (device.type !== undefined) deviceType = DEVICE_TYPES[device.type] ?? 'other';
  // ua-parser-js leaves the device type unset for desktop browsers (it only names handheld,
  // TV, console and embedded types); with nothing recognised at all the client is unknown.
  else deviceType = browserName !== null || osName !== null ? 'desktop' : 'other';
  return Object.freeze({
    browser: browserName,
    browserVersion: browser.version ?? null,
    os: osName,
    osVersion: os.version ?? null,
    deviceType,
  });
}

/** UA strings repeat heavily (a few thousand cover most traffic); 2 × this many are kept. */
const CACHE_CAPACITY = 10_000;
/** Longer strings are parsed but not cached, so that junk headers cannot fill the memo. */
const MAX_CACHED_LENGTH = 1024;
const cache = new BoundedCache<string, UserAgentInfo>(CACHE_CAPACITY);

/**
 * Parses a User-Agent header with ua-parser-js 1.x (memoized). The result is frozen and shared
 * between calls with the same string. An empty or blank string gives all nulls.
 */
export function parseUserAgent(ua: string): UserAgentInfo {
  if (ua === '') return EMPTY;
  const hit = cache.get(ua);
  if (hit !== undefined) return hit;
  const info = ua.trim() === '' ? EMPTY : parseUncached(ua);
  if (ua.length <= MAX_CACHED_LENGTH) cache.set(ua, info);
  return info;
}

/** Drops the memo (for benchmarks measuring cold parses). */
export function clearUserAgentCache(): void {
  cache.clear();
}
