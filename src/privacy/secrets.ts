import { randomBytes } from 'node:crypto';
import type { Warehouse } from '../store/index.js';

/**
 * A server secret (e.g. the session-cookie signing key), generated on first use and kept in
 * the database so that sessions survive restarts; whoever can read the file can read it.
 */
export async function ensureSecret(wh: Warehouse, name: string): Promise<string> {
  const read = async () =>
    (await wh.all({ sql: 'SELECT value FROM server_secrets WHERE name = $1', params: [name] }))[0]?.value;
  const existing = await read();
  if (existing !== undefined) return String(existing);
  await wh.run({
    sql: `INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, now()::TIMESTAMP)
          ON CONFLICT (name) DO NOTHING`,
    params: [name, randomBytes(32).toString('base64url')],
  });
  return String(await read());
}
