import {
  CHANGED_PERSONS_TABLE,
  type IdentityPass,
  NEW_EVENTS_TABLE,
  PERSON_ROWS_TABLE,
  PERSON_TARGETS_TABLE,
  refreshPersons,
  resolvePersons,
} from '../identity/index.js';
import { type SessionPass, sessionize } from '../sessions/index.js';
import { findProject, type Warehouse } from '../store/index.js';

/** What one processing pass did for one project. */
export interface ProjectPass {
  readonly projectId: string;
  readonly identity: IdentityPass;
  readonly sessions: SessionPass | null;
  readonly ms: number;
}

/**
 * Gives every row without a person its person and session, and brings persons and sessions up
 * to date for what those rows touched: identity first (it decides whose events they are), then
 * sessions, in one transaction so that a crash leaves the rows unprocessed, never half done.
 */
export async function processNewEvents(wh: Warehouse): Promise<ProjectPass[]> {
  const pending = await wh.all({ sql: 'SELECT DISTINCT project_id FROM events WHERE person_id IS NULL' });
  const passes: ProjectPass[] = [];
  for (const row of pending) {
    const started = performance.now();
    const project = await findProject(wh, String(row.project_id));
    const pass = await wh.transaction(async (tx) => {
      const identity = await resolvePersons(tx, project.projectId, 'new');
      if (identity.newEvents === 0) return { identity, sessions: null };
      await refreshPersons(tx, project.projectId, false);
      const scope = {
        newEvents: NEW_EVENTS_TABLE,
        changedPersons: CHANGED_PERSONS_TABLE,
        wholePersons: { persons: PERSON_TARGETS_TABLE, rows: PERSON_ROWS_TABLE },
      };
      return { identity, sessions: await sessionize(tx, project, scope) };
    });
    passes.push({ projectId: project.projectId, ...pass, ms: performance.now() - started });
  }
  return passes;
}

/** The steps of a rebuild, for progress reporting. */
export const REBUILD_STEPS = ['identity', 'persons', 'sessions', 'commit'] as const;

/**
 * Recomputes a project's persons and sessions from all of its events (after changing the
 * session settings, or to check the incremental state), in one transaction.
 */
export async function rebuildProject(
  wh: Warehouse,
  projectIdOrName: string,
  onStep: (done: number, total: number, step: string) => void = () => undefined,
): Promise<ProjectPass> {
  const started = performance.now();
  const project = await findProject(wh, projectIdOrName);
  const total = REBUILD_STEPS.length;
  const pass = await wh.transaction(async (tx) => {
    onStep(0, total, 'identity');
    const identity = await resolvePersons(tx, project.projectId, 'all');
    onStep(1, total, 'persons');
    await refreshPersons(tx, project.projectId, true);
    onStep(2, total, 'sessions');
    const sessions = await sessionize(tx, project, null);
    onStep(3, total, 'commit');
    return { identity, sessions };
  });
  onStep(total, total, 'done');
  return { projectId: project.projectId, ...pass, ms: performance.now() - started };
}

/** Tuning of the background processor. */
export interface ProcessorOptions {
  /** Wait this long after a commit before a pass, so that a burst becomes one pass (ms). */
  readonly delayMs?: number;
  readonly onPass?: (passes: readonly ProjectPass[]) => void;
  readonly onError?: (err: unknown) => void;
}

/**
 * Keeps persons and sessions current off the ingest path: commits only notify it, and a pass
 * runs shortly afterwards on its own connection, so acknowledgements never wait for it.
 */
export class BackgroundProcessor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private isDirty = false;
  private isClosed = false;
  private failures = 0;
  private lastPassMs = 0;

  constructor(
    private readonly wh: Warehouse,
    private readonly options: ProcessorOptions = {},
  ) {}

  /** Schedules a pass (called after each commit and at start-up). */
  notify(): void {
    if (this.isClosed) return;
    if (this.running) {
      this.isDirty = true;
      return;
    }
    // Back off after failures so that a persistent error does not spin, and wait at least four
    // times the last pass's duration so that processing takes at most a fifth of the time
    // under sustained ingest (a pass scans whole columns; ingest must keep the cores).
    const base = Math.max(this.options.delayMs ?? 200, this.lastPassMs * 4);
    const delayMs = Math.min(30_000, base * 2 ** this.failures);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.running = this.pass();
    }, delayMs);
  }

  /** Resolves once no pass is running or scheduled and every committed row is processed. */
  async whenIdle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        this.running = this.pass();
      }
      if (!this.running) return;
      await this.running;
    }
  }

  /** Finishes the running pass and stops scheduling new ones. */
  async close(): Promise<void> {
    this.isClosed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async pass(): Promise<void> {
    const started = performance.now();
    try {
      const passes = await processNewEvents(this.wh);
      this.failures = 0;
      if (passes.length > 0) this.options.onPass?.(passes);
    } catch (err) {
      this.failures = Math.min(this.failures + 1, 8);
      // A conflict with a concurrent writer or a transient failure: the rows stay unprocessed
      // (person_id NULL) and the next pass takes them up.
      this.isDirty = true;
      this.options.onError?.(err);
    } finally {
      this.lastPassMs = performance.now() - started;
      this.running = null;
      if (this.isDirty && !this.isClosed) {
        this.isDirty = false;
        this.notify();
      }
    }
  }
}
