import Type, { type Static } from 'typebox';

/** A feature's name: the key of a training row and of a candidate to score. */
export const FeatureName = Type.String({ pattern: '^[A-Za-z0-9_$.:-]{1,128}$' });

/**
 * Which features a CTR model uses: categorical values are one-hot (hashed), crosses are the
 * one-hot of value combinations (item × position, device × hour), numeric values are
 * standardized with the training rows' mean and standard deviation.
 */
export const CtrFeatures = Type.Object(
  {
    categorical: Type.Array(FeatureName, { maxItems: 64 }),
    crosses: Type.Optional(
      Type.Array(Type.Array(FeatureName, { minItems: 2, maxItems: 3 }), { maxItems: 32 }),
    ),
    numeric: Type.Optional(Type.Array(FeatureName, { maxItems: 64 })),
  },
  { additionalProperties: false },
);
export type CtrFeatures = Static<typeof CtrFeatures>;

/**
 * FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches", KDD 2013,
 * Algorithm 1): per-coordinate learning rate α / (β + √Σg²), L1 and L2 on the cumulative loss.
 */
export const FtrlTrainer = Type.Object(
  {
    algorithm: Type.Literal('ftrl'),
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    beta: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    l1: Type.Optional(Type.Number({ minimum: 0 })),
    l2: Type.Optional(Type.Number({ minimum: 0 })),
    epochs: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    /**
     * After the last epoch, one more pass refits the intercept alone to its maximum-likelihood
     * value given the other weights (mean prediction = training CTR): FTRL's proximal terms pull
     * every weight toward its start, which biases predictions on small data.
     */
    refitIntercept: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type FtrlTrainer = Static<typeof FtrlTrainer>;

/**
 * Batch L-BFGS on mean log loss + (l2 / 2)·‖w‖² (the intercept is not penalized); equivalent to
 * scikit-learn's LogisticRegression(C = 1 / (l2 · n)).
 */
export const LbfgsTrainer = Type.Object(
  {
    algorithm: Type.Literal('lbfgs'),
    l2: Type.Optional(Type.Number({ minimum: 0 })),
    maxIterations: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** Stop when the largest gradient component (mean-loss scale) is at most this. */
    gradientTolerance: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    memory: Type.Optional(Type.Integer({ minimum: 2, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type LbfgsTrainer = Static<typeof LbfgsTrainer>;

/** The trainer: online FTRL-Proximal (default) or batch L-BFGS. */
export const CtrTrainer = Type.Union([FtrlTrainer, LbfgsTrainer]);
export type CtrTrainer = Static<typeof CtrTrainer>;

/**
 * Class weights for rare clicks: `balanced` weighs each class by n / (2 · n_class), as
 * scikit-learn does; `{positive: k}` weighs clicks k times. The intercept is then corrected by
 * −log(w₊ / w₋) (King and Zeng 2001, prior correction) so predictions stay calibrated.
 */
export const ClassWeight = Type.Union([
  Type.Literal('none'),
  Type.Literal('balanced'),
  Type.Object(
    { positive: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }) },
    { additionalProperties: false },
  ),
]);
export type ClassWeight = Static<typeof ClassWeight>;

/** A CTR model's design: features, hash space, trainer and class weights. */
export const CtrModelConfig = Type.Object(
  {
    features: CtrFeatures,
    /** 2^hashBits weight buckets. */
    hashBits: Type.Optional(Type.Integer({ minimum: 18, maximum: 24 })),
    hashSeed: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
    trainer: Type.Optional(CtrTrainer),
    classWeight: Type.Optional(ClassWeight),
  },
  { additionalProperties: false },
);
export type CtrModelConfig = Static<typeof CtrModelConfig>;

/** Defaults filled in: what a stored model records. */
export const CTR_DEFAULTS = {
  hashBits: 20,
  hashSeed: 0,
  ftrl: { algorithm: 'ftrl', alpha: 0.2, beta: 1, l1: 1, l2: 1, epochs: 1, refitIntercept: true },
  lbfgs: { algorithm: 'lbfgs', l2: 1e-6, maxIterations: 200, gradientTolerance: 1e-7, memory: 10 },
} as const;

/** A trainer's options with every default filled in. */
export type ResolvedTrainer = Required<FtrlTrainer> | Required<LbfgsTrainer>;

/** The trainer with its defaults. */
export function resolveTrainer(trainer: CtrTrainer | undefined): ResolvedTrainer {
  if (trainer?.algorithm === 'lbfgs') return { ...CTR_DEFAULTS.lbfgs, ...trainer };
  return { ...CTR_DEFAULTS.ftrl, ...trainer };
}
