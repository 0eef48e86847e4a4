import type { Rng } from './rng.js';

const DAY_MS = 86_400_000;

/** '0'…'f' of each byte, two ASCII codes per byte value. */
const HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const s = i.toString(16).padStart(2, '0');
  HEX[2 * i] = s.charCodeAt(0);
  HEX[2 * i + 1] = s.charCodeAt(1);
}

const ZERO = 48;
const QUOTE = 34;
/** ASCII that JSON.stringify writes as it is (no control characters, quotes or backslashes). */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Strings up to this length are copied by a JS loop; longer ones go to Buffer#write. */
const SHORT = 16;

/**
 * 'YYYY-MM-DDT' of the last few days seen, as bytes, in a small direct-mapped cache (a line's
 * timestamp, sentAt and receivedAt, and a household's next lines, mostly share the day).
 */
const DAY_SLOTS = 8;
const cachedDay = new Float64Array(DAY_SLOTS).fill(Number.NaN);
const cachedDate: Uint8Array[] = Array.from({ length: DAY_SLOTS }, () => new Uint8Array(0));

/**
 * A growable byte buffer that JSON lines are written into as UTF-8, piece by piece: lines are
 * never built as strings, so nothing is concatenated, flattened or encoded twice. Constant
 * fragments are written as pre-encoded bytes, and ASCII text, numbers, timestamps and UUIDs
 * are written byte by byte.
 */
export class LineBuffer {
  /** The buffer; bytes [0, used) are written. Replaced when it grows or is taken. */
  bytes: Buffer;
  used = 0;

