import { listDashboardInsights, type Warehouse } from '../store/index.js';
import { type AnySpec, parseAnySpec, runAnySpec } from './query-request.js';
import type { ResultCache } from './result-cache.js';

/** The cache key of a spec's result in a project (shared by the result route and the refresher). */
export function resultKey(projectId: string, spec: AnySpec): string {
  return `${projectId}\n${JSON.stringify(spec)}`;
}

/** Tuning of the tile refresher. */
export interface TileRefresherOptions {
  /** Wait after start-up or a data change before a round, so that a burst becomes one (ms). */
  readonly delayMs?: number;
  /** Rounds start at least this far apart (ms). */
  readonly minIntervalMs?: number;
  /** A round also runs this long after the last one without any data change (ms; 0: never). */
  readonly periodMs?: number;
  /** At most this many insights per round. */
  readonly maxInsights?: number;
  readonly onRound?: (round: RefreshRound) => void;
  readonly onError?: (err: unknown) => void;
}

/** What a round did. */
export interface RefreshRound {
  readonly insights: number;
  readonly computed: number;
  readonly failed: number;
  readonly ms: number;
}

/**
 * Keeps the results of the insights on saved dashboards warm in the result cache (as PostHog and
 * Amplitude refresh dashboard tiles on the server): a round after start-up, after data changes
 * and periodically, so that the first viewer reads from the cache. One round at a time, one
 * insight at a time, rounds at least `minIntervalMs` apart; a failure is reported, never thrown.
 */
export class TileRefresher {
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private running: Promise<void> | null = null;
  private isDirty = false;
  private isClosed = false;
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private readonly delayMs: number;
  private readonly minIntervalMs: number;
  private readonly periodMs: number;

  constructor(
    private readonly wh: Warehouse,
    private readonly cache: ResultCache,
    private readonly options: TileRefresherOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 500;
    this.minIntervalMs = options.minIntervalMs ?? 15_000;
    this.periodMs = options.periodMs ?? 240_000;
  }

  /** Schedules a round soon: after start-up, and whenever committed data has changed. */
  notify(): void {
    if (this.isClosed) return;
    this.isDirty = true;
    if (this.running) return;
    const sinceLast = Date.now() - this.lastStartedAt;
    this.schedule(Math.max(this.delayMs, this.minIntervalMs - sinceLast));
  }

  /** Resolves once no round is running and no data change waits for one (runs a due one now). */
  async whenIdle(): Promise<void> {
    for (let i = 0; i < 100 && !this.isClosed; i++) {
      if (this.isDirty && this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        this.running = this.round();
      }
      if (!this.running) return;
      await this.running;
    }
  }

  /** Finishes the running round and schedules no more. */
  async close(): Promise<void> {
    this.isClosed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sets the timer to fire in `ms`, unless it is already due sooner. */
  private schedule(ms: number): void {
    const dueAt = Date.now() + ms;
    if (this.timer && this.timerDueAt <= dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.round();
    }, ms);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const started = Date.now();
    this.lastStartedAt = started;
    this.isDirty = false;
    let insights = 0;
    let computed = 0;
    let failed = 0;
    try {
      const listed = await listDashboardInsights(this.wh, this.options.maxInsights ?? 100);
      insights = listed.length;
      for (const insight of listed) {
        if (this.isClosed) break;
        try {
          const spec = parseAnySpec(insight.spec);
          const key = resultKey(insight.projectId, spec);
          if (this.isFresh(key)) continue;
          await this.cache.refresh(key, () => runAnySpec(this.wh, insight.projectId, spec));
          computed++;
        } catch (err) {
          failed++;
          this.options.onError?.(err);
        }
      }
      this.options.onRound?.({ insights, computed, failed, ms: Date.now() - started });
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.running = null;
      if (!this.isClosed) {
        if (this.isDirty) this.notify();
        else if (this.periodMs > 0) this.schedule(this.periodMs);
      }
    }
  }

  /** A result of the current data, young enough to outlive the next periodic round. */
  private isFresh(key: string): boolean {
    const latest = this.cache.peek(key);
    if (!latest || latest.dataVersion !== this.cache.dataVersion) return false;
    return this.periodMs <= 0 || Date.now() - latest.computedAt < this.periodMs / 2;
  }
}
