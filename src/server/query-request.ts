import { type AttributionSpec, parseAttributionSpec, runAttribution } from '../attribution/index.js';
import { runCtrQuery } from '../clicks/index.js';
import { PathwiseError } from '../core/index.js';
import { shareableFunnel } from '../privacy/index.js';
import {
  type CtrSpec,
  type FunnelResult,
  type InsightSpec,
  parseCtrSpec,
  parseInsightSpec,
  runQuery,
} from '../query/index.js';
import { parseSessionsQuery, runSessionsQuery, type SessionsQuery } from '../sessions/index.js';
import { Rng } from '../sim/index.js';
import type { Warehouse } from '../store/index.js';

/**
 * A spec of any kind: the insights of query, session analytics (README, "Sessions"), attribution
 * (README, "Attribution") or click-through rates (README, "Click-through analytics").
 */
export type AnySpec = InsightSpec | SessionsQuery | AttributionSpec | CtrSpec;

/** Attribution's seeded generator: the simulator's Rng, one stream per use (README, "Attribution"). */
const random = (seed: number, stream: number) => new Rng(seed, stream);

/**
 * One runner per kind: a new kind is added here and to parseAnySpec; the mapped type makes a kind
 * without a runner a compile error.
 */
const RUN: {
  readonly [K in AnySpec['kind']]: (
    wh: Warehouse,
    projectId: string,
    spec: Extract<AnySpec, { kind: K }>,
  ) => Promise<unknown>;
} = {
  funnel: runQuery,
  trends: runQuery,
  retention: runQuery,
  paths: runQuery,
  sessions: runSessionsQuery,
  ctr: runCtrQuery,
  attribution: (wh, projectId, spec) => runAttribution(wh, projectId, spec, { random }),
};

/** Validates a spec of any kind, chosen by its `kind`. */
export function parseAnySpec(body: unknown): AnySpec {
  const kind = typeof body === 'object' && body !== null ? (body as { kind?: unknown }).kind : undefined;
  if (kind === 'sessions') return parseSessionsQuery(body);
  if (kind === 'attribution') return parseAttributionSpec(body);
  if (kind === 'ctr') return parseCtrSpec(body);
  return parseInsightSpec(body);
}

/** Runs a spec of any kind for a project. */
export function runAnySpec(wh: Warehouse, projectId: string, spec: AnySpec): Promise<unknown> {
  const run = RUN[spec.kind] as (wh: Warehouse, projectId: string, s: AnySpec) => Promise<unknown>;
  return run(wh, projectId, spec);
}

/** A spec and its sharing option (`"shareable": {"k": 5}` beside the spec's own fields). */
export interface QueryRequest {
  readonly spec: AnySpec;
  readonly shareable: { readonly k?: number } | null;
}

function parseShareable(value: unknown): QueryRequest['shareable'] {
  if (value === undefined) return null;
  const k = (value as { k?: unknown } | null)?.k;
  const isValid =
    typeof value === 'object' &&
    value !== null &&
    (k === undefined || (Number.isInteger(k) && Number(k) >= 2));
  if (!isValid)
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: '/shareable must be {"k"?: integer ≥ 2}' });
  return k === undefined ? {} : { k: Number(k) };
}

/** Validates a query body (HTTP and `pathwise query --spec`): the spec and its sharing option. */
export function parseQueryRequest(body: unknown): QueryRequest {
  const { shareable, ...rest } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const raw = typeof body === 'object' && body !== null ? rest : body;
  const spec = parseAnySpec(raw);
  return { spec, shareable: parseShareable(shareable) };
}

/** The quasi-identifier a breakdown names: `country`, `property:age`, `trait:age`, `person:initial_country`, … */
function breakdownField(b: NonNullable<Extract<InsightSpec, { kind: 'funnel' }>['breakdown']>): string {
  if ('property' in b) return `property:${b.property}`;
  if ('personTrait' in b) return `trait:${b.personTrait}`;
  if ('person' in b) return `person:${b.person}`;
  if ('session' in b) return `session:${b.session}`;
  return b.column;
}

/** Runs a spec; a shareable funnel breakdown is k-anonymized (README, "Privacy"). */
export async function runQueryRequest(
  wh: Warehouse,
  projectId: string,
  request: QueryRequest,
): Promise<unknown> {
  const { spec, shareable } = request;
  const result = await runAnySpec(wh, projectId, spec);
  if (!shareable) return result;
  if (spec.kind !== 'funnel' || !spec.breakdown) {
    throw new PathwiseError('PW_PRIVACY_NOT_SHAREABLE', {
      reason: 'only funnel breakdowns counted by person',
    });
  }
  const field = breakdownField(spec.breakdown);
  return shareableFunnel(result as FunnelResult, { field, ...shareable });
}
