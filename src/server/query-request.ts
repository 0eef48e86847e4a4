import { PathwiseError } from '../core/index.js';
import { shareableFunnel } from '../privacy/index.js';
import { type FunnelResult, type InsightSpec, parseInsightSpec, runQuery } from '../query/index.js';
import { parseSessionsQuery, runSessionsQuery, type SessionsQuery } from '../sessions/index.js';
import type { Warehouse } from '../store/index.js';

type QueryKind = InsightSpec['kind'];

/**
 * One runner per kind: a new kind (e.g. `sessions`) is added here and to parseQueryRequest; the mapped
 * type makes a kind without a runner a compile error.
 */
const RUN: {
  readonly [K in QueryKind]: (wh: Warehouse, projectId: string, spec: InsightSpec) => Promise<unknown>;
} = {
  funnel: runQuery,
  trends: runQuery,
  retention: runQuery,
  paths: runQuery,
};

/** A spec of any kind: the insights of query, or session analytics (README, "Sessions"). */
type AnySpec = InsightSpec | SessionsQuery;

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
  const spec = rest.kind === 'sessions' ? parseSessionsQuery(raw) : parseInsightSpec(raw);
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
  if (spec.kind === 'sessions') {
    if (shareable) throw new PathwiseError('PW_PRIVACY_NOT_SHAREABLE', { reason: 'sessions results' });
    return runSessionsQuery(wh, projectId, spec);
  }
  const result = await RUN[spec.kind](wh, projectId, spec);
  if (!shareable) return result;
  if (spec.kind !== 'funnel' || !spec.breakdown) {
    throw new PathwiseError('PW_PRIVACY_NOT_SHAREABLE', {
      reason: 'only funnel breakdowns counted by person',
    });
  }
  const field = breakdownField(spec.breakdown);
  return shareableFunnel(result as FunnelResult, { field, ...shareable });
}
