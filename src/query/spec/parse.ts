import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError } from '../../core/index.js';
import { FunnelSpec, type InsightSpec, PathsSpec, RetentionSpec, TrendsSpec } from './insights.js';

const BY_KIND: Readonly<Record<InsightSpec['kind'], TSchema>> = {
  funnel: FunnelSpec,
  trends: TrendsSpec,
  retention: RetentionSpec,
  paths: PathsSpec,
};

const compiled = new Map<string, ReturnType<typeof Compile>>();

function validator(kind: InsightSpec['kind']) {
  let c = compiled.get(kind);
  if (!c) {
    c = Compile(BY_KIND[kind]);
    compiled.set(kind, c);
  }
  return c;
}

function isKind(value: unknown): value is InsightSpec['kind'] {
  return typeof value === 'string' && Object.hasOwn(BY_KIND, value);
}

/**
 * Validates untrusted JSON as an insight spec (the HTTP body and the CLI's --spec). Errors are
 * reported against the schema of the spec's own `kind`, so they name the field at fault.
 */
export function parseInsightSpec(value: unknown): InsightSpec {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (!isKind(kind)) throw new PathwiseError('PW_QUERY_UNKNOWN_KIND', { kind: String(kind) });
  const check = validator(kind);
  if (check.Check(value)) return value as InsightSpec;
  const errors = [...check.Errors(value)]
    .filter((e) => e.keyword !== 'boolean')
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: errors.join('; ') });
}
