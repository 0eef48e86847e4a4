/**
 * The scoring body's fast check (isPlainPredictBody) against its definition, TypeBox's compiled
 * check of PredictBody: the fast check may refuse a body the schema accepts (the schema then
 * decides), never accept one it refuses. Bodies: hand-made hostile cases, then seeded random
 * mutations of a valid body.
 */
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { isPathwiseError } from '../core/index.js';
import { Rng } from '../sim/index.js';
import { isPlainPredictBody, PredictBody, parsePredictBody } from './ctr-spec.js';

const schema = Compile(PredictBody);

const candidate = () => ({
  item_id: 'i1',
  position: 3,
  item_category: 'shoes',
  item_age_h: 12.5,
  promo: null,
});
const valid = () => ({
  candidates: [candidate(), candidate()],
  context: { device_type: 'mobile', hour: 20 },
});

/** Two candidates with a hole between them. */
function holed(): unknown[] {
  const candidates: unknown[] = [candidate()];
  candidates[2] = candidate();
  return candidates;
}

/** parsePredictBody's answer: the body itself, or the error code it throws. */
function outcome(body: unknown): unknown {
  try {
    return parsePredictBody(body);
  } catch (err) {
    return isPathwiseError(err) ? err.code : err;
  }
}

const HOSTILE: [string, unknown][] = [
  ['no candidates', { context: {} }],
  ['an unknown top-level key', { ...valid(), extra: 1 }],
  ['no candidate', { candidates: [] }],
  ['10,001 candidates', { candidates: Array.from({ length: 10_001 }, candidate) }],
  ['a candidate that is an array', { candidates: [[1, 2]] }],
  ['a null candidate', { candidates: [null] }],
  ['a hole among the candidates', { candidates: holed() }],
  ['an object value', { candidates: [{ item_id: { a: 1 } }] }],
  ['an array value', { candidates: [{ item_id: [1] }] }],
  ['a string of 1,025 characters', { candidates: [{ item_id: 'x'.repeat(1025) }] }],
  ['a string of 1,024 astral characters', { candidates: [{ item_id: '😀'.repeat(1024) }] }],
  ['NaN', { candidates: [{ item_age_h: Number.NaN }] }],
  ['Infinity', { candidates: [{ item_age_h: Number.POSITIVE_INFINITY }] }],
  [
    '129 properties',
    { candidates: [Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, i]))] },
  ],
  ['a key of 129 characters', { candidates: [{ ['k'.repeat(129)]: 1 }] }],
  ['a context that is an array', { candidates: [candidate()], context: ['mobile'] }],
  ['a context with an object', { candidates: [candidate()], context: { hour: { h: 20 } } }],
  ['version 0', { ...valid(), version: 0 }],
  ['version 1.5', { ...valid(), version: 1.5 }],
  ['version "1"', { ...valid(), version: '1' }],
  ['a string body', 'candidates'],
  ['an array body', [candidate()]],
  ['a null body', null],
];

/** A copy of a valid body with one random change at a random depth. */
function mutate(rng: Rng): unknown {
  const body = valid() as Record<string, unknown>;
  const odd: unknown[] = [
    undefined,
    null,
    '',
    'x'.repeat(1024 + rng.int(3)),
    0,
    -1,
    1.5,
    Number.NaN,
    true,
    [],
    {},
    [1],
    { a: 1 },
    2 ** 53,
  ];
  const value = odd[rng.int(odd.length)];
  const where = rng.int(4);
  const target =
    where === 0
      ? body
      : where === 1
        ? (body.context as Record<string, unknown>)
        : ((body.candidates as Record<string, unknown>[])[rng.int(2)] as Record<string, unknown>);
  const keys = [...Object.keys(target), 'version', 'extra', 'candidates', 'context'];
  const key = keys[rng.int(keys.length)] as string;
  if (rng.float() < 0.2) delete target[key];
  else target[key] = value;
  if (where === 3)
    body.candidates = (body.candidates as unknown[]).map((c) => (rng.float() < 0.3 ? value : c));
  return body;
}

describe('the scoring body fast check', () => {
  it('accepts ordinary bodies, which the schema accepts too', () => {
    for (const body of [valid(), { candidates: [candidate()] }, { ...valid(), version: 3 }]) {
      expect(isPlainPredictBody(body)).toBe(true);
      expect(schema.Check(body)).toBe(true);
      expect(outcome(body)).toBe(body);
    }
  });

  it.each(HOSTILE)('never accepts what the schema refuses: %s', (_name, body) => {
    if (!schema.Check(body)) {
      expect(isPlainPredictBody(body)).toBe(false);
      expect(outcome(body)).toBe('PW_MODEL_INVALID_CANDIDATES');
    } else expect(outcome(body)).toBe(body);
  });

  it('the hostile cases include bodies the schema accepts and the fast check leaves to it', () => {
    const leftToSchema = HOSTILE.filter(([, b]) => schema.Check(b) && !isPlainPredictBody(b)).map(([n]) => n);
    expect(leftToSchema).toEqual(
      expect.arrayContaining(['a key of 129 characters', 'a string of 1,024 astral characters']),
    );
  });

  it('agrees with the schema on 2,000 random mutations whenever it accepts', () => {
    const rng = new Rng(7);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const body = mutate(rng);
      const isValid = schema.Check(body);
      if (isPlainPredictBody(body)) {
        accepted++;
        expect(isValid).toBe(true);
      }
      if (!isValid) {
        refused++;
        expect(outcome(body)).toBe('PW_MODEL_INVALID_CANDIDATES');
      }
    }
    // Both kinds occur, so the comparison is not empty on either side.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });
});
