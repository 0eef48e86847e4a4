import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { type ErrorCode, PathwiseError } from '../core/index.js';
import { CtrModelConfig } from '../models/index.js';
import { CtrTrainingSource } from '../query/index.js';

/** A model's name: letters, digits, `_`, `.`, `-`. */
export const ModelName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' });

/** How a trained model is evaluated beyond its test metrics. */
export const CtrEvaluationOptions = Type.Object(
  {
    /** Test rows sampled (uniformly) for importance. */
    importanceRows: Type.Optional(Type.Integer({ minimum: 100, maximum: 200_000 })),
    permutationRepeats: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
  },
  { additionalProperties: false },
);
export type CtrEvaluationOptions = Static<typeof CtrEvaluationOptions>;

/**
 * A CTR model to train (README, "CTR prediction"): where its rows come from (query's
 * CtrTrainingSource), its design (models' CtrModelConfig) and how it is evaluated.
 */
export const CtrTrainSpec = Type.Object(
  {
    kind: Type.Optional(Type.Literal('ctr')),
    ...CtrTrainingSource.properties,
    ...CtrModelConfig.properties,
    evaluation: Type.Optional(CtrEvaluationOptions),
  },
  { additionalProperties: false },
);
export type CtrTrainSpec = Static<typeof CtrTrainSpec>;

const Scalar = Type.Union([Type.String({ maxLength: 1024 }), Type.Number(), Type.Boolean(), Type.Null()]);
const Values = Type.Record(Type.String({ maxLength: 128 }), Scalar, { maxProperties: 128 });

/** Candidates to score in one call: each a map of feature values; `context` is shared by all. */
export const PredictBody = Type.Object(
  {
    candidates: Type.Array(Values, { minItems: 1, maxItems: 10_000 }),
    context: Type.Optional(Values),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type PredictBody = Static<typeof PredictBody>;

const validators = new Map<TSchema, ReturnType<typeof Compile>>();

function check<T>(schema: TSchema, value: unknown, code: ErrorCode): T {
  let v = validators.get(schema);
  if (!v) {
    v = Compile(schema);
    validators.set(schema, v);
  }
  if (v.Check(value)) return value as T;
  const reason = [...v.Errors(value)]
    .filter((e) => e.keyword !== 'boolean')
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');
  throw new PathwiseError(code, { reason });
}

/** Validates untrusted JSON (HTTP body, CLI --spec) as a CTR training spec. */
export function parseCtrTrainSpec(value: unknown): CtrTrainSpec {
  const spec = check<CtrTrainSpec>(CtrTrainSpec, value, 'PW_MODEL_INVALID_SPEC');
  const f = spec.features;
  if (f.categorical.length + (f.numeric?.length ?? 0) + (f.crosses?.length ?? 0) === 0)
    throw new PathwiseError('PW_MODEL_INVALID_SPEC', { reason: '/features names no feature' });
  return spec;
}

const BODY_KEYS = new Set(['candidates', 'context', 'version']);

function isScalar(x: unknown): boolean {
  return (
    (typeof x === 'string' && x.length <= 1024) || Number.isFinite(x) || typeof x === 'boolean' || x === null
  );
}

function isPlainValues(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  // Own names, as TypeBox counts them; for-in also visits inherited enumerable keys (stricter).
  if (Object.getOwnPropertyNames(x).length > 128) return false;
  for (const key in x) {
    if (key.length > 128 || !isScalar((x as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * A sufficient condition for PredictBody, without allocation per value: TypeBox's compiled
 * Record check builds an entry array for every property (about 50 KB and 70 µs for 100
 * candidates, the largest cost of a scoring request after JSON.parse). Everything it accepts the
 * schema accepts (`src/server/ctr-spec.test.ts` checks it on hostile bodies and random mutations); anything
 * else goes to the schema, which stays the definition and gives the errors.
 */
export function isPlainPredictBody(value: unknown): value is PredictBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const names = Object.getOwnPropertyNames(value);
  if (!names.every((n) => BODY_KEYS.has(n)) || !names.includes('candidates')) return false;
  const { candidates, context, version } = value as Record<string, unknown>;
  if (!Array.isArray(candidates) || candidates.length < 1 || candidates.length > 10_000) return false;
  for (let i = 0; i < candidates.length; i++) if (!isPlainValues(candidates[i])) return false;
  if (context !== undefined && !isPlainValues(context)) return false;
  return version === undefined || (Number.isInteger(version) && (version as number) >= 1);
}

/** Validates candidates to score (HTTP body, CLI --candidates). */
export function parsePredictBody(value: unknown): PredictBody {
  if (isPlainPredictBody(value)) return value;
  return check<PredictBody>(PredictBody, value, 'PW_MODEL_INVALID_CANDIDATES');
}

/** Validates a model name. */
export function parseModelName(value: string): string {
  return check<string>(ModelName, value, 'PW_MODEL_INVALID_SPEC');
}
