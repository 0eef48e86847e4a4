import { randomUUID } from 'node:crypto';
import { isPathwiseError, PathwiseError } from '../core/index.js';
import type { Warehouse } from '../store/index.js';
import type { CtrPredictors } from './ctr-predict.js';
import type { CtrTrainSpec } from './ctr-spec.js';
import { type TrainingProgress, trainCtr } from './ctr-train.js';

/** A training job as GET /api/models/jobs/:jobId shows it. */
export interface TrainingJob {
  readonly jobId: string;
  readonly name: string;
  readonly kind: 'ctr';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: TrainingProgress;
  readonly createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  model: { readonly name: string; readonly version: number } | null;
  error: { readonly code: string; readonly message: string } | null;
}

/** Hand the event loop back at least this often during training, so requests keep being served. */
const YIELD_EVERY_MS = 20;

/**
 * Training jobs of one server, run one at a time in the background (two cores are shared with
 * ingest and queries); jobs live in memory and are forgotten on restart — the models they
 * stored are not.
 */
export class TrainingJobs {
  private readonly jobs = new Map<string, { projectId: string; job: TrainingJob }>();
  private queue: Promise<void> = Promise.resolve();
  private isClosing = false;

  constructor(
    private readonly wh: Warehouse,
    private readonly predictors: CtrPredictors,
    private readonly maxKept = 200,
  ) {}

  /** Queues a training run and returns its job. */
  start(projectId: string, name: string, spec: CtrTrainSpec): TrainingJob {
    if (this.isClosing) throw new PathwiseError('PW_INGEST_SHUTTING_DOWN');
    const job: TrainingJob = {
      jobId: randomUUID(),
      name,
      kind: 'ctr',
      status: 'queued',
      progress: { phase: 'plan', fraction: 0 },
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      model: null,
      error: null,
    };
    this.forgetOld();
    this.jobs.set(job.jobId, { projectId, job });
    this.queue = this.queue.then(() => this.run(projectId, job, spec));
    return { ...job };
  }

  /** A job of the project (jobs of other projects do not exist for it). */
  get(projectId: string, jobId: string): TrainingJob {
    const entry = this.jobs.get(jobId);
    if (!entry || entry.projectId !== projectId) throw new PathwiseError('PW_MODEL_JOB_NOT_FOUND', { jobId });
    return { ...entry.job };
  }

  /** Stops taking jobs; a running job fails at its next progress step. Resolves when none runs. */
  async close(): Promise<void> {
    this.isClosing = true;
    await this.queue;
  }

  private async run(projectId: string, job: TrainingJob, spec: CtrTrainSpec): Promise<void> {
    job.status = 'running';
    job.startedAt = new Date().toISOString();
    let lastYield = performance.now();
    try {
      const record = await trainCtr(this.wh, projectId, job.name, spec, async (progress) => {
        if (this.isClosing) throw new PathwiseError('PW_INGEST_SHUTTING_DOWN');
        job.progress = progress;
        if (performance.now() - lastYield < YIELD_EVERY_MS) return;
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      });
      this.predictors.invalidate(projectId, job.name);
      job.model = { name: record.name, version: record.version };
      job.progress = { phase: 'save', fraction: 1 };
      job.status = 'succeeded';
    } catch (err) {
      job.status = 'failed';
      job.error = isPathwiseError(err)
        ? { code: err.code, message: err.message }
        : { code: 'PW_INTERNAL', message: err instanceof Error ? err.message : String(err) };
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  }

  private forgetOld(): void {
    if (this.jobs.size < this.maxKept) return;
    for (const [id, { job }] of this.jobs) {
      if (job.status === 'succeeded' || job.status === 'failed') this.jobs.delete(id);
      if (this.jobs.size < this.maxKept / 2) return;
    }
  }
}
