import { lookupReferrer, type ReferrerMedium, sourceMedium } from './referrer-sources.js';
import { type ClickId, normalizeHost } from './url.js';

/** The ten channels Pathwise stores in `channel`. */
export const CHANNELS = [
  'direct',
  'organic search',
  'paid search',
  'organic social',
  'paid social',
  'email',
  'referral',
  'affiliate',
  'display',
  'other',
] as const;
/** One of CHANNELS. */
export type Channel = (typeof CHANNELS)[number];

/** What classifyChannel reads; absent and empty values count as missing. */
export interface ChannelInput {
  readonly utmSource?: string | null;
  readonly utmMedium?: string | null;
  readonly utmCampaign?: string | null;
  /** The full referrer URL (document.referrer, Segment's context.page.referrer). */
  readonly referrer?: string | null;
  /** referrerDomain(referrer); derived from `referrer` when absent. */
  readonly referrerDomain?: string | null;
  /** Host of the page the event happened on, for telling self-referrals apart. */
  readonly pageHost?: string | null;
  /** The click id found in the page URL (ParsedUrl.clickId). */
  readonly clickId?: ClickId | null;
}

/*
 * The rules follow Google Analytics 4's default channel group, "[GA4] Default channel group",
 * https://support.google.com/analytics/answer/9756891 (rules as published in 2024), mapped onto
 * Pathwise's ten channels. GA4 channels Pathwise does not have (Cross-network, Paid Other,
 * Paid Shopping, Paid/Organic Video, Audio, SMS, Mobile Push, Unassigned) become 'other' at
 * the same position in the order, so that the remaining rules assign what GA4 assigns.
 * docs/enrichment.md lists the rules; keep the two in step.
 */

/** GA4: "Medium matches regex ^(.*cp.*|ppc|retargeting|paid.*)$". */
const PAID_MEDIUM = /^(?:.*cp.*|ppc|retargeting|paid.*)$/;
const DISPLAY_MEDIA: ReadonlySet<string> = new Set([
  'display',
  'banner',
  'expandable',
  'interstitial',
  'cpm',
]);
const SOCIAL_MEDIA: ReadonlySet<string> = new Set([
  'social',
  'social-network',
  'social-media',
  'sm',
  'social network',
  'social media',
]);
const EMAIL_TOKENS: ReadonlySet<string> = new Set(['email', 'e-mail', 'e_mail', 'e mail']);
const AFFILIATE_MEDIA: ReadonlySet<string> = new Set(['affiliate', 'affiliates']);
const REFERRAL_MEDIA: ReadonlySet<string> = new Set(['referral', 'app', 'link']);
const NONE_MEDIA: ReadonlySet<string> = new Set(['(none)', '(not set)']);

/**
 * Auto-tagging click ids, which their platforms add only to ad clicks. GA4 lets auto-tagging
 * win over manual UTM tags by default. gclid also marks Display Network and YouTube clicks,
 * which GA4 splits using Google Ads data that Pathwise does not have: they count as paid search.
 * fbclid is absent on purpose: Meta adds it to organic links too.
 */
const AD_CLICK_CHANNELS: Readonly<Partial<Record<ClickId, Channel>>> = {
  gclid: 'paid search',
  gbraid: 'paid search',
  wbraid: 'paid search',
  msclkid: 'paid search',
  yclid: 'paid search',
  dclid: 'display',
  ttclid: 'paid social',
  li_fat_id: 'paid social',
};

const REFERRER_CHANNELS: Readonly<Record<ReferrerMedium, Channel>> = {
  search: 'organic search',
  social: 'organic social',
  email: 'email',
  paid: 'display',
  referral: 'referral',
  unknown: 'referral',
};

function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim().toLowerCase();
  return trimmed === '' ? null : trimmed;
}

/** Rules 2–12: a visit with utm_source or utm_medium. */
function campaignChannel(source: string | null, medium: string | null, campaign: string | null): Channel {
  const kind = source === null ? null : sourceMedium(source);
  if ((source === '(direct)' || source === 'direct') && (medium === null || NONE_MEDIA.has(medium))) {
    return 'direct';
  }
  if (campaign?.includes('cross-network')) return 'other';
  if (medium !== null && PAID_MEDIUM.test(medium)) {
    if (kind === 'search') return 'paid search';
    if (kind === 'social') return 'paid social';
  }
  if (medium !== null && DISPLAY_MEDIA.has(medium)) return 'display';
  if (medium !== null && PAID_MEDIUM.test(medium)) return 'other';
  if (kind === 'social' || (medium !== null && SOCIAL_MEDIA.has(medium))) return 'organic social';
  if (medium?.includes('video')) return 'other';
  if (kind === 'search' || medium === 'organic') return 'organic search';
  if (
    kind === 'email' ||
    (source !== null && EMAIL_TOKENS.has(source)) ||
    (medium !== null && EMAIL_TOKENS.has(medium))
  ) {
    return 'email';
  }
  if (medium !== null && AFFILIATE_MEDIA.has(medium)) return 'affiliate';
  if (medium !== null && REFERRAL_MEDIA.has(medium)) return 'referral';
  return 'other';
}

function tryUrl(input: string): URL | null {
  try {
    return new URL(input);
  } catch {
    return null;
  }
}

/** Rules 13–16: a visit without campaign tags, judged by its referrer. */
function referrerChannel(input: ChannelInput): Channel {
  const referrerUrl = input.referrer ? tryUrl(input.referrer.trim()) : null;
  const rawHost = clean(input.referrerDomain) ?? clean(referrerUrl?.hostname);
  const host = rawHost === null ? null : normalizeHost(rawHost);
  const pageHost = clean(input.pageHost);
  const isExternal = host !== null && (pageHost === null || host !== normalizeHost(pageHost));
  if (!isExternal) return input.clickId === 'fbclid' ? 'organic social' : 'direct';
  const fullHost = clean(referrerUrl?.hostname) ?? host;
  const known = lookupReferrer(fullHost, referrerUrl?.pathname ?? '/') ?? lookupReferrer(host);
  return known ? REFERRER_CHANNELS[known.medium] : 'referral';
}

/**
 * Assigns one of the ten channels to a visit from its UTM tags, click id and referrer, by the
 * ordered rules of docs/enrichment.md (GA4's default channel group, adapted).
 */
export function classifyChannel(input: ChannelInput): Channel {
  const adChannel = input.clickId ? AD_CLICK_CHANNELS[input.clickId] : undefined;
  if (adChannel) return adChannel;
  const source = clean(input.utmSource);
  const medium = clean(input.utmMedium);
  if (source !== null || medium !== null) return campaignChannel(source, medium, clean(input.utmCampaign));
  return referrerChannel(input);
}
