import { hashKey, randomToken } from '../core/index.js';
import type { Warehouse } from '../store/index.js';
import { verifyPassword } from './passwords.js';
import { findUserWithHash, type User } from './users.js';

/** How long a login lasts (absolute, not sliding). */
export const SESSION_TTL_MS = 7 * 24 * 3_600_000;

// Verified when the user is unknown, so that a wrong name costs as long as a wrong password.
const DUMMY_HASH = 'scrypt$15$8$3$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Checks a name and password; the user when they match, else null (same time either way). */
export async function checkLogin(wh: Warehouse, name: string, password: string): Promise<User | null> {
  const user = await findUserWithHash(wh, name);
  const isValid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !isValid) return null;
  return { userId: user.userId, name: user.name, createdAt: user.createdAt };
}

/** Starts a session: returns the token for the cookie; only its SHA-256 is stored. */
export async function startSession(wh: Warehouse, userId: string, address: string | null): Promise<string> {
  const token = randomToken(32);
  await wh.run({
    sql: `INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at, address)
          VALUES ($1, $2, now()::TIMESTAMP, now()::TIMESTAMP + to_milliseconds($3), $4)`,
    params: [hashKey(token), userId, SESSION_TTL_MS, address],
  });
  return token;
}

/** The user of a live session token (not expired, not logged out); null otherwise. */
export async function findSessionUser(wh: Warehouse, token: string): Promise<User | null> {
  const rows = await wh.all({
    sql: `SELECT u.user_id, u.name, u.created_at FROM auth_sessions s JOIN users u USING (user_id)
          WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()::TIMESTAMP`,
    params: [hashKey(token)],
  });
  const row = rows[0];
  return row
    ? { userId: String(row.user_id), name: String(row.name), createdAt: String(row.created_at) }
    : null;
}

/** Ends a session (logout); idempotent. */
export async function endSession(wh: Warehouse, token: string): Promise<void> {
  await wh.run({
    sql: 'UPDATE auth_sessions SET revoked_at = now()::TIMESTAMP WHERE token_hash = $1 AND revoked_at IS NULL',
    params: [hashKey(token)],
  });
}
