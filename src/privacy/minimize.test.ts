import { describe, expect, it } from 'vitest';
import { checkMessage, normalizeMessage } from '../ingest/index.js';
import { DEFAULT_PRIVACY_SETTINGS } from '../store/index.js';
import { compileMasker, isLuhnValid, MASKED, storedIpRule, truncateIp } from './index.js';

describe('IP truncation (IPv4 last octet, IPv6 last 80 bits)', () => {
  // Hand-worked: IPv4 keeps the /24; IPv6 keeps the first 48 bits (three groups), RFC 5952 text.
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['8.8.8.8', '8.8.8.0'],
    ['10.1.2.255', '10.1.2.0'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8:85a3::'],
    ['2001:4860:4860::8888', '2001:4860:4860::'],
    ['2a00:1450:4001:82b::200e', '2a00:1450:4001::'],
    ['fe80::1', 'fe80::'],
    ['::1', '::'],
    ['2001:db8::ffff:1.2.3.4', '2001:db8::'],
    ['::ffff:192.168.10.20', '::ffff:192.168.10.0'],
    ['2001:0:0:1::1', '2001::'],
  ])('%s becomes %s', (ip, expected) => {
    expect(truncateIp(ip)).toBe(expected);
  });

  it('stores nothing for text that is not an address, and nothing at all in drop mode', () => {
    expect(truncateIp('not-an-ip')).toBeNull();
    expect(truncateIp('1.2.3')).toBeNull();
    expect(storedIpRule('drop')?.('8.8.8.8')).toBeNull();
    expect(storedIpRule('keep')).toBeNull();
  });
});

describe('masking rules', () => {
  const masker = compileMasker({
    ...DEFAULT_PRIVACY_SETTINGS,
    maskBuiltins: ['email', 'card', 'phone'],
    maskKeys: ['Password'],
    maskPatterns: ['ACCT-\\d+'],
  });

  it('checks card numbers with Luhn (ISO/IEC 7812 test numbers)', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('5555555555554444')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });

  it('masks emails, cards, phones, keys and configured patterns at any depth', () => {
    const input = {
      email: 'Jane.Doe+news@example.co.uk',
      note: 'call +44 20 7946 0958 or (555) 123-4567 please',
      card: '4111 1111 1111 1111',
      cardNumber: 4111111111111111,
      orderId: '4111111111111112',
      nested: { password: 'hunter2', list: ['ACCT-12345 and ACCT-9', 'ok'] },
      url: 'https://shop.example/?email=jane%40example.com&step=2',
    };
    expect(masker?.maskObject(input)).toEqual({
      email: MASKED.email,
      note: `call ${MASKED.phone} or ${MASKED.phone} please`,
      card: MASKED.card,
      cardNumber: MASKED.card,
      orderId: '4111111111111112',
      nested: { password: MASKED.key, list: [`${MASKED.pattern} and ${MASKED.pattern}`, 'ok'] },
      url: `https://shop.example/?email=${MASKED.email}&step=2`,
    });
  });

  it('leaves timestamps, addresses, user agents, versions and amounts alone', () => {
    const clean = {
      at: '2024-03-01T10:00:00.123Z',
      ip: '203.0.113.77',
      ipv6: '2001:db8::1',
      ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36',
      amount: 1234.56,
      big: 20240301100000,
      search: 'running+shoes',
    };
    expect(masker?.maskObject(clean)).toBe(clean);
  });

  it('compiles to nothing when no rule is set', () => {
    expect(compileMasker(DEFAULT_PRIVACY_SETTINGS)).toBeNull();
  });
});

describe('minimization inside normalization', () => {
  const arrival = {
    projectId: 'p',
    receivedAtUs: Date.UTC(2024, 2, 1) * 1000,
    isReceiptKnown: true,
    insertedAtUs: Date.UTC(2024, 2, 1) * 1000,
  };
  const message = {
    type: 'page',
    anonymousId: 'device-1',
    properties: { path: '/signup', email: 'jane@example.com' },
    context: {
      ip: '8.8.8.8',
      page: { url: 'https://shop.example/signup?email=jane%40example.com' },
      traits: { email: 'jane@example.com' },
    },
  };

  it('looks the country up from the address as sent, then stores the minimized one', () => {
    const checked = checkMessage(message);
    if (!checked.isValid) throw new Error(checked.reason);
    // 192.0.2.0 (TEST-NET-1) has no country: were the lookup after minimization, it would be null.
    const rules = { storedIp: () => '192.0.2.0' };
    const out = normalizeMessage(checked.message, checked.type, { ...arrival, rules });
    if (!out.isValid) throw new Error(out.reason);
    expect(out.row.country).toBe('US');
    expect(out.row.ip).toBe('192.0.2.0');
    expect(JSON.parse(out.row.context ?? '{}').ip).toBe('192.0.2.0');
  });

  it('masks before the URL columns are derived, so no column keeps the email', () => {
    const masker = compileMasker({ ...DEFAULT_PRIVACY_SETTINGS, maskBuiltins: ['email'] });
    const checked = checkMessage(message);
    if (!checked.isValid || !masker) throw new Error('setup');
    const out = normalizeMessage(checked.message, checked.type, {
      ...arrival,
      rules: { maskObject: masker.maskObject },
    });
    if (!out.isValid) throw new Error(out.reason);
    expect(JSON.stringify(out.row)).not.toContain('jane');
    expect(out.row.search).toBe(`email=${MASKED.email}`);
  });
});