  constructor(private readonly initialBytes = 1 << 16) {
    this.bytes = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.used + n > this.bytes.length) this.grow(n);
  }

  /**
   * Hands over bytes [0, end) (default: all written) without copying and starts a new buffer
   * that holds the bytes written after `end`. The returned view owns its whole ArrayBuffer
   * (it can be transferred to another thread).
   */
  take(end = this.used): Buffer {
    const full = this.bytes;
    const rest = this.used - end;
    this.bytes = Buffer.allocUnsafeSlow(Math.max(this.initialBytes, 2 * rest));
    full.copy(this.bytes, 0, end, this.used);
    this.used = rest;
    return full.subarray(0, end);
  }

  /** One byte (an ASCII code). */
  byte(code: number): void {
    this.reserve(1);
    this.bytes[this.used++] = code;
  }

  /** Bytes as they are (a pre-encoded fragment). */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.reserve(n);
    const b = this.bytes;
    let u = this.used;
    if (n <= SHORT) for (let i = 0; i < n; i++) b[u++] = bytes[i] as number;
    else {
      b.set(bytes, u);
      u += n;
    }
    this.used = u;
  }

  /** A string as UTF-8. */
  text(s: string): void {
    const n = s.length;
    this.reserve(3 * n);
    if (n > SHORT) {
      this.used += this.bytes.write(s, this.used);
      return;
    }
    const b = this.bytes;
    let u = this.used;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.used += this.bytes.write(s, this.used);
        return;
      }
      b[u++] = c;
    }
    this.used = u;
  }

  /** A string as JSON.stringify writes it (quoted and escaped). */
  jsonString(s: string): void {
    if (!PLAIN_ASCII.test(s)) {
      this.text(JSON.stringify(s));
      return;
    }
    const n = s.length;
    this.reserve(n + 2);
    const b = this.bytes;
    let u = this.used;
    b[u++] = QUOTE;
    if (n > SHORT) u += b.write(s, u, 'latin1');
    else for (let i = 0; i < n; i++) b[u++] = s.charCodeAt(i);
    b[u++] = QUOTE;
    this.used = u;
  }

  /** A non-negative integer in decimal. */
  uint(value: number): void {
    if (value < 10) {
      this.byte(ZERO + value);
      return;
    }
    this.text(String(value));
  }

  /** An instant as Date#toISOString writes it (YYYY-MM-DDTHH:MM:SS.mmmZ, years 0–9999). */
  iso(ms: number): void {
    const day = Math.floor(ms / DAY_MS);
    const slot = day & (DAY_SLOTS - 1);
    if (cachedDay[slot] !== day) {
      cachedDay[slot] = day;
      cachedDate[slot] = Buffer.from(new Date(day * DAY_MS).toISOString().slice(0, 11), 'latin1');
    }
    const date = cachedDate[slot] as Uint8Array;
    this.reserve(24);
    const b = this.bytes;
    let u = this.used;
    for (let i = 0; i < 11; i++) b[u++] = date[i] as number;
    // Integer arithmetic: the time of day is below 2^31.
    let rest = (ms - day * DAY_MS) | 0;
    const h = (rest / 3_600_000) | 0;
    rest -= h * 3_600_000;
    const m = (rest / 60_000) | 0;
    rest -= m * 60_000;
    const s = (rest / 1000) | 0;
    const milli = rest - s * 1000;
    const h10 = (h / 10) | 0;
    const m10 = (m / 10) | 0;
    const s10 = (s / 10) | 0;
    const ms100 = (milli / 100) | 0;
    const ms10 = ((milli / 10) | 0) - 10 * ms100;
    b[u++] = ZERO + h10;
    b[u++] = ZERO + h - 10 * h10;
    b[u++] = 58;
    b[u++] = ZERO + m10;
    b[u++] = ZERO + m - 10 * m10;
    b[u++] = 58;
    b[u++] = ZERO + s10;
    b[u++] = ZERO + s - 10 * s10;
    b[u++] = 46;
    b[u++] = ZERO + ms100;
    b[u++] = ZERO + ms10;
    b[u++] = ZERO + milli - 10 * ((milli / 10) | 0);
    b[u++] = 90;
    this.used = u;
  }

  /** A random UUID v4 drawn from the seeded RNG, the same as format.ts's uuid(rng). */
  uuid(rng: Rng): void {
    const a = rng.u32();
    const b = rng.u32();
    const c = rng.u32();
    const d = rng.u32();
    this.reserve(36);
    const out = this.bytes;
    let u = this.used;
    u = hex2(out, u, a >>> 24);
    u = hex2(out, u, (a >>> 16) & 255);
    u = hex2(out, u, (a >>> 8) & 255);
    u = hex2(out, u, a & 255);
    out[u++] = 45;
    u = hex2(out, u, b >>> 24);
    u = hex2(out, u, (b >>> 16) & 255);
    out[u++] = 45;
    out[u++] = 52;
    out[u++] = HEX[2 * ((b >>> 8) & 15) + 1] as number;
    u = hex2(out, u, b & 255);
    out[u++] = 45;
    u = hex2(out, u, 0x80 | ((c >>> 24) & 0x3f));
    u = hex2(out, u, (c >>> 16) & 255);
    out[u++] = 45;
    u = hex2(out, u, (c >>> 8) & 255);
    u = hex2(out, u, c & 255);
    u = hex2(out, u, d >>> 24);
    u = hex2(out, u, (d >>> 16) & 255);
    u = hex2(out, u, (d >>> 8) & 255);
    u = hex2(out, u, d & 255);
    this.used = u;
  }

  /** A copy of bytes [from, used) (for fragments written once and used many times). */
  copy(from = 0): Uint8Array {
    return Buffer.from(this.bytes.subarray(from, this.used));
  }

  /** Moves the lines [starts[k], ends[k]) of [from, used) into the given order, in place. */
  reorder(from: number, starts: readonly number[], ends: readonly number[], order: readonly number[]): void {
    const copy = Buffer.from(this.bytes.subarray(from, this.used));
    let u = from;
    for (const k of order) {
      const start = (starts[k] as number) - from;
      const end = (ends[k] as number) - from;
      copy.copy(this.bytes, u, start, end);
      u += end - start;
    }
  }

  private grow(n: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.used + n));
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
}

/** Writes byte x as two lowercase hex digits at u; returns the next offset. */
function hex2(out: Uint8Array, u: number, x: number): number {
  out[u] = HEX[2 * x] as number;
  out[u + 1] = HEX[2 * x + 1] as number;
  return u + 2;
}

/** A string's UTF-8 bytes (for fragments encoded once and written many times). */
export function utf8(s: string): Uint8Array {
  return Buffer.from(s);
}
