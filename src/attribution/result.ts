import type { ResolvedDateRange } from '../query/index.js';
import type { ChannelRole } from './roles.js';

/** A model of the comparison and what it was fitted with. */
export interface ModelInfo {
  /** `first_touch` … `position_based`, `markov_<order>`, `shapley`. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'heuristic' | 'markov' | 'shapley';
  readonly description: string;
  /** Markov: states (with "(start)"), P(conversion) from "(start)", bootstrap resamples. */
  readonly order?: number;
  readonly states?: number;
  readonly conversionProbability?: number;
  readonly bootstrapSamples?: number;
  /** Shapley: exact or sampled, players, permutations. */
  readonly method?: 'exact' | 'sampled';
  readonly players?: number;
  readonly permutations?: number | null;
}

/** One channel (touch label) across every model, with spend, cost and return when spend is known. */
export interface ChannelComparison {
  readonly channel: string;
  /** Conversions and value credited, by model id. */
  readonly conversions: Readonly<Record<string, number>>;
  readonly value: Readonly<Record<string, number>>;
  /** Markov models: bootstrap percentile intervals at the confidence level. */
  readonly intervals: Readonly<
    Record<string, { readonly conversions: [number, number]; readonly value: [number, number] }>
  >;
  /** Markov models: removal effects on conversions and on value. */
  readonly removalEffects: Readonly<Record<string, { readonly conversions: number; readonly value: number }>>;
  /** Sampled Shapley only: the simultaneous bound and the standard error of the estimate. */
  readonly shapleyError: {
    readonly bound: number;
    readonly standardError: number;
    readonly boundValue: number;
    readonly standardErrorValue: number;
  } | null;
  readonly spend: number | null;
  /** Spend / credited conversions (null without spend or credit); (value − spend) / spend. */
  readonly costPerConversion: Readonly<Record<string, number | null>>;
  readonly roi: Readonly<Record<string, number | null>>;
}

/** A frequent path, for the dashboard's journey list. */
export interface TopJourney {
  readonly path: readonly string[];
  readonly journeys: number;
  readonly conversions: number;
  readonly conversionRate: number;
  readonly value: number;
}

/** A Sankey link between touch positions `step` and `step + 1` (or to the journey's end). */
export interface SankeyLink {
  readonly step: number;
  readonly from: string;
  readonly to: string;
  readonly journeys: number;
  readonly conversions: number;
}

/** One channel's budget advice. */
export interface ChannelAdvice {
  readonly channel: string;
  readonly action: 'grow' | 'cut' | 'keep' | 'unpriced';
  readonly text: string;
  /** Credit per unit of spend under the basis model (value when there is value, else conversions). */
  readonly efficiency: { readonly estimate: number; readonly low: number; readonly high: number } | null;
  readonly modelsAgreeing: number | null;
}

/** The plain-language recommendation and what it rests on. */
export interface Recommendation {
  readonly basis: string;
  readonly confidenceLevel: number;
  readonly summary: string;
  readonly channels: readonly ChannelAdvice[];
}

/** What the journeys were and what was left out. */
export interface JourneySummary {
  readonly journeys: number;
  readonly convertingJourneys: number;
  readonly nonConvertingJourneys: number;
  readonly touches: number;
  readonly avgTouchesPerConvertingJourney: number | null;
  /** Conversions in the range; those without any touch in their window are unattributed. */
  readonly conversions: number;
  readonly attributedConversions: number;
  readonly unattributedConversions: number;
  readonly value: number;
  readonly attributedValue: number;
  readonly distinctPaths: number;
  readonly distinctLabels: number;
  readonly truncatedJourneys: number;
}

/** The attribution insight: every model side by side, roles, budget view and advice. */
export interface AttributionResult {
  readonly kind: 'attribution';
  readonly dateRange: ResolvedDateRange;
  readonly timeZone: string;
  /** The definitions in effect (README, "Attribution"). */
  readonly definitions: Readonly<Record<string, unknown>>;
  readonly summary: JourneySummary;
  readonly channels: readonly string[];
  readonly models: readonly ModelInfo[];
  readonly comparison: readonly ChannelComparison[];
  readonly roles: readonly ChannelRole[];
  /** Order-1 transition probabilities, when order 1 was fitted. */
  readonly transitions: readonly {
    readonly from: string;
    readonly to: string;
    readonly probability: number;
  }[];
  readonly topJourneys: readonly TopJourney[];
  readonly sankey: readonly SankeyLink[];
  readonly budget: {
    readonly totalSpend: number;
    /** Spend labels that no journey touched. */
    readonly unmatched: readonly string[];
  } | null;
  readonly recommendation: Recommendation;
}
