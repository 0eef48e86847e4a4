/** Simulation options and scenario names. */

/** Multi-touch journeys with planted channel contributions (attribution). */
export {
  ATTRIBUTION_CHAIN,
  ATTRIBUTION_CHANNELS,
  type AttributionChannel,
  type AttributionSimOptions,
  type AttributionTruth,
  attributionMessages,
  attributionPerson,
  attributionTruth,
} from './attribution.js';
/** Channel role weights (initiators vs closers). */
export { CHANNEL_ROLE_WEIGHTS, CHANNELS, type Channel } from './channels.js';
/** Click lists generated from a chosen click model (PBM, cascade, DBN) with planted parameters. */
export {
  type ClickListOptions,
  type ClickListParams,
  clickListParams,
  type GeneratedList,
  generateClickLists,
  type ListClickModel,
  listMessages,
} from './click-lists.js';
/** The planted parameters of each scenario. */
export { SHOP, SHOP_STEPS } from './ecommerce-params.js';
/** The ecommerce section of the manifest. */
export type { EcommerceTruth } from './ecommerce-truth.js';
/** A small A/B experiment with a planted lift and a correlated pre-exposure covariate. */
export {
  EXPERIMENT_SIM,
  type ExperimentSimOptions,
  type SimulatedExperiment,
  type SimulatedPerson,
  simulateExperiment,
} from './experiment.js';
/** The feed scenario's click-model parameters, items and manifest section. */
export { FEED, FEED_ITEMS, type FeedItem, type FeedTruth } from './feed.js';
/** The funnel-fault scenario: segments that convert worse at a step from a date on (diagnostics' truth). */
export {
  FAULT_SIM,
  FAULT_STEPS,
  FaultFunnelSimulation,
  type FaultSegment,
  type FaultSimOptions,
  type FaultStep,
  type FaultTruth,
  type FunnelFault,
} from './funnel-faults.js';
/** Sending to a running server's /v1/batch. */
export { type HttpTarget, sendHttp } from './http-output.js';
/** How times are written: archive lines (with sentAt/receivedAt) or live sends. */
export type { TimeFields } from './message.js';
export { type ResolvedOptions, SCENARIOS, type Scenario, type SimOptions } from './options.js';
/** Writing JSONL to a stream or a (gzipped) file. */
export { type WriteStats, writeJsonl, writeJsonlFile } from './output.js';
/** The seeded random generator every simulation (and seeded test or bench data) draws from. */
export { Rng } from './rng.js';
/** One call for the CLI: simulate to a file, stdout or a server, and write the truth. */
export { runSimulation, type SimRun, type SimTarget } from './run.js';
/** The saas scenario's parameters, steps and manifest section. */
export { SAAS, SAAS_STEPS, type SaasTruth } from './saas.js';
/** A deterministic simulation: lines, messages and the truth manifest. */
export { Simulation, type TruthManifest } from './simulate.js';
/** Expected rates of planted outcomes in the manifest. */
export type { ExpectedRate, RateTable } from './truth.js';
/** A simulation on a worker thread (generation and ingestion on two cores). */
export { simulateInWorker, type ThreadedSimulation } from './worker.js';
