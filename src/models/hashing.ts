/**
 * The hashing trick (Weinberger et al., "Feature Hashing for Large Scale Multitask Learning",
 * 2009): a feature's name is hashed to one of 2^bits weight buckets, so the model needs no
 * dictionary and unseen values cost nothing. The hash is MurmurHash3 x86 32-bit (Austin Appleby)
 * over the UTF-8 bytes of the key, the function scikit-learn's FeatureHasher uses
 * (`sklearn.utils.murmurhash3_32`), which the tests use as a reference.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, C1);
  k = rotl(k, 15);
  k = Math.imul(k, C2);
  const h1 = rotl(h ^ k, 13);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

function mixTail(h: number, tail: number): number {
  let k = Math.imul(tail, C1);
  k = rotl(k, 15);
  k = Math.imul(k, C2);
  return h ^ k;
}

function finalize(h: number, length: number): number {
  let x = h ^ length;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** MurmurHash3 x86 32-bit of bytes[0, length), unsigned. */
export function murmur3Bytes(bytes: Uint8Array, length: number, seed: number): number {
  let h = seed | 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(
      h,
      (bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24),
    );
  }
  let tail = 0;
  const rest = length & 3;
  if (rest === 3) tail ^= (bytes[blocks + 2] as number) << 16;
  if (rest >= 2) tail ^= (bytes[blocks + 1] as number) << 8;
  if (rest >= 1) h = mixTail(h, tail ^ (bytes[blocks] as number));
  return finalize(h, length);
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** ASCII text is its own UTF-8: hash the char codes without encoding (the common case). */
function murmur3Ascii(text: string, seed: number): number {
  let h = seed | 0;
  const length = text.length;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(
      h,
      text.charCodeAt(i) |
        (text.charCodeAt(i + 1) << 8) |
        (text.charCodeAt(i + 2) << 16) |
        (text.charCodeAt(i + 3) << 24),
    );
  }
  let tail = 0;
  const rest = length & 3;
  if (rest === 3) tail ^= text.charCodeAt(blocks + 2) << 16;
  if (rest >= 2) tail ^= text.charCodeAt(blocks + 1) << 8;
  if (rest >= 1) h = mixTail(h, tail ^ text.charCodeAt(blocks));
  return finalize(h, length);
}

/** MurmurHash3 x86 32-bit of a string's UTF-8 bytes, unsigned (= murmurhash3_32(s, seed, positive=True)). */
export function murmur3(text: string, seed = 0): number {
  if (isAscii(text)) return murmur3Ascii(text, seed);
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return murmur3Bytes(scratch, written, seed);
}

/**
 * The hash of a crossed feature from its parts' hashes: MurmurHash3 over the 8 bytes of the two
 * 32-bit hashes (little-endian), so a cross costs no string building.
 */
export function hashPair(a: number, b: number, seed: number): number {
  return finalize(mixBlock(mixBlock(seed | 0, a | 0), b | 0), 8);
}
