import type { JourneyExtract, JourneySet } from '../query/index.js';
import { bootstrapMarkov, percentileInterval, type Replicates } from './bootstrap.js';
import { costAndReturn, type ModelCredit, spendByCode } from './budget.js';
import { HEURISTIC_MODELS, heuristicCredit } from './heuristics.js';
import { buildChain, fitChain, type MarkovChain, type MarkovFit } from './markov.js';
import type { AttributionOptions } from './options.js';
import { type PathTable, type PathWeights, pathTable, pathWeights } from './paths.js';
import { recommend } from './recommend.js';
import type { AttributionResult, ChannelComparison, JourneySummary, ModelInfo } from './result.js';
import { channelRoles } from './roles.js';
import { type RandomSource, type ShapleyResult, shapley } from './shapley.js';
import { sankeyLinks, topJourneys } from './views.js';

/** Makes the seeded generator of one stream: bootstrap of order k uses stream k, Shapley 100. */
export type RandomFactory = (seed: number, stream: number) => RandomSource;

const SHAPLEY_STREAM = 100;

const HEURISTIC_INFO: Readonly<Record<string, [string, string]>> = {
  first_touch: ['First touch', 'all credit to the first touch'],
  last_touch: ['Last touch', 'all credit to the last touch'],
  last_non_direct: [
    'Last non-direct',
    'all credit to the last touch that is not direct (the last touch when all are)',
  ],
  linear: ['Linear', 'equal credit per touch'],
  time_decay: ['Time decay', 'credit halves every half-life before the conversion'],
  position_based: [
    'Position-based',
    'first and last touches get fixed shares, middle touches split the rest',
  ],
};

interface MarkovModel {
  readonly order: number;
  readonly chain: MarkovChain;
  readonly fit: MarkovFit;
  readonly replicates: Replicates | null;
}

function summaryOf(x: JourneyExtract, distinctPaths: number): JourneySummary {
  const s = x.set;
  let converting = 0;
  let value = 0;
  let convertingTouches = 0;
  for (let j = 0; j < s.count; j++) {
    if (s.isConverted[j] !== 1) continue;
    converting++;
    value += s.value[j] as number;
    convertingTouches += (s.offsets[j + 1] as number) - (s.offsets[j] as number);
  }
  return {
    journeys: s.count,
    convertingJourneys: converting,
    nonConvertingJourneys: s.count - converting,
    touches: s.touches.length,
    avgTouchesPerConvertingJourney: converting === 0 ? null : convertingTouches / converting,
    conversions: x.conversions,
    attributedConversions: converting,
    unattributedConversions: Math.max(0, x.conversions - converting),
    value: x.conversionValue,
    attributedValue: value,
    distinctPaths,
    distinctLabels: x.distinctLabels,
    truncatedJourneys: x.truncatedJourneys,
  };
}

function markovInfo(m: MarkovModel): ModelInfo {
  return {
    id: `markov_${m.order}`,
    name: `Markov order ${m.order}`,
    kind: 'markov',
    description:
      'removal effects of a fitted Markov chain (exact), conversions and value shared in proportion',
    order: m.order,
    states: m.chain.states,
    conversionProbability: m.fit.conversionProbability,
    bootstrapSamples: m.replicates?.conversions.length ?? 0,
  };
}

function shapleyInfo(s: ShapleyResult): ModelInfo {
  return {
    id: 'shapley',
    name: 'Shapley',
    kind: 'shapley',
    description: 'Shapley values of the conversions each coalition of channels would keep on its own',
    method: s.method,
    players: s.players,
    permutations: s.permutations,
  };
}

