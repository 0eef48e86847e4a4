import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { BoundedCache } from './bounded-cache.js';

/** The part of geoip-country's API Pathwise uses (the package ships no types). */
interface GeoipCountry {
  lookup(ip: string): { readonly country?: unknown } | null;
}

/**
 * IPv4 special-purpose blocks that are never on the public internet (IANA IPv4 Special-Purpose
 * Address Registry, RFC 6890; documentation ranges RFC 5737; multicast and reserved 224/3),
 * as [first address, prefix length]. node:net's BlockList answers the same but costs ~4 µs a
 * check, four times the GeoLite2 lookup itself.
 */
const NON_PUBLIC_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
];

function ipv4ToInt(ip: string): number {
  let value = 0;
  for (const part of ip.split('.')) value = value * 256 + Number(part);
  return value;
}

const V4_RANGES = NON_PUBLIC_V4.map(([first, bits]) => {
  const start = ipv4ToInt(first);
  return [start, start + 2 ** (32 - bits) - 1] as const;
});

function isNonPublicV4(ip: string): boolean {
  const value = ipv4ToInt(ip);
  for (const [start, end] of V4_RANGES) if (value >= start && value <= end) return true;
  return false;
}

/**
 * IPv6 (IANA IPv6 Special-Purpose Address Registry): unspecified ::, loopback ::1, the IETF
 * reserved 0100::/8 (discard-only 100::/64), documentation 2001:db8::/32, unique local
 * fc00::/7, link-local fe80::/10 and multicast ff00::/8.
 */
function isNonPublicV6(ip: string): boolean {
  const lower = ip.toLowerCase();
  if (lower === '::' || lower === '::1') return true;
  const firstColon = lower.indexOf(':');
  const head = firstColon === 0 ? 0 : Number.parseInt(lower.slice(0, firstColon), 16);
  if (
    head === 0x0100 ||
    (head & 0xfe00) === 0xfc00 ||
    (head & 0xffc0) === 0xfe80 ||
    (head & 0xff00) === 0xff00
  ) {
    return true;
  }
  return head === 0x2001 && /^2001:0*db8:/.test(lower);
}

/** IPv4-mapped IPv6 ('::ffff:10.1.2.3') is checked as the IPv4 address it carries. */
const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

let geoip: GeoipCountry | null = null;
/** Loaded on first use: the package reads its ~7 MB data files synchronously when required. */
function getGeoip(): GeoipCountry {
  if (geoip === null) {
    const loaded: GeoipCountry = createRequire(import.meta.url)('geoip-country');
    geoip = loaded;
  }
  return geoip;
}

/** A visitor's address repeats on every event of the visit; 2 × this many are kept. */
const CACHE_CAPACITY = 20_000;
/** Longer strings are not addresses worth remembering (an IPv6 address has at most 45 characters). */
const MAX_CACHED_LENGTH = 64;
const cache = new BoundedCache<string, string | null>(CACHE_CAPACITY);

/**
 * ISO 3166-1 alpha-2 country of an IP address from the GeoLite2 Country data that geoip-country
 * ships (MaxMind). Null for invalid, private, loopback, link-local and other non-public
 * addresses, and for addresses the database does not place. Memoized in a bounded cache.
 */
export function countryFromIp(ip: string): string | null {
  const hit = cache.get(ip);
  if (hit !== undefined) return hit;
  const country = lookupCountry(ip);
  if (ip.length <= MAX_CACHED_LENGTH) cache.set(ip, country);
  return country;
}

function lookupCountry(ip: string): string | null {
  let address = ip.trim();
  const mapped =
    address.length > 7 && address.charCodeAt(0) === 58 /* ':' */ ? MAPPED_V4.exec(address) : null;
  if (mapped?.[1] !== undefined) address = mapped[1];
  const family = isIP(address);
  if (family === 0) return null;
  if (family === 4 ? isNonPublicV4(address) : isNonPublicV6(address)) return null;
  const country = getGeoip().lookup(address)?.country;
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) ? country : null;
}
