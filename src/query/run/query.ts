import { nowUs as clockUs, PathwiseError } from '../../core/index.js';
import { findProject, type Warehouse } from '../../store/index.js';
import type { Dialect } from '../emit/dialect.js';
import { duckdbDialect } from '../emit/duckdb/index.js';
import { resolveRange } from '../plan/range.js';
import type { DateRange } from '../spec/common.js';
import type { InsightSpec } from '../spec/insights.js';
import type { RunContext } from './context.js';
import { type FunnelResult, runFunnel } from './funnel.js';
import { type PathsResult, runPaths } from './paths.js';
import { type RetentionResult, runRetention } from './retention.js';
import { runTrends, type TrendsResult } from './trends.js';

/** Any insight result, discriminated by `kind` like its spec. */
export type InsightResult = FunnelResult | TrendsResult | RetentionResult | PathsResult;

/** Options of runQuery; `nowUs` pins "now" for relative ranges (tests). */
export interface QueryOptions {
  readonly nowUs?: number;
}

const DIALECTS: Readonly<Record<string, Dialect>> = { duckdb: duckdbDialect };

type Runners = {
  readonly [K in InsightSpec['kind']]: (
    ctx: RunContext,
    spec: Extract<InsightSpec, { kind: K }>,
  ) => Promise<InsightResult>;
};

const RUNNERS: Runners = {
  funnel: runFunnel,
  trends: runTrends,
  retention: runRetention,
  paths: runPaths,
};

/** The store's dialect, the project, and the spec's range resolved in the project's zone. */
export async function createRunContext(
  wh: Warehouse,
  projectId: string,
  dateRange: DateRange | undefined,
  options: QueryOptions = {},
): Promise<RunContext> {
  const dialect = DIALECTS[wh.dialect];
  if (!dialect)
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: `no emitter for "${wh.dialect}"` });
  const project = await findProject(wh, projectId);
  const now = options.nowUs ?? clockUs();
  const range = resolveRange(dateRange, project.timeZone, now);
  return {
    wh,
    dialect,
    nowUs: now,
    plan: { projectId: project.projectId, timeZone: project.timeZone, ...range },
  };
}

/** Runs an insight for a project: resolves its range in the project's zone, plans, emits, runs. */
export async function runQuery(
  wh: Warehouse,
  projectId: string,
  spec: InsightSpec,
  options: QueryOptions = {},
): Promise<InsightResult> {
  const ctx = await createRunContext(wh, projectId, spec.dateRange, options);
  const run = RUNNERS[spec.kind] as (c: RunContext, s: InsightSpec) => Promise<InsightResult>;
  return run(ctx, spec);
}
