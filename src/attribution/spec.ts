import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError } from '../core/index.js';
import { JourneySpec } from '../query/index.js';

/** Spend per touch label (a channel, a campaign…), in any one currency. */
export const Spend = Type.Record(Type.String({ minLength: 1, maxLength: 512 }), Type.Number({ minimum: 0 }));
export type Spend = Static<typeof Spend>;

/**
 * `{"kind": "attribution", …}`: journeys (README, "Attribution") and the options of every model.
 * Defaults: half-life 7 days, position-based 40/20/40, Markov order 1 with non-converting
 * journeys, 100 bootstrap samples at 95%, exact Shapley up to 15 channels, seed 1.
 */
export const AttributionSpec = Type.Object(
  {
    kind: Type.Literal('attribution'),
    ...JourneySpec.properties,
    /** Labels that "last non-direct" skips. */
    directLabels: Type.Optional(Type.Array(Type.String({ maxLength: 512 }), { maxItems: 20 })),
    halfLifeDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 366 })),
    positionBased: Type.Optional(
      Type.Object(
        { first: Type.Number({ minimum: 0, maximum: 1 }), last: Type.Number({ minimum: 0, maximum: 1 }) },
        { additionalProperties: false },
      ),
    ),
    markovOrders: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 4 }), { minItems: 1, maxItems: 4 }),
    ),
    includeNonConverting: Type.Optional(Type.Boolean()),
    bootstrapSamples: Type.Optional(Type.Integer({ minimum: 0, maximum: 2000 })),
    confidenceLevel: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.999 })),
    shapleyMaxExact: Type.Optional(Type.Integer({ minimum: 1, maximum: 18 })),
    shapleyPermutations: Type.Optional(Type.Integer({ minimum: 100, maximum: 1_000_000 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295 })),
    spend: Type.Optional(Spend),
    topJourneys: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type AttributionSpec = Static<typeof AttributionSpec>;

const checker = Compile(AttributionSpec);

/** Checks an attribution spec from outside (CLI, HTTP) or throws PW_QUERY_INVALID_SPEC. */
export function parseAttributionSpec(input: unknown): AttributionSpec {
  if (checker.Check(input)) {
    const pb = input.positionBased;
    if (pb && pb.first + pb.last > 1 + 1e-12)
      throw new PathwiseError('PW_QUERY_INVALID_SPEC', {
        reason: '/positionBased first + last must be at most 1',
      });
    return input;
  }
  const reason = checker
    .Errors(input)
    .filter((e) => e.keyword !== 'boolean')
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');
  throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason });
}
