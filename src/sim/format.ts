import type { Rng } from './rng.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

const MINUTE_MS = 60_000;
const CACHE_SLOTS = 4;
const cachedMinute = new Float64Array(CACHE_SLOTS).fill(Number.NaN);
const cachedPrefix: string[] = new Array<string>(CACHE_SLOTS).fill('');

/**
 * ISO-8601 with milliseconds, as SDKs send it. Date#toISOString is the slow part of writing a
 * line, so 'YYYY-MM-DDTHH:MM:' is cached per minute in a small direct-mapped cache (a line's
 * timestamp, sentAt and receivedAt, and a household's next events, mostly share the minute).
 */
export function isoMs(ms: number): string {
  const minute = Math.floor(ms / MINUTE_MS);
  const slot = minute & (CACHE_SLOTS - 1);
  if (cachedMinute[slot] !== minute) {
    cachedMinute[slot] = minute;
    cachedPrefix[slot] = new Date(minute * MINUTE_MS).toISOString().slice(0, 17);
  }
  const rest = ms - minute * MINUTE_MS;
  const s = Math.floor(rest / 1000);
  return `${cachedPrefix[slot]}${PAD2[s]}.${PAD3[rest - s * 1000]}Z`;
}

/** A random UUID v4 drawn from the seeded RNG. */
export function uuid(rng: Rng): string {
  const a = rng.u32();
  const b = rng.u32();
  const c = rng.u32();
  const d = rng.u32();
  return (
    `${HEX[a >>> 24]}${HEX[(a >>> 16) & 255]}${HEX[(a >>> 8) & 255]}${HEX[a & 255]}-` +
    `${HEX[b >>> 24]}${HEX[(b >>> 16) & 255]}-4${HEX[(b >>> 8) & 255]?.[1]}${HEX[b & 255]}-` +
    `${HEX[0x80 | ((c >>> 24) & 0x3f)]}${HEX[(c >>> 16) & 255]}-` +
    `${HEX[(c >>> 8) & 255]}${HEX[c & 255]}${HEX[d >>> 24]}${HEX[(d >>> 16) & 255]}${HEX[(d >>> 8) & 255]}${HEX[d & 255]}`
  );
}

/** `count` random lowercase hex characters. */
export function hexId(rng: Rng, count: number): string {
  let out = '';
  while (out.length < count) out += HEX[rng.u32() & 255];
  return out.slice(0, count);
}

/** A UTC calendar date (YYYY-MM-DD) of an instant in ms. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
