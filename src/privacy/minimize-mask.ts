import type { MaskBuiltin, PrivacySettings } from '../store/index.js';

/** What a masked value becomes: the kind of data it held, never the data. */
export const MASKED = {
  key: '[masked]',
  pattern: '[masked]',
  email: '[email]',
  card: '[card]',
  phone: '[phone]',
} as const;

type Obj = Record<string, unknown>;

/** Masks one string; returns it unchanged when nothing matched. */
type StringMask = (value: string) => string;

// The common practical subset of RFC 5322 addresses (letters, digits and ._+- before the @;
// the HTML standard's wider local part would swallow URL text such as '?email='), also when
// the @ is URL-encoded as in a query string (%40).
const EMAIL =
  /[A-Za-z0-9._+-]+(?:@|%40)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;
// 13–19 digits (ISO/IEC 7812 card numbers), optionally grouped by spaces or dashes; a match
// is masked only when its Luhn checksum holds, so that long order ids mostly survive.
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
// International numbers (E.164: '+', country code, up to 15 digits in all) and the North
// American '(555) 123-4567' form. Plain digit runs are left alone: they are too often ids,
// dates or amounts.
const PHONE = /\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\d)|\(\d{3}\) ?\d{3}[ .-]\d{4}(?!\d)/g;

/** The Luhn (mod 10) checksum of ISO/IEC 7812 card numbers. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function digitCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

const BUILTIN: { readonly [K in MaskBuiltin]: StringMask } = {
  email: (v) => (v.includes('@') || v.includes('%40') ? v.replace(EMAIL, MASKED.email) : v),
  card: (v) =>
    digitCount(v) < 13 ? v : v.replace(CARD, (m) => (isLuhnValid(m.replace(/[ -]/g, '')) ? MASKED.card : m)),
  phone: (v) => {
    if (!v.includes('+') && !v.includes('(')) return v;
    return v.replace(PHONE, (m) => {
      const n = digitCount(m);
      return n >= 8 && n <= 15 ? MASKED.phone : m;
    });
  },
};

function stringMask(settings: PrivacySettings): StringMask | null {
  const masks: StringMask[] = settings.maskBuiltins.map((b) => BUILTIN[b]);
  for (const source of settings.maskPatterns) {
    const re = new RegExp(source, 'gu');
    masks.push((v) => v.replace(re, MASKED.pattern));
  }
  if (masks.length === 0) return null;
  return (value) => {
    let out = value;
    for (const mask of masks) out = mask(out);
    return out;
  };
}

/** A compiled set of masking rules (README, "Privacy"): keys first, then value patterns. */
export interface Masker {
  /** Masks an object's values at any depth; the same object when nothing changed. */
  readonly maskObject: (value: Obj) => Obj;
  /** Masks free text (a rejected payload that is not JSON). */
  readonly maskText: (value: string) => string;
}

/** Compiles a project's masking settings; null when it masks nothing. */
export function compileMasker(settings: PrivacySettings): Masker | null {
  const keys = new Set(settings.maskKeys.map((k) => k.toLowerCase()));
  const strings = stringMask(settings);
  if (keys.size === 0 && !strings) return null;
  const isCard = settings.maskBuiltins.includes('card');

  const maskValue = (value: unknown): unknown => {
    if (typeof value === 'string') return strings ? strings(value) : value;
    if (typeof value === 'number') {
      // A card number sent as a JSON number.
      if (!isCard || !Number.isSafeInteger(value) || value < 1e12) return value;
      return isLuhnValid(String(value)) ? MASKED.card : value;
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      value.forEach((item, i) => {
        const masked = maskValue(item);
        if (masked === item) return;
        copy ??= [...value];
        copy[i] = masked;
      });
      return copy ?? value;
    }
    if (typeof value === 'object' && value !== null) return maskObject(value as Obj);
    return value;
  };

  const maskObject = (value: Obj): Obj => {
    let copy: Obj | null = null;
    for (const key in value) {
      const item = value[key];
      const masked =
        keys.size > 0 && item !== null && item !== undefined && keys.has(key.toLowerCase())
          ? MASKED.key
          : maskValue(item);
      if (masked === item) continue;
      copy ??= { ...value };
      copy[key] = masked;
    }
    return copy ?? value;
  };

  const maskText = (text: string): string => {
    try {
      const parsed: unknown = JSON.parse(text);
      const masked = maskValue(parsed);
      return masked === parsed ? text : JSON.stringify(masked);
    } catch {
      return strings ? strings(text) : text;
    }
  };
  return { maskObject, maskText };
}
