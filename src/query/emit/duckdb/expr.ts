import type { Expr } from '../../plan/nodes.js';
import type { FilterOp, FilterValue } from '../../spec/filter.js';
import type { SqlOut } from '../sql-out.js';
import { fieldSql } from './base.js';

type Scalar = string | number | boolean;

function text(v: Scalar): string {
  return typeof v === 'string' ? v : String(v);
}

function compare(v: string, sqlOp: string, value: Scalar, o: SqlOut): string {
  // Numbers compare as numbers (JSON keeps them as text here); strings compare as text.
  if (typeof value === 'number') return `TRY_CAST(${v} AS DOUBLE) ${sqlOp} ${o.bind(value)}`;
  return `${v} ${sqlOp} ${o.bind(text(value))}`;
}

const PREDICATE: {
  readonly [K in FilterOp]: (v: string, value: FilterValue | null, o: SqlOut) => string;
} = {
  eq: (v, value, o) => compare(v, '=', value as Scalar, o),
  // A missing property is "not equal" too: the row has no value that equals.
  neq: (v, value, o) => `(${v} IS NULL OR NOT (${compare(v, '=', value as Scalar, o)}))`,
  in: (v, value, o) => {
    const list = (Array.isArray(value) ? value : [value as Scalar]).map(text);
    return `list_contains(${o.bind(list)}, ${v})`;
  },
  contains: (v, value, o) => `strpos(lower(${v}), lower(${o.bind(text(value as Scalar))})) > 0`,
  regex: (v, value, o) => `regexp_matches(${v}, ${o.bind(text(value as Scalar))})`,
  gt: (v, value, o) => compare(v, '>', value as Scalar, o),
  gte: (v, value, o) => compare(v, '>=', value as Scalar, o),
  lt: (v, value, o) => compare(v, '<', value as Scalar, o),
  lte: (v, value, o) => compare(v, '<=', value as Scalar, o),
  is_set: (v) => `${v} IS NOT NULL`,
  is_not_set: (v) => `${v} IS NULL`,
};

const EXPR: { readonly [K in Expr['kind']]: (e: Extract<Expr, { kind: K }>, o: SqlOut) => string } = {
  and: (e, o) => (e.items.length === 0 ? 'TRUE' : `(${e.items.map((i) => exprSql(i, o)).join(' AND ')})`),
  or: (e, o) => (e.items.length === 0 ? 'FALSE' : `(${e.items.map((i) => exprSql(i, o)).join(' OR ')})`),
  not: (e, o) => `(NOT coalesce(${exprSql(e.item, o)}, FALSE))`,
  eventIs: (e, o) =>
    e.names.length === 1
      ? `event = ${o.bind(e.names[0] as string)}`
      : `list_contains(${o.bind(e.names)}, event)`,
  predicate: (e, o) => PREDICATE[e.op](fieldSql(e.field, o), e.value, o),
};

/** A boolean SQL expression for a plan expression; every value is bound. */
export function exprSql(e: Expr, o: SqlOut): string {
  const emit = EXPR[e.kind] as (node: Expr, out: SqlOut) => string;
  return emit(e, o);
}
