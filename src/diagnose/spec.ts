import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError } from '../core/index.js';
import { FunnelSpec, SegmentBy } from '../query/index.js';

/** A funnel diagnosis request (README, "Funnel diagnostics" documents every field and default). */
export const DiagnoseSpec = Type.Object(
  {
    funnel: FunnelSpec,
    /** More dimensions, after the default ones (device type, browser, OS, country, channel, new vs returning, app version). */
    dimensions: Type.Optional(Type.Array(SegmentBy, { maxItems: 20 })),
    /** Set false to segment by `dimensions` only. */
    defaultDimensions: Type.Optional(Type.Boolean()),
    /** Compare segments of two values of a dimension too (default true). */
    pairs: Type.Optional(Type.Boolean()),
    /** False discovery rate of the segment, period and correlation families (default 0.05). */
    fdr: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5 })),
    /** Segments with fewer mature entrants at a step are not tested (default 100). */
    minSegmentSize: Type.Optional(Type.Integer({ minimum: 5, maximum: 1_000_000 })),
    /** Values of a dimension past its most frequent N are grouped and not tested (default 20). */
    topValues: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    /** Conversion counted within this many seconds of the step (default min(window, 1 day)). */
    horizonSec: Type.Optional(Type.Integer({ minimum: 60, maximum: 366 * 86_400 })),
    /** Compare before and after this date (local day start) or instant, e.g. a release. */
    compareAt: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    correlation: Type.Optional(
      Type.Object(
        {
          /** Event properties whose values are features (event names always are). */
          properties: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { maxItems: 20 }),
          ),
          /** Events this long before the chain's first step count (default 1800). */
          lookbackSec: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86_400 })),
          /** Features seen for fewer units at a step are not tested (default 30). */
          minUnits: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Power of the suggested A/B test (default 0.8). */
    power: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.99 })),
  },
  { additionalProperties: false },
);
export type DiagnoseSpec = Static<typeof DiagnoseSpec>;

const check = Compile(DiagnoseSpec);

/** Validates untrusted JSON (HTTP body, CLI --spec) as a diagnosis spec; errors name the field. */
export function parseDiagnoseSpec(value: unknown): DiagnoseSpec {
  if (check.Check(value)) return value;
  const errors = [...check.Errors(value)]
    .filter((e) => e.keyword !== 'boolean')
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new PathwiseError('PW_DIAGNOSE_INVALID_SPEC', { reason: errors.join('; ') });
}
