import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { PathwiseError } from '../core/index.js';

/**
 * scrypt cost: N = 2^15, r = 8, p = 3 (32 MiB per hash), one of the equivalent settings the
 * OWASP Password Storage Cheat Sheet lists (2024). The parameters are stored with each hash,
 * so they can be raised later without invalidating old passwords.
 */
export const SCRYPT_DEFAULTS = { logN: 15, r: 8, p: 3 } as const;

/** scrypt cost parameters; tests may lower logN (at least 10). */
export interface ScryptCost {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

const KEY_BYTES = 32;
const MIN_PASSWORD_CHARS = 10;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Rejects passwords too short to resist guessing (NIST SP 800-63B asks for 8 or more). */
export function checkPasswordStrength(password: string): void {
  if ([...password].length < MIN_PASSWORD_CHARS)
    throw new PathwiseError('PW_USER_INVALID', {
      reason: `a password needs at least ${MIN_PASSWORD_CHARS} characters`,
    });
}

/** Hashes a password as `scrypt$logN$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string, cost: ScryptCost = SCRYPT_DEFAULTS): Promise<string> {
  if (cost.logN < 10 || cost.logN > 20)
    throw new PathwiseError('PW_CONFIG_INVALID', { reason: 'scrypt logN must be 10–20' });
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.logN, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const cost = { logN: Number(logN), r: Number(r), p: Number(p) };
  if (![cost.logN, cost.r, cost.p].every((n) => Number.isInteger(n) && n > 0) || cost.logN > 20) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A random password for a new user when none is given (shown once). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
