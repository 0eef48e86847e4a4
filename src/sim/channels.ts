import { SEARCH_TERMS } from './catalog-data.js';
import { type Rng, Weighted } from './rng.js';

/** The acquisition channels a web session can come from. */
export type Channel =
  | 'direct'
  | 'organic_search'
  | 'paid_search'
  | 'organic_social'
  | 'paid_social'
  | 'email'
  | 'referral'
  | 'affiliate'
  | 'display';

/** Where a session came from: its channel, the referrer and the UTM parameters of the landing URL. */
export interface Touch {
  readonly channel: Channel;
  readonly referrer: string;
  /** Query string of the landing URL (without '?'), '' when there are no UTMs. */
  readonly query: string;
  /** context.campaign members as JSON (without braces), '' when there are no UTMs. */
  readonly campaignJson: string;
}

/** A session's position in a person's journey, which decides the channel mix. */
export type JourneyRole = 'first' | 'middle' | 'closing';

/**
 * Channel mix by journey position: some channels mostly start journeys (display, paid and
 * organic social), others mostly close them (email, direct, paid search). Weights, not shares.
 */
export const CHANNEL_ROLE_WEIGHTS: Readonly<Record<Channel, Readonly<Record<JourneyRole, number>>>> = {
  direct: { first: 6, middle: 25, closing: 22 },
  organic_search: { first: 18, middle: 14, closing: 10 },
  paid_search: { first: 10, middle: 12, closing: 22 },
  organic_social: { first: 12, middle: 6, closing: 3 },
  paid_social: { first: 20, middle: 6, closing: 3 },
  email: { first: 0, middle: 20, closing: 28 },
  referral: { first: 8, middle: 6, closing: 4 },
  affiliate: { first: 6, middle: 5, closing: 6 },
  display: { first: 20, middle: 6, closing: 2 },
};

/** All channels in a fixed order. */
export const CHANNELS = Object.keys(CHANNEL_ROLE_WEIGHTS) as Channel[];

const pickers: Record<JourneyRole, Weighted<Channel>> = {
  first: new Weighted(CHANNELS.map((c) => [c, CHANNEL_ROLE_WEIGHTS[c].first] as const)),
  middle: new Weighted(CHANNELS.map((c) => [c, CHANNEL_ROLE_WEIGHTS[c].middle] as const)),
  closing: new Weighted(CHANNELS.map((c) => [c, CHANNEL_ROLE_WEIGHTS[c].closing] as const)),
};

/** The probability of each channel for a session in a journey role. */
export function channelShares(role: JourneyRole): Record<Channel, number> {
  const p = pickers[role].probabilities();
  return Object.fromEntries(CHANNELS.map((c, i) => [c, p[i] ?? 0])) as Record<Channel, number>;
}

/** Draws a channel for a session in the given journey role. */
export function sampleChannel(rng: Rng, role: JourneyRole): Channel {
  return pickers[role].sample(rng);
}

interface Utm {
  source: string;
  medium: string;
  campaign: string;
  term?: string;
  content?: string;
}

function utmTouch(channel: Channel, referrer: string, utm: Utm, clickId = ''): Touch {
  const pairs: [string, string | undefined][] = [
    ['utm_source', utm.source],
    ['utm_medium', utm.medium],
    ['utm_campaign', utm.campaign],
    ['utm_term', utm.term],
    ['utm_content', utm.content],
  ];
  const query = pairs
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  const campaign: Record<string, string> = { name: utm.campaign, source: utm.source, medium: utm.medium };
  if (utm.term !== undefined) campaign.term = utm.term;
  if (utm.content !== undefined) campaign.content = utm.content;
  const json = JSON.stringify(campaign);
  return {
    channel,
    referrer,
    query: clickId ? `${query}&${clickId}` : query,
    campaignJson: json.slice(1, -1),
  };
}

const SEARCH_ENGINES = new Weighted([
  ['https://www.google.com/', 80],
  ['https://www.bing.com/', 14],
  ['https://duckduckgo.com/', 6],
] as const);
const SOCIAL = [
  'https://www.facebook.com/',
  'https://t.co/',
  'https://www.instagram.com/',
  'https://www.reddit.com/',
];
const REFERRAL_SITES = [
  'https://www.wirecutter.example/best-picks/',
  'https://blog.example.org/review/',
  'https://news.ycombinator.com/',
];

/** Draws a concrete touch (referrer, UTMs, click ids) for a channel. */
export function sampleTouch(rng: Rng, channel: Channel, campaignPrefix: string): Touch {
  const none = (referrer: string): Touch => ({ channel, referrer, query: '', campaignJson: '' });
  switch (channel) {
    case 'direct':
      return none('');
    case 'organic_search':
      return none(SEARCH_ENGINES.sample(rng));
    case 'organic_social':
      return none(rng.pick(SOCIAL));
    case 'referral':
      return none(rng.pick(REFERRAL_SITES));
    case 'paid_search': {
      const isGoogle = rng.chance(0.8);
      const term = rng.pick(SEARCH_TERMS);
      const campaign = rng.chance(0.5)
        ? `${campaignPrefix}_brand_search`
        : `${campaignPrefix}_generic_search`;
      const clickId = isGoogle ? `gclid=Cj0K${rng.u32().toString(36)}` : `msclkid=${rng.u32().toString(16)}`;
      const source = isGoogle ? 'google' : 'bing';
      const referrer = isGoogle ? 'https://www.google.com/' : 'https://www.bing.com/';
      return utmTouch(channel, referrer, { source, medium: 'cpc', campaign, term }, clickId);
    }
    case 'paid_social': {
      const source = rng.pick(['facebook', 'instagram', 'tiktok']);
      const referrer = source === 'tiktok' ? 'https://www.tiktok.com/' : `https://m.${source}.com/`;
      const content = rng.pick(['video_a', 'video_b', 'carousel']);
      return utmTouch(channel, referrer, {
        source,
        medium: 'paid_social',
        campaign: `${campaignPrefix}_prospecting`,
        content,
      });
    }
    case 'email': {
      const campaign = rng.pick(['weekly_digest', 'cart_reminder', 'winback']);
      return utmTouch(channel, '', {
        source: 'newsletter',
        medium: 'email',
        campaign: `${campaignPrefix}_${campaign}`,
      });
    }
    case 'affiliate': {
      const source = rng.pick(['rakuten', 'awin', 'cj']);
      return utmTouch(channel, `https://www.${source}.example/deals`, {
        source,
        medium: 'affiliate',
        campaign: `${campaignPrefix}_partners`,
      });
    }
    case 'display': {
      const source = rng.pick(['google', 'criteo']);
      return utmTouch(channel, '', {
        source,
        medium: 'display',
        campaign: `${campaignPrefix}_prospecting_display`,
        content: rng.pick(['banner_300x250', 'banner_728x90']),
      });
    }
  }
}
