import { describe, expect, it } from 'vitest';
import { countryFromIp } from './index.js';

/*
 * Known answers: 8.8.8.8 and 2001:4860:4860::8888 are Google Public DNS, registered to Google
 * LLC in the US (ARIN); 81.2.69.142 is the GB address that MaxMind's own GeoIP2 test data and
 * documentation use. Special-purpose ranges are from the IANA registries (RFC 6890, RFC 5737).
 */
describe('countryFromIp', () => {
  it.each([
    ['8.8.8.8', 'US'],
    ['2001:4860:4860::8888', 'US'],
    ['81.2.69.142', 'GB'],
    ['::ffff:8.8.8.8', 'US'],
    [' 8.8.8.8 ', 'US'],
  ])('places %s in %s', (ip, country) => {
    expect(countryFromIp(ip)).toBe(country);
  });

  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.10.10',
    '100.64.0.1',
    '192.0.2.1',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:192.168.1.1',
    '',
    'not-an-ip',
    '8.8.8.8.8',
    '999.1.1.1',
  ])('gives null for %j', (ip) => {
    expect(countryFromIp(ip)).toBeNull();
  });
});
