import { HOUR_MS } from './calendar.js';
import {
  ANDROID_DEVICES,
  type BrowserProfile,
  COUNTRIES,
  type CountryProfile,
  DESKTOP_BROWSERS,
  IOS_DEVICES,
  MOBILE_BROWSERS,
  type Platform,
} from './catalog-data.js';
import { uuid } from './format.js';
import { utf8 } from './line-buffer.js';
import { type Rng, Weighted } from './rng.js';

/** The share of devices whose clock is off, and how far. */
export const CLOCK_SKEW = { deviceShare: 0.08, maxAbsMs: 12 * HOUR_MS } as const;

/** App versions: every app device moves from `before` to `after` some time after the release. */
export const APP_RELEASE = { before: '2.0', after: '2.1', meanAdoptionDays: 2 } as const;

/** The native app a scenario ships (names go into context.app). */
export interface AppIdentity {
  readonly name: string;
  readonly namespace: string;
}

/** One device: where its events come from and how its context serializes. */
export interface Device {
  readonly anonymousId: string;
  readonly platform: Platform;
  readonly browser: string;
  readonly os: string;
  readonly country: CountryProfile;
  readonly skewMs: number;
  /** When the device runs app version APP_RELEASE.after (Infinity for browsers). */
  readonly updateMs: number;
  /** The context JSON members (without braces) before and after the app update. */
  readonly contextBefore: string;
  readonly contextAfter: string;
  /** Pre-encoded line fragments: `","anonymousId":"…"` (closing the messageId before it) and `,"context":{` + each context. */
  readonly idUtf8: Uint8Array;
  readonly contextBeforeUtf8: Uint8Array;
  readonly contextAfterUtf8: Uint8Array;
}

const countryPicker = new Weighted(COUNTRIES.map((c) => [c, c.weight] as const));
const desktopPicker = new Weighted(DESKTOP_BROWSERS.map((b) => [b, b.weight] as const));
const mobilePicker = new Weighted(MOBILE_BROWSERS.map((b) => [b, b.weight] as const));

/** A random address inside one of the country's /24 blocks. */
export function ipIn(rng: Rng, country: CountryProfile): string {
  return `${rng.pick(country.ipBlocks)}.${1 + rng.int(254)}`;
}

function sampleSkewMs(rng: Rng): number {
  if (!rng.chance(CLOCK_SKEW.deviceShare)) return 0;
  const sign = rng.chance(0.5) ? 1 : -1;
  const kind = rng.float();
  if (kind < 0.7) return sign * Math.round(60_000 + rng.exponential(5 * 60_000));
  if (kind < 0.95) return sign * Math.round(rng.range(HOUR_MS, CLOCK_SKEW.maxAbsMs));
  return sign * HOUR_MS;
}

function webContext(profile: BrowserProfile, rng: Rng, locale: string, ip: string): string {
  const ua = JSON.stringify(rng.pick(profile.userAgents));
  return `"library":{"name":"analytics.js","version":"npm:next-1.76.0"},"locale":"${locale}","userAgent":${ua},"ip":"${ip}"`;
}

function appContext(
  platform: 'ios_app' | 'android_app',
  app: AppIdentity,
  rng: Rng,
  locale: string,
  ip: string,
): [string, string] {
  const deviceId = uuid(rng);
  let device: string;
  if (platform === 'android_app') {
    const d = rng.pick(ANDROID_DEVICES);
    const maker = d.model.startsWith('SM-') ? 'samsung' : d.model.startsWith('Pixel') ? 'Google' : 'Xiaomi';
    device =
      `"device":{"id":"${deviceId}","manufacturer":"${maker}","model":"${d.model}","type":"android"},` +
      `"library":{"name":"analytics-android","version":"4.11.3"},"os":{"name":"Android","version":"${d.osVersion}"},` +
      `"userAgent":${JSON.stringify(d.userAgent)}`;
  } else {
    const d = rng.pick(IOS_DEVICES);
    device =
      `"device":{"id":"${deviceId}","manufacturer":"Apple","model":"${d.model}","type":"ios"},` +
      `"library":{"name":"analytics-swift","version":"1.5.11"},"os":{"name":"iOS","version":"${d.osVersion}"}`;
  }
  const tail = `${device},"locale":"${locale}","network":{"wifi":${rng.chance(0.6)}},"ip":"${ip}"`;
  const appJson = (version: string) =>
    `"app":{"name":${JSON.stringify(app.name)},"version":"${version}","build":"${version.replace('.', '')}0","namespace":"${app.namespace}"}`;
  return [`${appJson(APP_RELEASE.before)},${tail}`, `${appJson(APP_RELEASE.after)},${tail}`];
}

/** Creates a device on the given platform, with country, clock skew and app update time. */
export function createDevice(rng: Rng, platform: Platform, app: AppIdentity, releaseMs: number): Device {
  const country = countryPicker.sample(rng);
  const ip = ipIn(rng, country);
  const anonymousId = uuid(rng);
  const skewMs = sampleSkewMs(rng);
  if (platform === 'desktop_web' || platform === 'mobile_web') {
    const profile = (platform === 'desktop_web' ? desktopPicker : mobilePicker).sample(rng);
    const context = webContext(profile, rng, country.locale, ip);
    const contextUtf8 = utf8(`,"context":{${context}`);
    return {
      anonymousId,
      platform,
      browser: profile.browser,
      os: profile.os,
      country,
      skewMs,
      updateMs: Number.POSITIVE_INFINITY,
      contextBefore: context,
      contextAfter: context,
      idUtf8: utf8(`","anonymousId":"${anonymousId}"`),
      contextBeforeUtf8: contextUtf8,
      contextAfterUtf8: contextUtf8,
    };
  }
  const [contextBefore, contextAfter] = appContext(platform, app, rng, country.locale, ip);
  const updateMs = releaseMs + Math.round(rng.exponential(APP_RELEASE.meanAdoptionDays * 86_400_000));
  const os = platform === 'ios_app' ? 'iOS' : 'Android';
  return {
    anonymousId,
    platform,
    browser: 'app',
    os,
    country,
    skewMs,
    updateMs,
    contextBefore,
    contextAfter,
    idUtf8: utf8(`","anonymousId":"${anonymousId}"`),
    contextBeforeUtf8: utf8(`,"context":{${contextBefore}`),
    contextAfterUtf8: utf8(`,"context":{${contextAfter}`),
  };
}

/** The app version a device runs at a time (null for browsers). */
export function appVersionAt(device: Device, ms: number): string | null {
  if (device.platform !== 'ios_app' && device.platform !== 'android_app') return null;
  return ms >= device.updateMs ? APP_RELEASE.after : APP_RELEASE.before;
}
