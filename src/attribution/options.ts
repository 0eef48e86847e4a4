import type { AttributionSpec, Spend } from './spec.js';

/** Every model option with its default applied (README, "Attribution" states each choice). */
export interface AttributionOptions {
  readonly directLabels: readonly string[];
  readonly halfLifeSec: number;
  readonly positionFirst: number;
  readonly positionLast: number;
  readonly markovOrders: readonly number[];
  readonly includeNonConverting: boolean;
  readonly bootstrapSamples: number;
  readonly confidenceLevel: number;
  readonly shapleyMaxExact: number;
  readonly shapleyPermutations: number;
  readonly seed: number;
  readonly spend: Spend | null;
  readonly topJourneys: number;
}

/** The defaults of every model option. */
export const DEFAULT_OPTIONS: AttributionOptions = {
  directLabels: ['direct', '(none)'],
  halfLifeSec: 7 * 86_400,
  positionFirst: 0.4,
  positionLast: 0.4,
  markovOrders: [1],
  includeNonConverting: true,
  bootstrapSamples: 100,
  confidenceLevel: 0.95,
  shapleyMaxExact: 15,
  shapleyPermutations: 2000,
  seed: 1,
  spend: null,
  topJourneys: 20,
};

/** The options of a spec, defaults filled in. */
export function optionsOf(spec: Partial<AttributionSpec>): AttributionOptions {
  const d = DEFAULT_OPTIONS;
  return {
    directLabels: spec.directLabels ?? d.directLabels,
    halfLifeSec: spec.halfLifeDays !== undefined ? spec.halfLifeDays * 86_400 : d.halfLifeSec,
    positionFirst: spec.positionBased?.first ?? d.positionFirst,
    positionLast: spec.positionBased?.last ?? d.positionLast,
    markovOrders: [...new Set(spec.markovOrders ?? d.markovOrders)].sort((a, b) => a - b),
    includeNonConverting: spec.includeNonConverting ?? d.includeNonConverting,
    bootstrapSamples: spec.bootstrapSamples ?? d.bootstrapSamples,
    confidenceLevel: spec.confidenceLevel ?? d.confidenceLevel,
    shapleyMaxExact: spec.shapleyMaxExact ?? d.shapleyMaxExact,
    shapleyPermutations: spec.shapleyPermutations ?? d.shapleyPermutations,
    seed: spec.seed ?? d.seed,
    spend: spec.spend ?? null,
    topJourneys: spec.topJourneys ?? d.topJourneys,
  };
}
