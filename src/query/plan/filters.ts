import { PathwiseError } from '../../core/index.js';
import type { FilterTree, PropertyRef } from '../spec/filter.js';
import type { EventMatch, Expr, Field } from './nodes.js';

/** A spec's property reference as a plan field. */
export function fieldOf(ref: PropertyRef): Field {
  if ('property' in ref) return { kind: 'prop', name: ref.property };
  if ('column' in ref) return { kind: 'column', name: ref.column };
  if ('personTrait' in ref) return { kind: 'personTrait', name: ref.personTrait };
  if ('person' in ref) return { kind: 'person', name: ref.person };
  return { kind: 'session', name: ref.session };
}

const NEEDS_VALUE = new Set(['eq', 'neq', 'in', 'contains', 'regex', 'gt', 'gte', 'lt', 'lte']);

/** A filter tree as a plan expression; checks that each operator has the value it needs. */
export function filterExpr(tree: FilterTree): Expr {
  if ('and' in tree) return { kind: 'and', items: tree.and.map(filterExpr) };
  if ('or' in tree) return { kind: 'or', items: tree.or.map(filterExpr) };
  if ('not' in tree) return { kind: 'not', item: filterExpr(tree.not) };
  const field = fieldOf(tree);
  const value = tree.value ?? null;
  if (NEEDS_VALUE.has(tree.op) && value === null) {
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: `operator "${tree.op}" needs a value` });
  }
  if (tree.op !== 'in' && Array.isArray(value)) {
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', {
      reason: `operator "${tree.op}" takes one value, not a list`,
    });
  }
  return { kind: 'predicate', field, op: tree.op, value };
}

/** `a AND b AND …`, dropping absent parts; null when nothing is left. */
export function allOf(...parts: readonly (Expr | null | undefined)[]): Expr | null {
  const items = parts.filter((p): p is Expr => p !== null && p !== undefined);
  if (items.length === 0) return null;
  return items.length === 1 ? (items[0] as Expr) : { kind: 'and', items };
}

/** An event selection: its name and, when given, its filters. */
export function eventMatch(step: { event: string; where?: FilterTree | undefined }): Expr {
  return allOf({ kind: 'eventIs', names: [step.event] }, step.where ? filterExpr(step.where) : null) as Expr;
}

/** Any of several event selections. */
export function anyOf(steps: readonly { event: string; where?: FilterTree | undefined }[]): Expr {
  const items = steps.map(eventMatch);
  return items.length === 1 ? (items[0] as Expr) : { kind: 'or', items };
}

/** An event selection kept as name and filter: funnels match names once per row, then filters. */
export function stepMatch(step: { event: string; where?: FilterTree | undefined }): EventMatch {
  return { event: step.event, where: step.where ? filterExpr(step.where) : null };
}