function transitionsOf(
  models: readonly MarkovModel[],
  labels: readonly string[],
): AttributionResult['transitions'] {
  const m = models.find((x) => x.order === 1);
  if (!m) return [];
  const name = (s: number) => (s === 0 ? '(start)' : (labels[m.chain.windows[s]?.[0] as number] as string));
  const out: { from: string; to: string; probability: number }[] = [];
  for (let e = 0; e < m.chain.to.length; e++)
    out.push({
      from: name(m.chain.from[e] as number),
      to: name(m.chain.to[e] as number),
      probability: m.fit.probabilities[e] as number,
    });
  for (let s = 1; s < m.chain.states; s++) {
    out.push({ from: name(s), to: '(conversion)', probability: m.fit.toConversion[s] as number });
    out.push({ from: name(s), to: '(null)', probability: m.fit.toNull[s] as number });
  }
  return out.filter((t) => t.probability > 0);
}

interface Fitted {
  readonly heur: ReturnType<typeof heuristicCredit>;
  readonly markovs: readonly MarkovModel[];
  readonly shap: ShapleyResult;
}

/** Every model fitted: rules, a Markov chain per order (with its bootstrap), Shapley. */
function fitModels(
  set: JourneySet,
  table: PathTable,
  weights: PathWeights,
  o: AttributionOptions,
  random: RandomFactory,
): Fitted {
  const heur = heuristicCredit(set, {
    isDirect: set.labels.map((l) => o.directLabels.includes(l)),
    halfLifeSec: o.halfLifeSec,
    positionFirst: o.positionFirst,
    positionLast: o.positionLast,
  });
  const markovs = o.markovOrders.map((order) => {
    const chain = buildChain(table, order);
    const fit = fitChain(chain, weights, set.labels.length);
    const replicates =
      o.bootstrapSamples > 0
        ? bootstrapMarkov(
            set,
            table,
            chain,
            o.bootstrapSamples,
            o.includeNonConverting,
            random(o.seed, order),
          )
        : null;
    return { order, chain, fit, replicates };
  });
  const shap = shapley(table, weights, set.labels.length, {
    maxExact: o.shapleyMaxExact,
    permutations: o.shapleyPermutations,
    confidenceLevel: o.confidenceLevel,
    rng: random(o.seed, SHAPLEY_STREAM),
  });
  return { heur, markovs, shap };
}

function creditsOf(f: Fitted): ModelCredit[] {
  return [
    ...HEURISTIC_MODELS.map((id) => ({ id, ...f.heur[id] })),
    ...f.markovs.map((m) => ({
      id: `markov_${m.order}`,
      conversions: m.fit.conversions,
      value: m.fit.value,
    })),
    { id: 'shapley', conversions: f.shap.conversions, value: f.shap.value },
  ];
}

function modelsOf(f: Fitted): ModelInfo[] {
  return [
    ...HEURISTIC_MODELS.map((id) => {
      const [name, description] = HEURISTIC_INFO[id] as [string, string];
      return { id, name, kind: 'heuristic' as const, description };
    }),
    ...f.markovs.map(markovInfo),
    shapleyInfo(f.shap),
  ];
}

/**
 * Every model on one set of journeys (pure: journeys in, result out; the generator is injected).
 * The recommendation rests on the highest-order Markov chain fitted, with its bootstrap.
 */
export function attribute(
  x: JourneyExtract,
  o: AttributionOptions,
  random: RandomFactory,
): AttributionResult {
  const set = x.set;
  const table = pathTable(set);
  const weights = pathWeights(set, table, o.includeNonConverting);
  const everyJourney = o.includeNonConverting ? weights : pathWeights(set, table, true);
  const f = fitModels(set, table, weights, o, random);
  const credits = creditsOf(f);
  const roles = channelRoles(set);
  const summary = summaryOf(x, table.count);
  const hasValue = summary.attributedValue > 0;
  const spend = spendByCode(set.labels, o.spend);
  const basis = f.markovs[f.markovs.length - 1] as MarkovModel;
  return {
    kind: 'attribution',
    dateRange: x.dateRange,
    timeZone: x.timeZone,
    definitions: { journeys: x.settings, ...definitionsOf(o, f.shap) },
    summary,
    channels: set.labels,
    models: modelsOf(f),
    comparison: set.labels.map((channel, c) =>
      compareChannel(channel, c, credits, f, spend.byCode[c] ?? null, hasValue, o.confidenceLevel),
    ),
    roles,
    transitions: transitionsOf(f.markovs, set.labels),
    topJourneys: topJourneys(table, everyJourney, set.labels, o.topJourneys),
    sankey: sankeyLinks(table, everyJourney, set.labels),
    budget: o.spend
      ? { totalSpend: Object.values(o.spend).reduce((a, b) => a + b, 0), unmatched: spend.unmatched }
      : null,
    recommendation: recommend({
      labels: set.labels,
      spend: spend.byCode,
      basis: { id: `markov_${basis.order}`, name: `Markov order ${basis.order}`, ...basis.fit },
      replicates: basis.replicates,
      models: credits,
      roles,
      firstTouch: { id: 'first_touch', ...f.heur.first_touch },
      lastTouch: { id: 'last_touch', ...f.heur.last_touch },
      hasValue,
      confidenceLevel: o.confidenceLevel,
      journeys: set.count,
    }),
  };
}

