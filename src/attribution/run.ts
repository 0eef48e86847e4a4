import { collectJourneys } from '../query/index.js';
import { attribute, type RandomFactory } from './attribute.js';
import { optionsOf } from './options.js';
import type { AttributionResult } from './result.js';
import type { AttributionSpec } from './spec.js';

/** The store journeys are read from: whatever query's extraction takes (attribution never opens one). */
export type JourneyStore = Parameters<typeof collectJourneys>[0];

/** Options of runAttribution: the seeded generator factory (injected), and "now" for relative ranges. */
export interface AttributionRunOptions {
  readonly random: RandomFactory;
  readonly nowUs?: number;
}

/**
 * The attribution insight for a project: journeys are extracted by query (SQL inside the store,
 * streamed as packed paths); every model then runs on them here, without I/O.
 */
export async function runAttribution(
  wh: JourneyStore,
  projectId: string,
  spec: AttributionSpec,
  options: AttributionRunOptions,
): Promise<AttributionResult> {
  const extract = await collectJourneys(
    wh,
    projectId,
    spec,
    options.nowUs === undefined ? {} : { nowUs: options.nowUs },
  );
  return attribute(extract, optionsOf(spec), options.random);
}
