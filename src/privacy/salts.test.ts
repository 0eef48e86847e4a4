import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../store/index.js';
import { cookielessId, SaltStore } from './index.js';

const HOUR_US = 3_600_000_000;
const DAY1 = Date.UTC(2024, 2, 1, 0, 30) * 1000;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0';

describe('cookieless ids and daily salts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathwise-salts-'));
  let wh: Warehouse;
  let now = DAY1;
  const clockUs = () => now;
  beforeAll(async () => {
    wh = await openWarehouse({ path: join(dir, 'salts.duckdb'), threads: 1 });
  });
  afterAll(async () => {
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const idAt = (store: SaltStore, ua = UA, ip = '203.0.113.9') =>
    cookielessId(store.saltFor(now), 'p1', ip, ua);
  const storedDays = async () =>
    (await wh.all({ sql: "SELECT strftime(day, '%Y-%m-%d') AS d FROM cookieless_salts ORDER BY day" })).map(
      (r) => r.d,
    );

  it('gives a visitor the same id all day, and another visitor another id', async () => {
    const store = await SaltStore.open(wh, { clockUs });
    const morning = idAt(store);
    now = DAY1 + 23 * HOUR_US; // 23:30 the same UTC day
    expect(idAt(store)).toBe(morning);
    expect(idAt(store, 'Mozilla/5.0 (iPhone) Safari/604.1')).not.toBe(morning);
    expect(idAt(store, UA, '203.0.113.10')).not.toBe(morning);
    expect(cookielessId(store.saltFor(now), 'p2', '203.0.113.9', UA)).not.toBe(morning);
    await store.flush();
    expect(await storedDays()).toEqual(['2024-03-01']);
  });

  it('keeps the id across a restart within the day (the salt is stored)', async () => {
    const first = await SaltStore.open(wh, { clockUs });
    const before = idAt(first);
    const second = await SaltStore.open(wh, { clockUs });
    expect(idAt(second)).toBe(before);
  });

  it('changes the id when the day turns and deletes the old salt', async () => {
    const store = await SaltStore.open(wh, { clockUs });
    const dayOne = idAt(store);
    now = DAY1 + 24 * HOUR_US; // 00:30 the next day
    const dayTwo = idAt(store);
    expect(dayTwo).not.toBe(dayOne);
    await store.flush();
    expect(await storedDays()).toEqual(['2024-03-02']);
    // The first day's id cannot be recomputed: a receipt time on that day gets a fresh salt.
    expect(cookielessId(store.saltFor(DAY1), 'p1', '203.0.113.9', UA)).not.toBe(dayOne);
    expect(await storedDays()).toEqual(['2024-03-02']);
  });
});