function compareChannel(
  channel: string,
  c: number,
  credits: readonly ModelCredit[],
  f: Fitted,
  spend: number | null,
  hasValue: boolean,
  level: number,
): ChannelComparison {
  const intervals: Record<string, { conversions: [number, number]; value: [number, number] }> = {};
  const removalEffects: Record<string, { conversions: number; value: number }> = {};
  const shap = f.shap;
  for (const m of f.markovs) {
    const id = `markov_${m.order}`;
    removalEffects[id] = {
      conversions: m.fit.removalEffects[c] as number,
      value: m.fit.removalEffectsValue[c] as number,
    };
    if (m.replicates)
      intervals[id] = {
        conversions: percentileInterval(m.replicates.conversions, c, level),
        value: percentileInterval(m.replicates.value, c, level),
      };
  }
  return {
    channel,
    conversions: Object.fromEntries(credits.map((m) => [m.id, m.conversions[c] as number])),
    value: Object.fromEntries(credits.map((m) => [m.id, m.value[c] as number])),
    intervals,
    removalEffects,
    shapleyError:
      shap.bound && shap.standardError
        ? {
            bound: shap.bound.conversions[c] as number,
            standardError: shap.standardError.conversions[c] as number,
            boundValue: shap.bound.value[c] as number,
            standardErrorValue: shap.standardError.value[c] as number,
          }
        : null,
    spend,
    ...costAndReturn(credits, spend, c, hasValue),
  };
}

function definitionsOf(o: AttributionOptions, s: ShapleyResult): Record<string, unknown> {
  return {
    linear: 'equal credit per touch (a label touched twice gets two shares)',
    timeDecay: { halfLifeDays: o.halfLifeSec / 86_400, clock: 'time from the touch to the conversion' },
    positionBased: {
      first: o.positionFirst,
      last: o.positionLast,
      oneTouch: 'all credit',
      twoTouches: 'first/(first+last) and last/(first+last)',
    },
    lastNonDirect: { directLabels: o.directLabels, allDirect: 'credit the last touch' },
    markov: {
      orders: o.markovOrders,
      includeNonConverting: o.includeNonConverting,
      states: 'windows of k touches sliding by one, consecutive equal states merged (ChannelAttribution)',
      removalEffect: '1 − P(conversion without the channel) / P(conversion), solved exactly',
      normalization:
        'attributed conversions and value in proportion to removal effects (on value, the value chain)',
      bootstrap: {
        samples: o.bootstrapSamples,
        level: o.confidenceLevel,
        method: 'percentile, journeys resampled',
      },
    },
    shapley: {
      characteristic:
        'v(S) = Σ over journeys of the conversion rate of touch set T ∩ S (exact set, else sets within it, else 0)',
      method: s.method,
      exactUpTo: o.shapleyMaxExact,
      permutations: s.method === 'sampled' ? o.shapleyPermutations : null,
      bound: s.method === 'sampled' ? `Hoeffding, simultaneous over channels at ${o.confidenceLevel}` : null,
    },
    seed: o.seed,
  };
}
