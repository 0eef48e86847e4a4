import { BoundedCache } from './bounded-cache.js';

/** The five campaign parameters (Google's UTM convention, Segment's `context.campaign`). */
export interface Utm {
  readonly source: string | null;
  readonly medium: string | null;
  readonly campaign: string | null;
  readonly term: string | null;
  readonly content: string | null;
}

/**
 * Click identifiers that platforms append to landing-page URLs, in the order parseUrl looks
 * for them. All but `fbclid` are added only to ad clicks (auto-tagging); Meta adds `fbclid` to
 * organic links as well, so it says "came from Facebook/Instagram", not "paid".
 */
export const CLICK_IDS = [
  'gclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'dclid',
  'ttclid',
  'li_fat_id',
  'fbclid',
] as const;
/** One of CLICK_IDS. */
export type ClickId = (typeof CLICK_IDS)[number];

/** The parts of a page URL that the events table materializes. */
export interface ParsedUrl {
  /** The WHATWG serialization (href); the input as given (trimmed) when it was relative. */
  readonly url: string;
  /** Lower-case hostname without port; null for a relative URL. */
  readonly host: string | null;
  readonly path: string;
  /** The query string without '?', or null when empty. */
  readonly search: string | null;
  readonly utm: Utm;
  /** The first click id of CLICK_IDS present in the query, or null. */
  readonly clickId: ClickId | null;
  /** clickId !== null. */
  readonly hasClickId: boolean;
}

const NO_UTM: Utm = Object.freeze({ source: null, medium: null, campaign: null, term: null, content: null });
/** Base for relative URLs; the `.invalid` TLD is reserved (RFC 2606) and never shown. */
const RELATIVE_BASE = 'http://relative.invalid';

function nonEmpty(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function queryParts(search: string): { utm: Utm; clickId: ClickId | null } {
  if (search === '' || search === '?') return { utm: NO_UTM, clickId: null };
  const params = new URLSearchParams(search);
  const utm: Utm = {
    source: nonEmpty(params.get('utm_source')),
    medium: nonEmpty(params.get('utm_medium')),
    campaign: nonEmpty(params.get('utm_campaign')),
    term: nonEmpty(params.get('utm_term')),
    content: nonEmpty(params.get('utm_content')),
  };
  let clickId: ClickId | null = null;
  for (const name of CLICK_IDS) {
    if (nonEmpty(params.get(name)) !== null) {
      clickId = name;
      break;
    }
  }
  return { utm, clickId };
}

function tryUrl(input: string, base?: string): URL | null {
  try {
    return new URL(input, base);
  } catch {
    return null;
  }
}

/** Page and referrer URLs repeat across a visit and across visitors; 2 × this many are kept each. */
const CACHE_CAPACITY = 10_000;
/** Longer URLs are parsed but not cached, so that one-off tracking links cannot fill the memo. */
const MAX_CACHED_LENGTH = 2048;
const urlCache = new BoundedCache<string, ParsedUrl | null>(CACHE_CAPACITY);
const referrerCache = new BoundedCache<string, string | null>(CACHE_CAPACITY);

/**
 * Splits a page URL (WHATWG URL parsing). An absolute URL gives every part; a relative one
 * starting with '/' or '?' gives path, search and UTM with host null; anything else gives null.
 * Never throws. Memoized: the result is frozen and shared between calls with the same string.
 */
export function parseUrl(input: string): ParsedUrl | null {
  const hit = urlCache.get(input);
  if (hit !== undefined) return hit;
  const parsed = parseUrlUncached(input);
  if (input.length <= MAX_CACHED_LENGTH) urlCache.set(input, parsed);
  return parsed;
}

function parseUrlUncached(input: string): ParsedUrl | null {
  const raw = input.trim();
  if (raw === '') return null;
  const absolute = tryUrl(raw);
  const isRelative = absolute === null && (raw.startsWith('/') || raw.startsWith('?'));
  const parsed = absolute ?? (isRelative && !raw.startsWith('//') ? tryUrl(raw, RELATIVE_BASE) : null);
  if (parsed === null) return null;
  const { utm, clickId } = queryParts(parsed.search);
  return Object.freeze({
    url: absolute ? parsed.href : raw,
    host: absolute ? nonEmpty(parsed.hostname.toLowerCase()) : null,
    path: parsed.pathname,
    search: parsed.search.length > 1 ? parsed.search.slice(1) : null,
    utm: Object.freeze(utm),
    clickId,
    hasClickId: clickId !== null,
  });
}

/** Lower-cases a host name and drops one leading 'www.'. */
export function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith('www.') ? lower.slice(4) : lower;
}

/**
 * The referrer's host name, lower-cased, without port and without a leading 'www.' (so that
 * www.example.com and example.com are one referrer, as Plausible and Umami report them).
 * App referrers keep their package name (android-app://com.google.android.gm → 'com.google.android.gm').
 * Null when the referrer is not an absolute URL with a host.
 */
export function referrerDomain(referrer: string): string | null {
  const hit = referrerCache.get(referrer);
  if (hit !== undefined) return hit;
  const domain = referrerDomainUncached(referrer);
  if (referrer.length <= MAX_CACHED_LENGTH) referrerCache.set(referrer, domain);
  return domain;
}

function referrerDomainUncached(referrer: string): string | null {
  const raw = referrer.trim();
  if (raw === '') return null;
  const host = tryUrl(raw)?.hostname ?? '';
  return host === '' ? null : normalizeHost(host);
}

function field(campaign: Readonly<Record<string, unknown>>, key: string): string | null {
  const value = campaign[key];
  return typeof value === 'string' ? nonEmpty(value) : null;
}

/**
 * Maps Segment's `context.campaign` ({ name, source, medium, term, content }) to UTM fields.
 * Segment calls the campaign `name`; `campaign` is accepted too, as some senders copy the UTM
 * key. Non-string and empty values become null; a missing object gives all nulls.
 */
export function utmFromCampaign(campaign: Readonly<Record<string, unknown>> | null | undefined): Utm {
  if (!campaign) return NO_UTM;
  return {
    source: field(campaign, 'source'),
    medium: field(campaign, 'medium'),
    campaign: field(campaign, 'name') ?? field(campaign, 'campaign'),
    term: field(campaign, 'term'),
    content: field(campaign, 'content'),
  };
}
