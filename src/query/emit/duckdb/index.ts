import type { SqlQuery } from '../../../store/index.js';
import type { PlanNode } from '../../plan/nodes.js';
import type { Dialect, EmitTable } from '../dialect.js';
import { SqlOut } from '../sql-out.js';
import {
  emitClickCells,
  emitClickItems,
  emitClickLists,
  emitClickMatch,
  emitCtrTable,
} from './click-nodes.js';
import { emitEventList } from './events.js';
import { emitExperimentExposures, emitExperimentMetrics } from './experiment.js';
import { emitFunnel, emitFunnelPersons } from './funnel.js';
import { emitFunnelSegments, emitFunnelSeries } from './funnel-diagnose.js';
import { emitFunnelUnitsTable } from './funnel-units.js';
import { emitJourneyLabels, emitJourneys } from './journeys.js';
import { emitPaths } from './paths.js';
import { emitRetention } from './retention.js';
import { emitTrendsSeries } from './trends.js';

const EMIT: EmitTable<SqlOut> = {
  funnel: emitFunnel,
  funnelPersons: emitFunnelPersons,
  funnelUnitsTable: emitFunnelUnitsTable,
  funnelSegments: emitFunnelSegments,
  funnelSeries: emitFunnelSeries,
  trendsSeries: emitTrendsSeries,
  retention: emitRetention,
  paths: emitPaths,
  eventList: emitEventList,
  experimentExposures: emitExperimentExposures,
  experimentMetrics: emitExperimentMetrics,
  journeyLabels: emitJourneyLabels,
  journeys: emitJourneys,
  ctrTable: emitCtrTable,
  clickMatch: emitClickMatch,
  clickItems: emitClickItems,
  clickCells: emitClickCells,
  clickLists: emitClickLists,
};

/** The DuckDB dialect: the embedded default store's SQL. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  capabilities: { supportsWindowFunnel: false, supportsMaterializedCte: true },
  emit(plan: PlanNode): SqlQuery {
    const out = new SqlOut();
    const emit = EMIT[plan.kind] as (node: PlanNode, o: SqlOut) => string;
    return out.query(emit(plan, out));
  },
};

export { HISTOGRAM_EDGES_SEC } from './funnel.js';
export { OTHER_VALUE } from './funnel-diagnose.js';
