import { nowUs as clockUs, PathwiseError } from '../core/index.js';
import {
  findExperimentDefinition,
  listExperimentDefinitions,
  saveExperimentDefinition,
  type Warehouse,
} from '../query/index.js';
import { type AnalyzeOptions, analyzeExperiment } from './analyze.js';
import type { ExperimentAnalysis } from './result.js';
import { type ExperimentDefinition, parseExperimentDefinition } from './spec.js';

/** A stored experiment: its validated definition and when it was created and last replaced. */
export interface Experiment {
  readonly key: string;
  readonly definition: ExperimentDefinition;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Validates and stores an experiment definition. An existing key is PW_EXPERIMENT_EXISTS unless
 * isReplacing.
 */
export async function createExperiment(
  wh: Warehouse,
  projectId: string,
  body: unknown,
  options: { readonly isReplacing?: boolean; readonly nowUs?: number } = {},
): Promise<Experiment> {
  const definition = parseExperimentDefinition(body);
  const stored = await saveExperimentDefinition(wh, projectId, definition.key, definition, {
    nowUs: options.nowUs ?? clockUs(),
    isReplacing: options.isReplacing ?? false,
  });
  return { ...stored, definition };
}

/** A stored experiment by key, or PW_EXPERIMENT_NOT_FOUND. */
export async function getExperiment(wh: Warehouse, projectId: string, key: string): Promise<Experiment> {
  const stored = await findExperimentDefinition(wh, projectId, key);
  if (!stored) throw new PathwiseError('PW_EXPERIMENT_NOT_FOUND', { key });
  // Stored definitions were validated on the way in; parsing again guards against hand edits.
  return { ...stored, definition: parseExperimentDefinition(stored.definition) };
}

/** Every experiment of a project, by key. */
export async function listExperiments(wh: Warehouse, projectId: string): Promise<Experiment[]> {
  const stored = await listExperimentDefinitions(wh, projectId);
  return stored.map((s) => ({ ...s, definition: parseExperimentDefinition(s.definition) }));
}

/** Analyzes a stored experiment by key. */
export async function analyzeExperimentByKey(
  wh: Warehouse,
  projectId: string,
  key: string,
  options: AnalyzeOptions = {},
): Promise<ExperimentAnalysis> {
  const experiment = await getExperiment(wh, projectId, key);
  return analyzeExperiment(wh, projectId, experiment.definition, options);
}
