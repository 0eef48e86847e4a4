import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { COUNTRIES } from './catalog-data.js';

// geoip-country ships no type declarations; this is the one function used.
const geoip = createRequire(import.meta.url)('geoip-country') as {
  lookup(ip: string): { country: string } | null;
};

describe('simulated IP addresses', () => {
  it('every address of every block maps to its country in geoip-country (what ingest uses)', () => {
    const wrong: string[] = [];
    for (const country of COUNTRIES) {
      for (const block of country.ipBlocks) {
        for (let host = 1; host < 255; host++) {
          const ip = `${block}.${host}`;
          const found = geoip.lookup(ip)?.country;
          if (found !== country.code) wrong.push(`${ip}: ${String(found)} ≠ ${country.code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
