import { describe, expect, it } from 'vitest';
import { parseUrl, referrerDomain, utmFromCampaign } from './index.js';

const NO_UTM = { source: null, medium: null, campaign: null, term: null, content: null };

describe('parseUrl', () => {
  it('splits an absolute URL and reads the five UTM parameters', () => {
    const parsed = parseUrl(
      'https://Shop.Example.COM:8443/Spring/Sale?utm_source=Google&utm_medium=cpc&utm_campaign=spring%20sale&utm_term=red+shoes&utm_content=ad-2#top',
    );
    expect(parsed).toEqual({
      url: 'https://shop.example.com:8443/Spring/Sale?utm_source=Google&utm_medium=cpc&utm_campaign=spring%20sale&utm_term=red+shoes&utm_content=ad-2#top',
      host: 'shop.example.com',
      path: '/Spring/Sale',
      search:
        'utm_source=Google&utm_medium=cpc&utm_campaign=spring%20sale&utm_term=red+shoes&utm_content=ad-2',
      utm: { source: 'Google', medium: 'cpc', campaign: 'spring sale', term: 'red shoes', content: 'ad-2' },
      clickId: null,
      hasClickId: false,
    });
  });

  it('gives search null and empty UTM for a URL without a query', () => {
    expect(parseUrl('https://example.com')).toMatchObject({ path: '/', search: null, utm: NO_UTM });
    expect(parseUrl('https://example.com/?')).toMatchObject({ search: null });
  });

  it('treats empty UTM values as missing', () => {
    expect(parseUrl('https://example.com/?utm_source=&utm_medium=%20')?.utm).toEqual(NO_UTM);
  });

  it('reports the first click id in priority order', () => {
    expect(parseUrl('https://example.com/?fbclid=IwAR1&gclid=Cj0')?.clickId).toBe('gclid');
    expect(parseUrl('https://example.com/?fbclid=IwAR1')).toMatchObject({
      clickId: 'fbclid',
      hasClickId: true,
    });
    expect(parseUrl('https://example.com/?msclkid=abc')?.clickId).toBe('msclkid');
    expect(parseUrl('https://example.com/?gclid=')?.clickId).toBeNull();
  });

  it('keeps path, search and UTM of a relative URL, with host null', () => {
    expect(parseUrl('/pricing?utm_campaign=launch')).toEqual({
      url: '/pricing?utm_campaign=launch',
      host: null,
      path: '/pricing',
      search: 'utm_campaign=launch',
      utm: { ...NO_UTM, campaign: 'launch' },
      clickId: null,
      hasClickId: false,
    });
  });

  it('returns null for garbage and never throws', () => {
    for (const input of [
      '',
      '   ',
      'not a url',
      'example.com/path',
      '//cdn.example.com/x',
      'http://',
      'http://[::1',
    ]) {
      expect(parseUrl(input)).toBeNull();
    }
  });
});

describe('referrerDomain', () => {
  it('lower-cases the host and drops port and a leading www.', () => {
    expect(referrerDomain('https://WWW.Google.com:443/search?q=pathwise')).toBe('google.com');
    expect(referrerDomain('https://news.ycombinator.com/item?id=1')).toBe('news.ycombinator.com');
    expect(referrerDomain('http://www.www.example.org/')).toBe('www.example.org');
  });

  it('keeps the package name of an app referrer', () => {
    expect(referrerDomain('android-app://com.google.android.gm/')).toBe('com.google.android.gm');
  });

  it('gives null when there is no host', () => {
    for (const input of ['', 'about:blank', 'file:///tmp/a.html', '/relative', 'garbage']) {
      expect(referrerDomain(input)).toBeNull();
    }
  });
});

describe('utmFromCampaign', () => {
  it("maps Segment's context.campaign, whose campaign field is `name`", () => {
    expect(
      utmFromCampaign({
        name: 'TPS Innovation Newsletter',
        source: 'Newsletter',
        medium: 'email',
        term: 'tps reports',
        content: 'image link',
      }),
    ).toEqual({
      source: 'Newsletter',
      medium: 'email',
      campaign: 'TPS Innovation Newsletter',
      term: 'tps reports',
      content: 'image link',
    });
  });

  it('nulls what is missing, empty or not a string', () => {
    expect(utmFromCampaign(undefined)).toEqual(NO_UTM);
    expect(utmFromCampaign({ source: 7, medium: '', campaign: 'fallback' })).toEqual({
      ...NO_UTM,
      campaign: 'fallback',
    });
  });
});
