import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError, parseInstantUs } from '../core/index.js';
import { PropertyFilter } from '../query/index.js';

const MAX_WINDOW_SEC = 366 * 86_400;
const Name = Type.String({ minLength: 1, maxLength: 512 });
/** Keys appear in URLs and CLI arguments: letters, digits, `_`, `-`, `.`. */
const Key = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$' });
const WindowSec = Type.Integer({ minimum: 1, maximum: MAX_WINDOW_SEC });

/** Events summed per person: the property's value, or one per event without `property`. */
export const ValueSelection = Type.Object(
  { event: Name, property: Type.Optional(Name), where: Type.Optional(PropertyFilter) },
  { additionalProperties: false },
);

/** Converted: the person did `event` within `windowSec` after first exposure. */
export const ConversionMetric = Type.Object(
  {
    key: Key,
    kind: Type.Literal('conversion'),
    event: Name,
    where: Type.Optional(PropertyFilter),
    windowSec: Type.Optional(WindowSec),
  },
  { additionalProperties: false },
);

/** The per-person sum of a numeric property within the window (0 without events), averaged. */
export const MeanMetric = Type.Object(
  {
    key: Key,
    kind: Type.Literal('mean'),
    event: Name,
    property: Name,
    where: Type.Optional(PropertyFilter),
    windowSec: Type.Optional(WindowSec),
    winsorize: Type.Optional(
      Type.Object(
        {
          upper: Type.Number({ exclusiveMinimum: 0.5, maximum: 1 }),
          lower: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 0.5 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Σ numerator / Σ denominator over the persons of an arm (e.g. revenue per session). */
export const RatioMetric = Type.Object(
  {
    key: Key,
    kind: Type.Literal('ratio'),
    numerator: ValueSelection,
    denominator: ValueSelection,
    windowSec: Type.Optional(WindowSec),
  },
  { additionalProperties: false },
);

/** One metric of an experiment. */
export const ExperimentMetric = Type.Union([ConversionMetric, MeanMetric, RatioMetric]);
export type ExperimentMetric = Static<typeof ExperimentMetric>;

/** An experiment definition (README, "Experiments and statistics" documents each field). */
export const ExperimentDefinition = Type.Object(
  {
    key: Key,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    exposure: Type.Object(
      {
        event: Name,
        variantProperty: Type.Optional(Name),
        where: Type.Optional(PropertyFilter),
      },
      { additionalProperties: false },
    ),
    variants: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 2, maxItems: 20 }),
    control: Type.String({ minLength: 1, maxLength: 200 }),
    split: Type.Optional(Type.Array(Type.Number({ exclusiveMinimum: 0 }), { minItems: 2, maxItems: 20 })),
    start: Type.String({ maxLength: 64 }),
    end: Type.Optional(Type.String({ maxLength: 64 })),
    metrics: Type.Array(ExperimentMetric, { minItems: 1, maxItems: 20 }),
    cuped: Type.Optional(Type.Object({ lookbackSec: WindowSec }, { additionalProperties: false })),
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5 })),
    correction: Type.Optional(Type.Enum(['holm', 'benjamini-hochberg', 'none'])),
    sequential: Type.Optional(
      Type.Object({ tuningN: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type ExperimentDefinition = Static<typeof ExperimentDefinition>;

const check = Compile(ExperimentDefinition);

function invalid(reason: string): never {
  throw new PathwiseError('PW_EXPERIMENT_INVALID', { reason });
}

function semanticProblem(d: ExperimentDefinition): string | null {
  if (new Set(d.variants).size !== d.variants.length) return 'variants must be distinct';
  if (!d.variants.includes(d.control)) return `control "${d.control}" is not one of the variants`;
  if (d.split && d.split.length !== d.variants.length) return 'split needs one weight per variant';
  const keys = d.metrics.map((m) => m.key);
  if (new Set(keys).size !== keys.length) return 'metric keys must be distinct';
  const start = parseInstantUs(d.start);
  if (start === null) return `start "${d.start}" is not an ISO-8601 date or instant`;
  if (d.end !== undefined) {
    const end = parseInstantUs(d.end);
    if (end === null) return `end "${d.end}" is not an ISO-8601 date or instant`;
    if (end <= start) return 'end must be after start';
  }
  return null;
}

/** Validates untrusted JSON (HTTP body, CLI file) as an experiment definition. */
export function parseExperimentDefinition(value: unknown): ExperimentDefinition {
  if (!check.Check(value)) {
    const errors = [...check.Errors(value)]
      .filter((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf')
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message}`);
    invalid(errors.join('; '));
  }
  const problem = semanticProblem(value);
  if (problem) invalid(problem);
  return value;
}

/** Defaults, in one place: a 7-day window, variant property "variant", alpha 0.05, Holm. */
export const EXPERIMENT_DEFAULTS = {
  windowSec: 7 * 86_400,
  variantProperty: 'variant',
  alpha: 0.05,
  correction: 'holm',
} as const;
