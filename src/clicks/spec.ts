import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError } from '../core/index.js';
import { ClickDataSpec } from '../query/index.js';

/** A click model by name. */
export const ClickModelName = Type.Union([Type.Literal('pbm'), Type.Literal('cascade'), Type.Literal('dbn')]);

const Em = {
  maxIterations: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  tolerance: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
};

/** What `fitClickModels` fits and how much of each model it lists (README, "Click models"). */
export const ClickModelSpec = Type.Object(
  {
    ...ClickDataSpec.properties,
    models: Type.Optional(Type.Array(ClickModelName, { minItems: 1, maxItems: 3, uniqueItems: true })),
    pbm: Type.Optional(Type.Object(Em, { additionalProperties: false })),
    dbn: Type.Optional(
      Type.Object(
        { ...Em, continuation: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })) },
        { additionalProperties: false },
      ),
    ),
    /** Items listed per model: the most shown first (default 50, at least 1 impression). */
    itemLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    minImpressions: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type ClickModelSpec = Static<typeof ClickModelSpec>;

/** A re-ranking to evaluate offline: item scores (higher first) over the logged lists of a data set. */
export const ReplaySpec = Type.Object(
  {
    ...ClickDataSpec.properties,
    scores: Type.Record(Type.String({ maxLength: 512 }), Type.Number(), { maxProperties: 1_000_000 }),
    /** Caps each click's weight γ(new) / γ(logged); uncapped by default. */
    maxWeight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);
export type ReplaySpec = Static<typeof ReplaySpec>;

function parser<T extends TSchema>(schema: T) {
  const checker = Compile(schema);
  return (input: unknown): Static<T> => {
    if (checker.Check(input)) return input as Static<T>;
    const reason = [...checker.Errors(input)]
      .filter((e) => e.keyword !== 'boolean')
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
      .join('; ');
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason });
  };
}

/** Checks a click-model spec from outside (CLI, HTTP). */
export const parseClickModelSpec: (input: unknown) => ClickModelSpec = parser(ClickModelSpec);

/** Checks a replay spec from outside (CLI, HTTP). */
export const parseReplaySpec: (input: unknown) => ReplaySpec = parser(ReplaySpec);
