import type { SqlQuery } from '../../store/index.js';
import type { PlanNode } from '../plan/nodes.js';

/** Behavioural differences between SQL engines, as flags (STYLE.md §2). */
export interface Capabilities {
  /** A native `windowFunnel` aggregate (ClickHouse); without it chains are evaluated with window passes. */
  readonly supportsWindowFunnel: boolean;
  /** `WITH x AS MATERIALIZED (…)`: a CTE read several times is computed once. */
  readonly supportsMaterializedCte: boolean;
}

/** A SQL dialect: a name, its capabilities, and one emitter per plan node kind. */
export interface Dialect {
  readonly name: string;
  readonly capabilities: Capabilities;
  emit(plan: PlanNode): SqlQuery;
}

/** The mapped type that makes a missing plan node kind a compile error (STYLE.md §2). */
export type EmitTable<Out> = {
  readonly [K in PlanNode['kind']]: (node: Extract<PlanNode, { kind: K }>, out: Out) => string;
};
