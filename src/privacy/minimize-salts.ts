import { createHash, randomBytes } from 'node:crypto';
import { nowUs } from '../core/index.js';
import type { Warehouse } from '../store/index.js';

/** A UTC day as 'YYYY-MM-DD'. */
function dayOf(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 10);
}

/** Salts of past or future days (imports) live in memory only; at most this many. */
const MAX_EPHEMERAL_SALTS = 1024;

/**
 * Daily salts for cookieless ids, as Plausible does
 * (https://plausible.io/data-policy#how-we-count-unique-users-without-cookies): one random salt
 * per UTC day of receipt; when the day turns, the new salt is stored and every older one is
 * deleted, so an id cannot be recomputed, or linked to the same visitor, after its day. Only the
 * current day's salt is ever stored (a restart within the day keeps ids stable); days other than
 * today (imports of old archives) get salts that live in memory only.
 */
export class SaltStore {
  private today: { day: string; salt: Buffer } | null = null;
  private readonly ephemeral = new Map<string, Buffer>();
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly wh: Warehouse,
    private readonly clockUs: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Loads today's salt, if stored, and deletes older ones. */
  static async open(
    wh: Warehouse,
    options: { clockUs?: () => number; onError?: (err: unknown) => void } = {},
  ): Promise<SaltStore> {
    const store = new SaltStore(wh, options.clockUs ?? nowUs, options.onError ?? (() => undefined));
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    const day = dayOf(this.clockUs());
    const rows = this.wh.isReadOnly
      ? []
      : await this.wh.all({
          sql: 'SELECT salt FROM cookieless_salts WHERE day = $1::DATE',
          params: [day],
        });
    const salt = rows[0]?.salt;
    if (typeof salt === 'string') this.today = { day, salt: Buffer.from(salt, 'hex') };
    if (!this.wh.isReadOnly) await this.rotate(day, null);
  }

  /** Stores the new day's salt (when given) and deletes every older one. */
  private async rotate(day: string, salt: Buffer | null): Promise<void> {
    if (salt) {
      await this.wh.run({
        sql: `INSERT INTO cookieless_salts VALUES ($1::DATE, $2, now()::TIMESTAMP)
              ON CONFLICT (day) DO NOTHING`,
        params: [day, salt.toString('hex')],
      });
    }
    await this.wh.run({ sql: 'DELETE FROM cookieless_salts WHERE day < $1::DATE', params: [day] });
  }

  /** The salt of the UTC day of a receipt time; creates (and stores) today's when the day turns. */
  saltFor(receivedAtUs: number): Buffer {
    const day = dayOf(receivedAtUs);
    const today = dayOf(this.clockUs());
    if (day !== today) return this.ephemeralSalt(day);
    if (this.today?.day !== day) {
      const salt = randomBytes(32);
      this.today = { day, salt };
      this.ephemeral.delete(day);
      // The id is computed now; storing the salt only keeps ids stable across a restart today.
      this.pending = this.pending.then(() => this.rotate(day, salt)).catch(this.onError);
    }
    return this.today.salt;
  }

  private ephemeralSalt(day: string): Buffer {
    let salt = this.ephemeral.get(day);
    if (!salt) {
      if (this.ephemeral.size >= MAX_EPHEMERAL_SALTS) this.ephemeral.clear();
      salt = randomBytes(32);
      this.ephemeral.set(day, salt);
    }
    return salt;
  }

  /** Deletes stored salts of days before today (the retention job calls it too). */
  async rotateNow(): Promise<void> {
    await this.pending;
    const today = dayOf(this.clockUs());
    if (this.today && this.today.day < today) this.today = null;
    await this.rotate(today, null);
  }

  /** Resolves once the last salt change is stored. */
  flush(): Promise<void> {
    return this.pending;
  }
}

/**
 * The cookieless anonymous id: a hash of (the day's salt, project, IP, user agent), the scheme
 * of Plausible's data policy. The same visitor gets the same id within a UTC day and an
 * unrelated one the next day.
 */
export function cookielessId(
  salt: Buffer,
  projectId: string,
  ip: string | null,
  userAgent: string | null,
): string {
  const hash = createHash('sha256')
    .update(salt)
    .update(`\u0000${projectId}\u0000${ip ?? ''}\u0000${userAgent ?? ''}`)
    .digest('base64url');
  return `ck_${hash.slice(0, 22)}`;
}
