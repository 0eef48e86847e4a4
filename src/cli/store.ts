import { openWarehouse, type Warehouse } from '../store/index.js';

/** Opens the store for one command and always closes it. */
export async function withStore<T>(
  path: string,
  isReadOnly: boolean,
  fn: (wh: Warehouse) => Promise<T>,
): Promise<T> {
  const wh = await openWarehouse({ path, isReadOnly });
  try {
    return await fn(wh);
  } finally {
    await wh.close();
  }
}
