import type { Warehouse } from '../store/index.js';

/** Scrub tables, so that a crash mid-scrub leaves nothing a later scrub cannot drop. */
const MAX_PASSES = 8;
const scrubTable = (pass: number) => `pw_scrub_${pass}`;
/** gen_random_uuid() values are 16 random bytes: no compression shrinks them. */
const UUID_BYTES = 16;

/** What a scrub did. */
export interface ScrubReport {
  readonly freeBlocksBefore: number;
  readonly blocksOverwritten: number;
  readonly passes: number;
}

async function freeBlocks(wh: Warehouse): Promise<{ free: number; blockSize: number }> {
  const row = (await wh.all({ sql: 'PRAGMA database_size' }))[0] ?? {};
  return { free: Number(row.free_blocks ?? 0), blockSize: Number(row.block_size ?? 262_144) };
}

/**
 * Overwrites the file's free blocks. DuckDB frees the blocks of deleted row groups at a
 * checkpoint but leaves their bytes in the file (its docs: only a copy of the database compacts
 * it), and reuses free blocks before it grows the file. So filling every free block with random
 * data, checkpointing and dropping it again leaves random bytes where deleted rows were; the
 * file's trailing free blocks are truncated by the last checkpoint. Test: privacy erasure test.
 */
export async function scrubFreeBlocks(wh: Warehouse): Promise<ScrubReport> {
  for (let pass = 0; pass < MAX_PASSES; pass++)
    await wh.run({ sql: `DROP TABLE IF EXISTS ${scrubTable(pass)}` });
  const before = await freeBlocks(wh);
  let overwritten = 0;
  let passes = 0;
  for (let state = before; state.free > 0 && passes < MAX_PASSES; state = await freeBlocks(wh)) {
    const rows = Math.ceil((state.free * state.blockSize) / UUID_BYTES) + 2048;
    await wh.run({
      sql: `CREATE TABLE ${scrubTable(passes)} AS SELECT gen_random_uuid() AS f FROM range(${rows})`,
    });
    await wh.run({ sql: 'FORCE CHECKPOINT' });
    overwritten += state.free;
    passes++;
  }
  for (let pass = 0; pass < passes; pass++) await wh.run({ sql: `DROP TABLE ${scrubTable(pass)}` });
  await wh.run({ sql: 'FORCE CHECKPOINT' });
  return { freeBlocksBefore: before.free, blocksOverwritten: overwritten, passes };
}
