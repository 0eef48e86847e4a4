import { LIMITS, nowUs } from '../core/index.js';
import type { Warehouse } from '../store/index.js';

/**
 * The messageIds seen per project in the dedup horizon (at least 7 days, by insertion time),
 * kept in memory and primed from the events table on open, so dedup holds across restarts.
 */
export class DedupIndex {
  private readonly seen = new Map<string, Map<string, number>>();
  private lastPruneUs = nowUs();

  constructor(private readonly horizonUs: number = LIMITS.dedupHorizonUs) {}

  /** Loads the messageIds inserted within the horizon. */
  async prime(wh: Warehouse): Promise<number> {
    let count = 0;
    const since = nowUs() - this.horizonUs;
    for await (const rows of wh.stream({
      sql: 'SELECT project_id, message_id, epoch_us(inserted_at) AS us FROM events WHERE inserted_at >= $1',
      params: [{ timestampUs: since }],
    })) {
      for (const r of rows) {
        this.add(String(r.project_id), String(r.message_id), Number(r.us));
        count++;
      }
    }
    return count;
  }

  /** True when the id was stored for the project within the horizon. */
  has(projectId: string, messageId: string): boolean {
    return this.seen.get(projectId)?.has(messageId) ?? false;
  }

  /** Records a stored id. */
  add(projectId: string, messageId: string, insertedAtUs: number): void {
    let ids = this.seen.get(projectId);
    if (!ids) {
      ids = new Map();
      this.seen.set(projectId, ids);
    }
    ids.set(messageId, insertedAtUs);
  }

  /** How many ids are remembered. */
  get size(): number {
    let n = 0;
    for (const ids of this.seen.values()) n += ids.size;
    return n;
  }

  /** Forgets ids older than the horizon; runs at most hourly. */
  prune(atUs: number = nowUs()): void {
    if (atUs - this.lastPruneUs < 3_600_000_000) return;
    this.lastPruneUs = atUs;
    const cutoff = atUs - this.horizonUs;
    for (const ids of this.seen.values()) {
      for (const [id, us] of ids) if (us < cutoff) ids.delete(id);
    }
  }
}
