/** A computed result, when its computation started and which data it saw. */
export interface CachedResult {
  readonly result: unknown;
  /**
   * When the computation started (ms). Data committed after it may be missing from the result,
   * so this, not the end of the computation, is the age a viewer is shown.
   */
  readonly computedAt: number;
  /** The cache's data version when the computation started. */
  readonly dataVersion: number;
}

/** A result as answered: from the cache or not, and whether data has changed since. */
export type AnsweredResult = CachedResult & { readonly isCached: boolean; readonly isStale: boolean };

interface Pending {
  readonly promise: Promise<CachedResult>;
  readonly startedAt: number;
  readonly dataVersion: number;
}

interface Entry {
  latest: CachedResult | null;
  pending: Pending | null;
}

/**
 * Insight results by key (project and spec), kept for a caller-chosen age and at most `capacity`
 * entries (least recently used out first). Requests for a key that is being computed share the
 * computation, so a dashboard opened in two tabs runs each query once; while a result is being
 * recomputed, the previous one is still answered (with its own age). `dataChanged` marks every
 * result computed before it as stale: it is still answered within its age, flagged `isStale`.
 */
export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  private version = 0;

  constructor(private readonly capacity = 256) {}

  /** Increases with every change of the data (commits, identity and sessions passes). */
  get dataVersion(): number {
    return this.version;
  }

  /** Called when committed data changed: every result computed before now is stale. */
  dataChanged(): void {
    this.version++;
  }

  /** The newest finished result for `key`, without computing or reordering. */
  peek(key: string): CachedResult | undefined {
    return this.entries.get(key)?.latest ?? undefined;
  }

  /**
   * The entry for `key` if it started at most `maxAgeMs` ago (waiting for it if still computing),
   * else a fresh one from `compute`. `maxAgeMs` 0 always recomputes.
   */
  async get(
    key: string,
    maxAgeMs: number,
    compute: () => Promise<unknown>,
    nowMs = Date.now(),
  ): Promise<AnsweredResult> {
    const entry = this.touch(key);
    const isYoung = (startedAt: number) => maxAgeMs > 0 && nowMs - startedAt <= maxAgeMs;
    if (entry.latest && isYoung(entry.latest.computedAt)) return this.answer(entry.latest, true);
    if (entry.pending && isYoung(entry.pending.startedAt)) {
      return this.answer(await entry.pending.promise, true);
    }
    return this.answer(await this.start(entry, compute, nowMs), false);
  }

  /**
   * Recomputes `key` (joining a computation in flight that started after the last data change);
   * readers get the previous result until it is done. Rejects when the computation fails.
   */
  async refresh(key: string, compute: () => Promise<unknown>): Promise<CachedResult> {
    const entry = this.touch(key);
    if (entry.pending && entry.pending.dataVersion === this.version) return entry.pending.promise;
    return this.start(entry, compute, Date.now());
  }

  private answer(r: CachedResult, isCached: boolean): AnsweredResult {
    return { ...r, isCached, isStale: r.dataVersion !== this.version };
  }

  private touch(key: string): Entry {
    const entry = this.entries.get(key) ?? { latest: null, pending: null };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return entry;
  }

  private start(entry: Entry, compute: () => Promise<unknown>, nowMs: number): Promise<CachedResult> {
    const dataVersion = this.version;
    const promise = compute().then((result) => ({ result, computedAt: nowMs, dataVersion }));
    const pending = { promise, startedAt: nowMs, dataVersion };
    entry.pending = pending;
    // A failure is not kept: the previous result stays and the next request tries again.
    promise.then(
      (r) => {
        if (!entry.latest || entry.latest.computedAt <= r.computedAt) entry.latest = r;
        if (entry.pending === pending) entry.pending = null;
      },
      () => {
        if (entry.pending === pending) entry.pending = null;
      },
    );
    return promise;
  }
}
