/** A computed result and when it was computed. */
export interface CachedResult {
  readonly result: unknown;
  readonly computedAt: number;
}

/**
 * Insight results by key (project and spec), kept for a caller-chosen age and at most `capacity`
 * entries (least recently used out first). Requests for a key that is being computed share the
 * computation, so a dashboard opened in two tabs runs each query once.
 */
export class ResultCache {
  private readonly entries = new Map<string, Promise<CachedResult>>();

  constructor(private readonly capacity = 256) {}

  /** The entry for `key` if younger than `maxAgeMs` (or still computing), else a fresh one from `compute`. */
  async get(
    key: string,
    maxAgeMs: number,
    compute: () => Promise<unknown>,
    nowMs = Date.now(),
  ): Promise<CachedResult & { isCached: boolean }> {
    const hit = this.entries.get(key);
    if (hit) {
      const entry = await hit.catch(() => null);
      if (entry && nowMs - entry.computedAt <= maxAgeMs) {
        this.entries.delete(key);
        this.entries.set(key, hit);
        return { ...entry, isCached: true };
      }
    }
    const pending = compute().then((result) => ({ result, computedAt: Date.now() }));
    this.entries.delete(key);
    this.entries.set(key, pending);
    // A failure is not kept: the next request tries again.
    pending.catch(() => this.entries.get(key) === pending && this.entries.delete(key));
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return { ...(await pending), isCached: false };
  }
}
