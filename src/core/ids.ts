import { createHash, randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random base62 string; 22 characters carry about 131 bits. */
export function randomToken(length = 22): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const byte = bytes[i] ?? 0;
    // Reject bytes past the largest multiple of 62 so that every character is equally likely.
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out.length === length ? out : out + randomToken(length - out.length);
}

/** A message id for a message that came without one. */
export function newMessageId(): string {
  return randomUUID();
}

/** The SHA-256 of an API key, hex: keys are stored hashed, never in the clear. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
