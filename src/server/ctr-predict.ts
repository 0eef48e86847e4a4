import type { CtrModel } from '../models/index.js';
import { findModel, type Warehouse } from '../store/index.js';
import type { PredictBody } from './ctr-spec.js';
import { ctrModelOf } from './ctr-train.js';

/** Scores of a batch of candidates by one model version. */
export interface PredictResult {
  readonly name: string;
  readonly version: number;
  readonly predictions: number[];
}

/**
 * Loaded models by project, name and version, so real-time scoring reads no weights from the
 * store. The latest version is re-read when the cache learns of a newer one (after training in
 * this process) — DuckDB lets only one process write the file, so no other writer can add one.
 */
export class CtrPredictors {
  private readonly models = new Map<string, { version: number; model: CtrModel }>();
  private readonly latest = new Map<string, number>();

  constructor(
    private readonly wh: Warehouse,
    private readonly maxModels = 16,
  ) {}

  /** Forgets a name's latest version (a new one was stored). */
  invalidate(projectId: string, name: string): void {
    this.latest.delete(`${projectId}\u0000${name}`);
  }

  /** The model (latest version unless one is given), loading it once. */
  async get(
    projectId: string,
    name: string,
    version?: number,
  ): Promise<{ version: number; model: CtrModel }> {
    const nameKey = `${projectId}\u0000${name}`;
    const v = version ?? this.latest.get(nameKey);
    const hit = v === undefined ? undefined : this.models.get(`${nameKey}\u0000${v}`);
    if (hit) return hit;
    const record = await findModel(this.wh, projectId, name, version);
    const loaded = { version: record.version, model: ctrModelOf(record) };
    if (this.models.size >= this.maxModels) this.models.clear();
    this.models.set(`${nameKey}\u0000${record.version}`, loaded);
    if (version === undefined) this.latest.set(nameKey, record.version);
    return loaded;
  }

  /** Scores candidates with a model: P(click) for each, in order. */
  async predict(projectId: string, name: string, body: PredictBody): Promise<PredictResult> {
    const { version, model } = await this.get(projectId, name, body.version);
    return { name, version, predictions: model.predictMany(body.candidates, body.context ?? {}) };
  }
}
