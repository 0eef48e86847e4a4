import type { CtrFeatures } from './ctr-config.js';
import { hashPair, murmur3 } from './hashing.js';

/** A row's (or a candidate's) raw feature values by name; null or absent means missing. */
export type FeatureValues = Readonly<Record<string, unknown>>;

/** Mean and standard deviation of a numeric feature over the training rows. */
export interface NumericStat {
  readonly mean: number;
  readonly std: number;
}

/** One block of the design: a categorical field, a cross of fields, or a numeric field. */
export interface FeatureGroup {
  readonly name: string;
  readonly kind: 'categorical' | 'cross' | 'numeric';
  readonly fields: readonly string[];
}

/** Separates a field from its value in a hashed key; field names cannot contain it. */
const SEP = '\u001f';
/** Per-field memo of value → hash; cleared when a field has more distinct values than this. */
const CACHE_LIMIT = 1 << 16;

/** A categorical value as text, or null when missing. */
export function categoryOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

/** A numeric value, or null when missing or not a number ("12" counts as 12). */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * Turns feature values into the sparse hashed vector of a logistic model: bucket indices and
 * values (1 for categorical and crossed features, the standardized number for numeric ones,
 * rounded to float32 so that every consumer of the vector sees the same numbers).
 */
export class FeatureEncoder {
  readonly groups: readonly FeatureGroup[];
  readonly mask: number;
  private readonly categorical: readonly string[];
  private readonly crosses: readonly (readonly number[])[];
  private readonly numeric: readonly { field: string; bucket: number; mean: number; std: number }[];
  private readonly caches: Map<unknown, number>[];
  /** How many hashed categorical fields are features themselves (the rest only feed crosses). */
  private readonly ownCount: number;
  private readonly hashes: Int32Array;
  private readonly present: Uint8Array;

  constructor(
    features: CtrFeatures,
    readonly hashBits: number,
    readonly seed: number,
    numericStats: Readonly<Record<string, NumericStat>>,
  ) {
    this.mask = 2 ** hashBits - 1;
    const own = [...new Set(features.categorical)];
    this.ownCount = own.length;
    const crossFields = features.crosses ?? [];
    // A crossed field that is not itself categorical still needs its value hash (slots after own).
    this.categorical = [...new Set([...own, ...crossFields.flat()])];
    this.crosses = crossFields.map((c) => c.map((f) => this.categorical.indexOf(f)));
    this.numeric = (features.numeric ?? []).map((field) => {
      const stat = numericStats[field] ?? { mean: 0, std: 0 };
      return { field, bucket: murmur3(field, seed) & this.mask, mean: stat.mean, std: stat.std };
    });
    this.caches = this.categorical.map(() => new Map());
    this.hashes = new Int32Array(this.categorical.length);
    this.present = new Uint8Array(this.categorical.length);
    this.groups = [
      ...own.map((f) => ({ name: f, kind: 'categorical' as const, fields: [f] })),
      ...crossFields.map((c) => ({ name: c.join(' x '), kind: 'cross' as const, fields: [...c] })),
      ...(features.numeric ?? []).map((f) => ({
        name: `${f} (numeric)`,
        kind: 'numeric' as const,
        fields: [f],
      })),
    ];
  }

  /** The bucket of a numeric feature (its weight is the log-odds per standard deviation). */
  numericBucket(field: string): number {
    return murmur3(field, this.seed) & this.mask;
  }

  /** The most non-zeros one row can have. */
  get maxNonZeros(): number {
    return this.groups.length;
  }

  private valueHash(slot: number, value: unknown): number | null {
    const cache = this.caches[slot] as Map<unknown, number>;
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const text = categoryOf(value);
    if (text === null) return null;
    const h = murmur3(`${this.categorical[slot]}${SEP}${text}`, this.seed) | 0;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, h);
    return h;
  }

  /**
   * Writes a row's non-zeros to idx/val (and the group of each to grp) from position 0 and
   * returns how many there are; the arrays need maxNonZeros slots. A field the row lacks is read
   * from `context` (values shared by a batch of candidates), without building merged objects.
   */
  encode(
    values: FeatureValues,
    idx: Int32Array,
    val: Float32Array | Float64Array,
    grp?: Uint16Array,
    context?: FeatureValues,
  ): number {
    let nnz = 0;
    for (let s = 0; s < this.categorical.length; s++) {
      const field = this.categorical[s] as string;
      const h = this.valueHash(s, values[field] ?? context?.[field]);
      this.present[s] = h === null ? 0 : 1;
      if (h === null) continue;
      this.hashes[s] = h;
      if (s >= this.ownCount) continue;
      idx[nnz] = h & this.mask;
      val[nnz] = 1;
      if (grp) grp[nnz] = s;
      nnz++;
    }
    nnz = this.encodeCrosses(idx, val, grp, nnz);
    const base = this.ownCount + this.crosses.length;
    for (let j = 0; j < this.numeric.length; j++) {
      const f = this.numeric[j] as (typeof this.numeric)[number];
      const x = numberOf(values[f.field] ?? context?.[f.field]);
      // Missing numbers are imputed with the mean (0 after standardizing): they add nothing.
      if (x === null || f.std === 0) continue;
      idx[nnz] = f.bucket;
      val[nnz] = Math.fround((x - f.mean) / f.std);
      if (grp) grp[nnz] = base + j;
      nnz++;
    }
    return nnz;
  }

  private encodeCrosses(
    idx: Int32Array,
    val: Float32Array | Float64Array,
    grp: Uint16Array | undefined,
    start: number,
  ): number {
    let nnz = start;
    for (let c = 0; c < this.crosses.length; c++) {
      const slots = this.crosses[c] as readonly number[];
      let h = this.seed | 0;
      let isComplete = true;
      for (let k = 0; k < slots.length; k++) {
        const s = slots[k] as number;
        if (this.present[s] === 0) {
          isComplete = false;
          break;
        }
        h = k === 0 ? (this.hashes[s] as number) : hashPair(h, this.hashes[s] as number, this.seed) | 0;
      }
      if (!isComplete) continue;
      idx[nnz] = h & this.mask;
      val[nnz] = 1;
      if (grp) grp[nnz] = this.ownCount + c;
      nnz++;
    }
    return nnz;
  }
}

/** Mean and (population) standard deviation of numeric features over rows, skipping missing values. */
export function numericStatsOf(
  rows: Iterable<FeatureValues>,
  fields: readonly string[],
): Record<string, NumericStat> {
  // Welford's running mean and sum of squared deviations.
  const acc = fields.map(() => ({ n: 0, mean: 0, m2: 0 }));
  for (const row of rows) {
    fields.forEach((f, j) => {
      const x = numberOf(row[f]);
      if (x === null) return;
      const a = acc[j] as { n: number; mean: number; m2: number };
      a.n++;
      const d = x - a.mean;
      a.mean += d / a.n;
      a.m2 += d * (x - a.mean);
    });
  }
  return Object.fromEntries(
    fields.map((f, j) => {
      const a = acc[j] as { n: number; mean: number; m2: number };
      return [f, { mean: a.mean, std: a.n === 0 ? 0 : Math.sqrt(a.m2 / a.n) }];
    }),
  );
}
