import { DAY_US, formatInstantUs, nowUs } from '../core/index.js';
import { listProjects, type Warehouse } from '../store/index.js';

/** What a retention run deleted in one project. */
export interface RetentionOutcome {
  readonly projectId: string;
  readonly retentionDays: number;
  /** Rows with an event time (rejected events: a receipt time) before this are deleted. */
  readonly cutoff: string;
  readonly eventsDeleted: number;
  readonly rejectedDeleted: number;
}

/** The raw tables under retention and the time column that dates their rows. */
const RAW_TABLES = [
  { table: 'events', column: '"timestamp"' },
  { table: 'rejected_events', column: 'received_at' },
] as const;

async function deleteBefore(
  wh: Warehouse,
  raw: (typeof RAW_TABLES)[number],
  projectId: string,
  cutoffUs: number,
) {
  const where = `FROM ${raw.table} WHERE project_id = $1 AND ${raw.column} < $2`;
  const params = [projectId, { timestampUs: cutoffUs }];
  const n = Number((await wh.all({ sql: `SELECT count(*) AS n ${where}`, params }))[0]?.n ?? 0);
  if (n > 0) await wh.run({ sql: `DELETE ${where}`, params });
  return n;
}

/**
 * Deletes raw rows past each project's retention (README, "Privacy"): events whose event time
 * is older than `retentionDays`, and rejected events received before then. Aggregates are kept:
 * `persons` and `sessions` rows stay as computed (a person who returns later is recounted from
 * the events that remain). Projects without a retention setting keep everything. The deleted
 * row groups are freed at the checkpoint that follows.
 */
export async function runRetention(
  wh: Warehouse,
  options: { projectId?: string; nowUs?: number } = {},
): Promise<RetentionOutcome[]> {
  const now = options.nowUs ?? nowUs();
  const outcomes: RetentionOutcome[] = [];
  for (const project of await listProjects(wh)) {
    const days = project.privacy.retentionDays;
    if (days === null || (options.projectId && options.projectId !== project.projectId)) continue;
    const cutoffUs = now - days * DAY_US;
    const [events, rejected] = RAW_TABLES;
    const eventsDeleted = await deleteBefore(wh, events, project.projectId, cutoffUs);
    const rejectedDeleted = await deleteBefore(wh, rejected, project.projectId, cutoffUs);
    await wh.run({
      sql: 'INSERT INTO retention_runs VALUES ($1, now()::TIMESTAMP, $2, $3, $4)',
      params: [project.projectId, { timestampUs: cutoffUs }, eventsDeleted, rejectedDeleted],
    });
    outcomes.push({
      projectId: project.projectId,
      retentionDays: days,
      cutoff: formatInstantUs(cutoffUs),
      eventsDeleted,
      rejectedDeleted,
    });
  }
  if (outcomes.some((o) => o.eventsDeleted + o.rejectedDeleted > 0)) await wh.checkpoint();
  return outcomes;
}
