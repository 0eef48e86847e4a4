/**
 * A bounded memo with O(1) hits and no per-hit bookkeeping: two generations of `Map`.
 * New keys go into the young map; when it reaches `capacity` it becomes the old map and
 * the previous old map is dropped. A hit in the old map is copied into the young one, so
 * keys in use survive rotation and keys not seen for `capacity` insertions are evicted.
 * This is the approximation of LRU that sindresorhus/quick-lru uses (after
 * dominictarr/hashlru); memory stays under 2 × `capacity` entries.
 */
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  get(key: K): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  set(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  /** Entries held in both generations (a promoted key counts twice); at most 2 × capacity. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
