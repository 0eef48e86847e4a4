import { PathwiseError } from '../core/index.js';
import type { Row, Warehouse } from './warehouse.js';

/**
 * Runs user SQL on a store opened read-only: DuckDB itself refuses every write, so no keyword
 * filtering is needed (or trusted). DuckDB's own error text is passed on.
 */
export async function runReadOnlySql(wh: Warehouse, sql: string): Promise<Row[]> {
  if (!wh.isReadOnly)
    throw new PathwiseError('PW_STORE_READ_ONLY', { reason: 'the store is open read-write' });
  try {
    return await wh.all({ sql });
  } catch (err) {
    throw new PathwiseError('PW_STORE_SQL_ERROR', {
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}
