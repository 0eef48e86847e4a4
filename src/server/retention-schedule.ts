import { type PrivacyPolicy, runRetention } from '../privacy/index.js';
import type { Warehouse } from '../store/index.js';

/**
 * Runs retention (README, "Privacy") and deletes past cookieless salts on a timer, off the
 * ingest path: once shortly after the start, then every `intervalMs`.
 */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private isClosed = false;

  constructor(
    private readonly wh: Warehouse,
    private readonly privacy: PrivacyPolicy,
    private readonly options: {
      intervalMs: number;
      onError: (err: unknown) => void;
      /** After a run that may have deleted rows. */
      onRun?: () => void;
    },
  ) {
    if (options.intervalMs > 0) this.schedule(Math.min(options.intervalMs, 60_000));
  }

  private schedule(delayMs: number): void {
    if (this.isClosed) return;
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => {
        this.running = null;
        this.schedule(this.options.intervalMs);
      });
    }, delayMs);
    // Retention never keeps a process alive on its own.
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      await this.privacy.salts.rotateNow();
      await runRetention(this.wh);
      this.options.onRun?.();
    } catch (err) {
      this.options.onError(err);
    }
  }

  /** Stops the timer and waits for a run in progress. */
  async close(): Promise<void> {
    this.isClosed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
