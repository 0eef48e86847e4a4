import { describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_DEFAULTS, verifyPassword } from './passwords.js';

/*
 * Known answer: RFC 7914 §12, second test vector — scrypt(P = "password", S = "NaCl", N = 1024,
 * r = 8, p = 16, dkLen = 64). Pathwise keeps 32 bytes; PBKDF2's output blocks are independent,
 * so they are the vector's first 32 bytes.
 */
const RFC7914_FIRST_32 = 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162';

describe('password hashing (scrypt)', () => {
  it('verifies the RFC 7914 test vector stored in Pathwise’s format', async () => {
    const salt = Buffer.from('NaCl').toString('base64url');
    const hash = Buffer.from(RFC7914_FIRST_32, 'hex').toString('base64url');
    const stored = `scrypt$10$8$16$${salt}$${hash}`;
    expect(await verifyPassword('password', stored)).toBe(true);
    expect(await verifyPassword('Password', stored)).toBe(false);
  });

  it('hashes with the default cost and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(
      new RegExp(`^scrypt\\$${SCRYPT_DEFAULTS.logN}\\$8\\$3\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`),
    );
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
  });

  it('treats a malformed or foreign hash as a mismatch', async () => {
    for (const stored of [
      '',
      'plain',
      'bcrypt$10$abc',
      'scrypt$x$8$1$c2FsdA$aGFzaA',
      'scrypt$40$8$1$c2FsdA$aGFzaA',
    ])
      expect(await verifyPassword('x', stored), stored).toBe(false);
  });
});
