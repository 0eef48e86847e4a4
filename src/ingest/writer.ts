import { type EventRow, PathwiseError, type RejectedRow, type RejectionCode } from '../core/index.js';
import type { Warehouse } from '../store/index.js';
import type { DedupIndex } from './dedup.js';
import type { IngestPolicy, MinimizeRules } from './policy.js';

/** What one submission became once its group was committed. */
export interface CommitResult {
  readonly accepted: number;
  readonly duplicates: number;
  /** Positions of the duplicates in the submitted events (after the policy's screen, when there is one). */
  readonly duplicateIndexes: readonly number[];
  readonly rejected: number;
  /** Events dropped before commit because their person opted out (not in accepted). */
  readonly optedOut: number;
}

/** Observes commits: the server feeds its metrics from here. */
export interface WriterObserver {
  onCommit?(info: {
    latencyMs: number;
    accepted: number;
    duplicates: number;
    rejectedByCode: ReadonlyMap<RejectionCode, number>;
  }): void;
}

/** Group-commit tuning. */
export interface WriterOptions {
  /** Wait this long for more submissions before committing when idle (ms). */
  readonly maxDelayMs?: number;
  /** Commit as soon as this many events wait. */
  readonly maxBatchEvents?: number;
  readonly observer?: WriterObserver;
  /** Privacy rules: minimization per message, opt-out screening per submission (README, "Privacy"). */
  readonly policy?: IngestPolicy;
}

interface Pending {
  readonly events: readonly EventRow[];
  readonly rejected: readonly RejectedRow[];
  /** Also look for the ids in the whole table (imports: archives may be older than the horizon). */
  readonly isHistoryChecked: boolean;
  readonly resolve: (r: Omit<CommitResult, 'optedOut'>) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit: submissions that arrive while a commit runs (or within maxDelayMs) are written
 * in one transaction, and each is answered only after that transaction is durable.
 */
export class IngestWriter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private isFlushing = false;
  private timer: NodeJS.Timeout | null = null;
  private isClosed = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(
    private readonly wh: Warehouse,
    private readonly dedup: DedupIndex,
    private readonly options: WriterOptions = {},
  ) {}

  /** The minimization rules of a project (none without a policy). */
  rulesFor(projectId: string): MinimizeRules | null {
    return this.options.policy?.rulesFor(projectId) ?? null;
  }

  /**
   * Queues events and rejected events; resolves once they are committed. The policy's screen
   * runs first, so that nothing of an opted-out person is ever queued.
   */
  async submit(
    events: readonly EventRow[],
    rejected: readonly RejectedRow[] = [],
    options: { isHistoryChecked?: boolean } = {},
  ): Promise<CommitResult> {
    if (this.isClosed) throw new PathwiseError('PW_INGEST_SHUTTING_DOWN');
    const policy = this.options.policy;
    if (!policy) return { ...(await this.enqueue(events, rejected, options)), optedOut: 0 };
    const screened = await policy.screen([...events], [...rejected]);
    if (this.isClosed) throw new PathwiseError('PW_INGEST_SHUTTING_DOWN');
    const result = await this.enqueue(screened.events, screened.rejected, options);
    return { ...result, optedOut: screened.optedOut };
  }

  private enqueue(
    events: readonly EventRow[],
    rejected: readonly RejectedRow[],
    options: { isHistoryChecked?: boolean },
  ): Promise<Omit<CommitResult, 'optedOut'>> {
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0 && !this.isFlushing) {
        this.idle = new Promise((r) => {
          this.markIdle = r;
        });
      }
      this.queue.push({
        events,
        rejected,
        isHistoryChecked: options.isHistoryChecked ?? false,
        resolve,
        reject,
      });
      this.queuedEvents += events.length + rejected.length;
      this.schedule();
    });
  }

  /** Stops taking submissions and waits until every queued one is committed. */
  async close(): Promise<void> {
    this.isClosed = true;
    this.schedule(true);
    await this.idle;
  }

  private schedule(isNow = false): void {
    if (this.isFlushing || this.queue.length === 0) return;
    const maxBatch = this.options.maxBatchEvents ?? 20_000;
    if (isNow || this.isClosed || this.queuedEvents >= maxBatch || !this.options.maxDelayMs) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      setImmediate(() => void this.flush());
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.options.maxDelayMs);
    }
  }

  private async flush(): Promise<void> {
    if (this.isFlushing || this.queue.length === 0) return;
    this.isFlushing = true;
    const group = this.queue;
    this.queue = [];
    this.queuedEvents = 0;
    try {
      await this.commitGroup(group);
    } finally {
      this.isFlushing = false;
      if (this.queue.length > 0) this.schedule(true);
      else this.markIdle();
    }
  }

  private async historyDuplicates(group: readonly Pending[]): Promise<Set<string>> {
    const byProject = new Map<string, string[]>();
    for (const p of group) {
      if (!p.isHistoryChecked) continue;
      for (const e of p.events) {
        const ids = byProject.get(e.projectId) ?? [];
        ids.push(e.messageId);
        byProject.set(e.projectId, ids);
      }
    }
    const found = new Set<string>();
    for (const [projectId, ids] of byProject) {
      const rows = await this.wh.all({
        sql: 'SELECT message_id FROM events WHERE project_id = $1 AND message_id IN (SELECT unnest($2::VARCHAR[]))',
        params: [projectId, ids],
      });
      for (const r of rows) found.add(`${projectId}\u0000${String(r.message_id)}`);
    }
    return found;
  }

  private async commitGroup(group: readonly Pending[]): Promise<void> {
    const started = performance.now();
    try {
      const inHistory = await this.historyDuplicates(group);
      const inGroup = new Set<string>();
      const toStore: EventRow[] = [];
      const rejected: RejectedRow[] = [];
      const results = group.map((p) => {
        const duplicateIndexes: number[] = [];
        p.events.forEach((e, i) => {
          const key = `${e.projectId}\u0000${e.messageId}`;
          if (inGroup.has(key) || inHistory.has(key) || this.dedup.has(e.projectId, e.messageId)) {
            duplicateIndexes.push(i);
          } else {
            inGroup.add(key);
            toStore.push(e);
          }
        });
        rejected.push(...p.rejected);
        const accepted = p.events.length - duplicateIndexes.length;
        return {
          accepted,
          duplicates: duplicateIndexes.length,
          duplicateIndexes,
          rejected: p.rejected.length,
        };
      });
      await this.wh.appendBatch(toStore, rejected);
      for (const e of toStore) this.dedup.add(e.projectId, e.messageId, e.insertedAtUs);
      this.dedup.prune();
      group.forEach((p, i) => {
        p.resolve(results[i] as Omit<CommitResult, 'optedOut'>);
      });
      this.report(started, toStore.length, results, rejected);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const failure = new PathwiseError('PW_INGEST_COMMIT_FAILED', { reason }, { cause: err });
      for (const p of group) p.reject(failure);
    }
  }

  private report(
    started: number,
    accepted: number,
    results: Omit<CommitResult, 'optedOut'>[],
    rejected: RejectedRow[],
  ): void {
    const observer = this.options.observer;
    if (!observer?.onCommit) return;
    const rejectedByCode = new Map<RejectionCode, number>();
    for (const r of rejected) rejectedByCode.set(r.code, (rejectedByCode.get(r.code) ?? 0) + 1);
    const duplicates = results.reduce((s, r) => s + r.duplicates, 0);
    observer.onCommit({ latencyMs: performance.now() - started, accepted, duplicates, rejectedByCode });
  }
}
