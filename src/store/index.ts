/** Event names and property keys of a project, for the dashboard's builders. */
export { type EventCatalog, readEventCatalog } from './catalog.js';
/** The DuckDB implementation of Warehouse: the embedded default store. */

/** Scoped API keys: issue, list, revoke, record last use. */
export {
  type ApiKeyInfo,
  type IssuedKey,
  issueApiKey,
  listApiKeys,
  type NewKeySpec,
  recordKeyUse,
  revokeApiKey,
} from './api-keys.js';
export { openDuckDbWarehouse as openWarehouse } from './duckdb/warehouse.js';
/** Event export to Parquet, CSV or JSONL (Segment messages). */
export { type ExportFormat, type ExportOptions, exportEvents, toSegmentMessage } from './export.js';
/** Trained models: versions, specs, ranges, metrics and weights. */
export { findModel, listModels, type ModelRecord, type NewModel, saveModel } from './models.js';
/** Per-project minimization and retention settings (README, "Privacy"). */
export {
  checkPrivacySettings,
  DEFAULT_PRIVACY_SETTINGS,
  IpMode,
  MaskBuiltin,
  PrivacySettings,
  PrivacySettingsPatch,
  parsePrivacySettings,
  readPrivacySettings,
  sensitiveEventPattern,
  updatePrivacySettings,
} from './privacy-settings.js';
/** Project and API key records. */
export {
  type ApiKeyKind,
  createApiKey,
  createProject,
  ensureDefaultProject,
  findKey,
  findProject,
  listProjects,
  type NewProject,
  type Project,
  type ResolvedKey,
  type SessionSettings,
  updateSessionSettings,
} from './projects.js';
/** User SQL on a read-only store. */
export { runReadOnlySql } from './read-only.js';
/** Rejected events kept for inspection. */
export { countRejected, listRejected, type RejectedFilter } from './rejected.js';
/** Saved insights and dashboards (migration 5). */
export {
  createDashboard,
  createInsight,
  type Dashboard,
  type DashboardFields,
  type DashboardInsight,
  type DashboardTile,
  deleteDashboard,
  deleteInsight,
  getDashboard,
  getInsight,
  type InsightFields,
  listDashboardInsights,
  listDashboards,
  listInsights,
  type SavedInsight,
  updateDashboard,
  updateInsight,
} from './saved.js';
/** The one audited escape for identifiers and for literals where DuckDB cannot bind. */
export { quoteIdent, quoteLiteral } from './sql.js';
/** A first look at a project's events. */
export { type EventSummary, summarizeEvents } from './summary.js';
/** The store interface and its value types. */
export type {
  OpenOptions,
  Row,
  SandboxRequest,
  SandboxResult,
  SandboxTable,
  SqlQuery,
  SqlSession,
  SqlValue,
  Warehouse,
} from './warehouse.js';
