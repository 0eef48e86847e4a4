import type { Warehouse } from '../store/index.js';
import { DedupIndex } from './dedup.js';
import { IngestWriter, type WriterOptions } from './writer.js';

/** Primes the dedup index from the store and returns a group-commit writer over it. */
export async function startIngest(wh: Warehouse, options: WriterOptions = {}): Promise<IngestWriter> {
  const dedup = new DedupIndex();
  await dedup.prime(wh);
  return new IngestWriter(wh, dedup, options);
}
