/**
 * Generated reference data for the simulator (hand-curated tables, not logic).
 * User agents are real-world formats of current browsers; IP blocks are /24 networks that
 * geoip-country maps wholly to the country (checked address by address in geo.test.ts).
 */

/** The platforms a device can be: a web browser or a native app. */
export type Platform = 'desktop_web' | 'mobile_web' | 'ios_app' | 'android_app';

/** A browser/OS combination with weight and user agents (one is picked per device). */
export interface BrowserProfile {
  readonly browser: string;
  readonly os: string;
  readonly weight: number;
  readonly userAgents: readonly string[];
}

const WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)';
const LINUX = 'Mozilla/5.0 (X11; Linux x86_64)';
const WEBKIT = 'AppleWebKit/537.36 (KHTML, like Gecko)';

/** Desktop browser shares (roughly StatCounter's desktop shares). */
export const DESKTOP_BROWSERS: readonly BrowserProfile[] = [
  {
    browser: 'Chrome',
    os: 'Windows',
    weight: 48,
    userAgents: [128, 129, 130, 131].map((v) => `${WIN} ${WEBKIT} Chrome/${v}.0.0.0 Safari/537.36`),
  },
  {
    browser: 'Edge',
    os: 'Windows',
    weight: 14,
    userAgents: [129, 130, 131].map((v) => `${WIN} ${WEBKIT} Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`),
  },
  {
    browser: 'Firefox',
    os: 'Windows',
    weight: 7,
    userAgents: [130, 131, 132].map(
      (v) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
    ),
  },
  {
    browser: 'Chrome',
    os: 'Mac OS',
    weight: 14,
    userAgents: [129, 130, 131].map((v) => `${MAC} ${WEBKIT} Chrome/${v}.0.0.0 Safari/537.36`),
  },
  {
    browser: 'Safari',
    os: 'Mac OS',
    weight: 12,
    userAgents: ['17.6', '18.0', '18.1'].map(
      (v) => `${MAC} AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Safari/605.1.15`,
    ),
  },
  {
    browser: 'Firefox',
    os: 'Linux',
    weight: 2,
    userAgents: [131, 132].map(
      (v) => `Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
    ),
  },
  {
    browser: 'Chrome',
    os: 'Linux',
    weight: 3,
    userAgents: [130, 131].map((v) => `${LINUX} ${WEBKIT} Chrome/${v}.0.0.0 Safari/537.36`),
  },
];

const ANDROID_MODELS = ['SM-S921B', 'SM-A546B', 'Pixel 8', 'Pixel 7a', 'SM-G991B', '2201116SG'];

/** Mobile browser shares. */
export const MOBILE_BROWSERS: readonly BrowserProfile[] = [
  {
    browser: 'Mobile Safari',
    os: 'iOS',
    weight: 45,
    userAgents: [
      ['17_6', '17.6'],
      ['18_0', '18.0'],
      ['18_1', '18.1'],
    ].map(
      ([u, v]) =>
        `Mozilla/5.0 (iPhone; CPU iPhone OS ${u} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Mobile/15E148 Safari/604.1`,
    ),
  },
  {
    browser: 'Chrome',
    os: 'iOS',
    weight: 5,
    userAgents: ['130.0.6723.90', '131.0.6778.73'].map(
      (v) =>
        `Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/${v} Mobile/15E148 Safari/604.1`,
    ),
  },
  {
    browser: 'Chrome',
    os: 'Android',
    weight: 38,
    userAgents: ['13', '14', '15'].map(
      (v) => `Mozilla/5.0 (Linux; Android ${v}; K) ${WEBKIT} Chrome/131.0.0.0 Mobile Safari/537.36`,
    ),
  },
  {
    browser: 'Samsung Internet',
    os: 'Android',
    weight: 12,
    userAgents: ['SM-S921B', 'SM-A546B', 'SM-G991B'].map(
      (m) =>
        `Mozilla/5.0 (Linux; Android 14; ${m}) ${WEBKIT} SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36`,
    ),
  },
];

/** Android app devices: Dalvik user agents as analytics-android sends them. */
export const ANDROID_DEVICES: readonly { model: string; osVersion: string; userAgent: string }[] =
  ANDROID_MODELS.flatMap((model) =>
    ['13', '14'].map((osVersion) => ({
      model,
      osVersion,
      userAgent: `Dalvik/2.1.0 (Linux; U; Android ${osVersion}; ${model} Build/UP1A.231005.007)`,
    })),
  );

/** iOS app devices (the Swift SDK sends no user agent, only context.device and context.os). */
export const IOS_DEVICES: readonly { model: string; osVersion: string }[] = [
  { model: 'iPhone15,2', osVersion: '17.6.1' },
  { model: 'iPhone15,4', osVersion: '18.0' },
  { model: 'iPhone16,1', osVersion: '18.1' },
  { model: 'iPhone14,5', osVersion: '17.5' },
  { model: 'iPhone17,3', osVersion: '18.1' },
];

/** A country: traffic weight, UTC offset used for local-time seasonality, locale, IP /24 blocks. */
export interface CountryProfile {
  readonly code: string;
  readonly weight: number;
  readonly utcOffsetHours: number;
  readonly locale: string;
  readonly ipBlocks: readonly string[];
}

/** Countries and their shares of traffic. */
export const COUNTRIES: readonly CountryProfile[] = [
  {
    code: 'US',
    weight: 34,
    utcOffsetHours: -5,
    locale: 'en-US',
    ipBlocks: ['47.0.0', '35.0.0', '97.0.0', '161.0.0'],
  },
  {
    code: 'GB',
    weight: 10,
    utcOffsetHours: 0,
    locale: 'en-GB',
    ipBlocks: ['25.0.0', '51.64.0', '107.56.0', '185.120.0'],
  },
  {
    code: 'DE',
    weight: 9,
    utcOffsetHours: 1,
    locale: 'de-DE',
    ipBlocks: ['89.0.64', '53.0.0', '91.0.0', '77.0.64'],
  },
  {
    code: 'FR',
    weight: 7,
    utcOffsetHours: 1,
    locale: 'fr-FR',
    ipBlocks: ['81.64.0', '109.0.0', '93.0.0', '217.128.0'],
  },
  {
    code: 'IN',
    weight: 8,
    utcOffsetHours: 5.5,
    locale: 'en-IN',
    ipBlocks: ['61.0.0', '121.0.56', '27.0.56', '219.64.0'],
  },
  {
    code: 'BR',
    weight: 6,
    utcOffsetHours: -3,
    locale: 'pt-BR',
    ipBlocks: ['187.64.128', '143.0.0', '177.0.0', '201.0.0'],
  },
  {
    code: 'CA',
    weight: 5,
    utcOffsetHours: -5,
    locale: 'en-CA',
    ipBlocks: ['135.0.0', '69.57.0', '209.128.0', '23.128.0'],
  },
  {
    code: 'JP',
    weight: 4,
    utcOffsetHours: 9,
    locale: 'ja-JP',
    ipBlocks: ['123.0.64', '211.0.0', '125.0.64', '27.0.0'],
  },
  {
    code: 'AU',
    weight: 4,
    utcOffsetHours: 10,
    locale: 'en-AU',
    ipBlocks: ['101.0.64', '121.0.0', '1.128.0', '115.64.0'],
  },
  {
    code: 'ES',
    weight: 4,
    utcOffsetHours: 1,
    locale: 'es-ES',
    ipBlocks: ['81.0.0', '213.0.0', '81.32.128', '85.56.0'],
  },
  {
    code: 'NL',
    weight: 3,
    utcOffsetHours: 1,
    locale: 'nl-NL',
    ipBlocks: ['193.0.0', '145.0.0', '145.128.0', '145.64.128'],
  },
  {
    code: 'IT',
    weight: 3,
    utcOffsetHours: 1,
    locale: 'it-IT',
    ipBlocks: ['217.56.0', '87.0.0', '79.0.0', '151.64.0'],
  },
  {
    code: 'MX',
    weight: 3,
    utcOffsetHours: -6,
    locale: 'es-MX',
    ipBlocks: ['187.128.128', '189.128.0', '201.121.0', '189.192.0'],
  },
];

/** Item categories of the simulated shop and feed. */
export const CATEGORIES = [
  'shoes',
  'outdoor',
  'kitchen',
  'books',
  'electronics',
  'toys',
  'beauty',
  'garden',
] as const;

/** Search terms for on-site search and paid search keywords. */
export const SEARCH_TERMS = [
  'running shoes',
  'rain jacket',
  'coffee grinder',
  'usb c charger',
  'gift ideas',
  'sale',
  'hiking boots',
  'desk lamp',
  'lego',
  'sunscreen',
] as const;
