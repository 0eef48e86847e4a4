import { describe, expect, it } from 'vitest';
import { type Channel, type ChannelInput, classifyChannel } from './index.js';

/*
 * One row per rule of docs/enrichment.md, hand-derived from "[GA4] Default channel group"
 * (support.google.com/analytics/answer/9756891) and the Pathwise adaptations listed there.
 * The page is on shop.example unless a row says otherwise.
 */
const PAGE = 'shop.example';
const rows: ReadonlyArray<readonly [string, ChannelInput, Channel]> = [
  // 1. ad click ids (auto-tagging wins over UTM, as GA4 does by default)
  ['gclid alone', { clickId: 'gclid' }, 'paid search'],
  [
    'gclid beats a manual email tag',
    { clickId: 'gclid', utmSource: 'newsletter', utmMedium: 'email' },
    'paid search',
  ],
  ['msclkid', { clickId: 'msclkid', referrer: 'https://www.bing.com/' }, 'paid search'],
  ['dclid', { clickId: 'dclid' }, 'display'],
  ['ttclid', { clickId: 'ttclid' }, 'paid social'],
  // 2. GA4 Direct
  ['(direct) / (none)', { utmSource: '(direct)', utmMedium: '(none)' }, 'direct'],
  // 3. GA4 Cross-network → other
  [
    'cross-network campaign',
    { utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'pmax_cross-network' },
    'other',
  ],
  // 4. paid medium + search source
  ['google / cpc', { utmSource: 'google', utmMedium: 'cpc' }, 'paid search'],
  ['Bing / PPC, any case', { utmSource: 'Bing', utmMedium: 'PPC' }, 'paid search'],
  [
    'google / cpm: "cpm" matches .*cp.* before Display',
    { utmSource: 'google', utmMedium: 'cpm' },
    'paid search',
  ],
  // 5. paid medium + social source
  ['facebook / cpc', { utmSource: 'facebook', utmMedium: 'cpc' }, 'paid social'],
  ['fb / paid_social', { utmSource: 'fb', utmMedium: 'paid_social' }, 'paid social'],
  ['linkedin / retargeting', { utmSource: 'linkedin', utmMedium: 'retargeting' }, 'paid social'],
  // 6. Display
  ['display medium', { utmSource: 'adnetwork', utmMedium: 'display' }, 'display'],
  ['banner medium', { utmSource: 'adnetwork', utmMedium: 'banner' }, 'display'],
  ['cpm medium, unknown source', { utmSource: 'adnetwork', utmMedium: 'cpm' }, 'display'],
  // 7. GA4 Paid Other → other
  ['cpc from an unknown source', { utmSource: 'partner', utmMedium: 'cpc' }, 'other'],
  // 8. Organic Social
  ['social source, non-paid medium', { utmSource: 'twitter', utmMedium: 'post' }, 'organic social'],
  ['social medium, unknown source', { utmSource: 'partner', utmMedium: 'social' }, 'organic social'],
  [
    'facebook / email: social comes before email in GA4',
    { utmSource: 'facebook', utmMedium: 'email' },
    'organic social',
  ],
  // 9. GA4 Organic Video → other
  ['video medium', { utmSource: 'partner', utmMedium: 'video' }, 'other'],
  // 10. Organic Search
  ['google / organic', { utmSource: 'google', utmMedium: 'organic' }, 'organic search'],
  ['search source without medium', { utmSource: 'duckduckgo' }, 'organic search'],
  ['organic medium, unknown source', { utmSource: 'partner', utmMedium: 'organic' }, 'organic search'],
  // 11. Email
  ['email medium', { utmSource: 'newsletter', utmMedium: 'email' }, 'email'],
  ['e-mail source', { utmSource: 'e-mail', utmMedium: 'spring' }, 'email'],
  ['webmail source from the referrer list', { utmSource: 'gmail' }, 'email'],
  // 12. Affiliate
  ['affiliate medium', { utmSource: 'partner', utmMedium: 'affiliate' }, 'affiliate'],
  // 13. Referral by medium
  ['referral medium', { utmSource: 'partner-blog', utmMedium: 'referral' }, 'referral'],
  ['link medium', { utmSource: 'partner-blog', utmMedium: 'link' }, 'referral'],
  // 14. unknown tags → other (GA4 Unassigned, Audio, SMS, Push)
  ['unknown source and medium', { utmSource: 'spring-fair', utmMedium: 'qr' }, 'other'],
  ['sms medium', { utmSource: 'crm', utmMedium: 'sms' }, 'other'],
  ['medium only, unknown', { utmMedium: 'flyer' }, 'other'],
  [
    'UTM wins over a self-referral',
    { utmSource: 'newsletter', utmMedium: 'email', referrer: `https://${PAGE}/` },
    'email',
  ],
  // 15. no external referrer
  ['nothing at all', {}, 'direct'],
  ['only a campaign name', { utmCampaign: 'spring' }, 'direct'],
  ['self-referral', { referrer: `https://${PAGE}/cart` }, 'direct'],
  ['self-referral across www.', { referrer: `https://www.${PAGE}/cart`, pageHost: PAGE }, 'direct'],
  ['fbclid without a referrer', { clickId: 'fbclid' }, 'organic social'],
  ['unparseable referrer', { referrer: 'not a url' }, 'direct'],
  // 16. external referrer by the referrer list
  ['google.com, no UTM', { referrer: 'https://www.google.com/' }, 'organic search'],
  ['google.co.uk search', { referrer: 'https://www.google.co.uk/search?q=shoes' }, 'organic search'],
  [
    'Google app on Android',
    { referrer: 'android-app://com.google.android.googlequicksearchbox/' },
    'organic search',
  ],
  ['t.co', { referrer: 'https://t.co/abc123' }, 'organic social'],
  ['facebook.com', { referrer: 'https://www.facebook.com/' }, 'organic social'],
  [
    'l.facebook.com with fbclid: not paid',
    { referrer: 'https://l.facebook.com/', clickId: 'fbclid' },
    'organic social',
  ],
  ['m.youtube.com', { referrer: 'https://m.youtube.com/watch?v=1' }, 'organic social'],
  ['Hacker News', { referrer: 'https://news.ycombinator.com/item?id=1' }, 'organic social'],
  ['Gmail web', { referrer: 'https://mail.google.com/' }, 'email'],
  ['an ad server', { referrer: 'https://ad.doubleclick.net/ddm/clk/1' }, 'display'],
  ['Wikipedia', { referrer: 'https://en.wikipedia.org/wiki/Analytics' }, 'referral'],
  ['support.google.com is not search', { referrer: 'https://support.google.com/analytics' }, 'referral'],
  ['a sub-site of google.com that the list lacks', { referrer: 'https://docs.google.com/d/1' }, 'referral'],
  ['any other site', { referrer: 'https://blog.example.org/post' }, 'referral'],
  [
    'fbclid from another site is not paid',
    { referrer: 'https://blog.example.org/', clickId: 'fbclid' },
    'referral',
  ],
  ['referrer domain only', { referrerDomain: 'bing.com' }, 'organic search'],
];

describe('classifyChannel', () => {
  it.each(rows)('%s', (_name, input, expected) => {
    expect(classifyChannel({ pageHost: PAGE, ...input })).toBe(expected);
  });

  it('treats a referrer as external when the page host is unknown', () => {
    expect(classifyChannel({ referrer: 'https://shop.example/', pageHost: null })).toBe('referral');
  });
});
