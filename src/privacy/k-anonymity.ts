import { countries } from 'countries-list';

/** A quasi-identifier's value. */
export type QuasiValue = string | number | null;

/**
 * A generalization hierarchy: level 0 is the value as it is, each level is coarser, and the
 * last level (`levels - 1`) is '*' for every value.
 */
export interface Hierarchy {
  readonly levels: number;
  generalize(value: QuasiValue, level: number): string;
}

const ANY = '*';
const NONE = '(none)';

/** Suppression only: the value, or '*' (for quasi-identifiers without a coarser form). */
export const valueOrAny: Hierarchy = {
  levels: 2,
  generalize: (v, level) => (level >= 1 ? ANY : v === null ? NONE : String(v)),
};

/** Ages: exact, 5-year bands ('20-24'), 10-year ('20-29'), 20-year ('20-39'), '*'. */
export const ageBands: Hierarchy = {
  levels: 5,
  generalize(v, level) {
    if (level >= 4) return ANY;
    const age = typeof v === 'number' ? v : Number(v);
    if (v === null || v === '' || !Number.isFinite(age)) return NONE;
    if (level === 0) return String(v);
    const width = [1, 5, 10, 20][level] as number;
    const from = Math.floor(age / width) * width;
    return `${from}-${from + width - 1}`;
  },
};

/** Countries (ISO 3166-1 alpha-2): the country, its continent (countries-list codes: EU, NA, …), '*'. */
export const coarseLocation: Hierarchy = {
  levels: 3,
  generalize(v, level) {
    if (level >= 2) return ANY;
    if (v === null || v === '') return NONE;
    const code = String(v).toUpperCase();
    if (level === 0) return code;
    return (countries as Record<string, { continent: string } | undefined>)[code]?.continent ?? NONE;
  },
};

/** One row of the table to share: its quasi-identifiers, its person count and additive measures. */
export interface GroupRow {
  readonly values: Readonly<Record<string, QuasiValue>>;
  /** Persons in the row; rows must not share persons, so that merged rows add up. */
  readonly persons: number;
  readonly measures?: Readonly<Record<string, number>>;
}

/** Options of kAnonymize. */
export interface KAnonymityOptions {
  /** Smallest group that may be shared (default 5). */
  readonly k?: number;
  /** Hierarchies by quasi-identifier; any other column is suppress-only. */
  readonly hierarchies?: Readonly<Record<string, Hierarchy>>;
  /**
   * Generalize while suppressing the remaining small groups would drop more than this share of
   * the persons (default 0.1); past it, or at the top of every hierarchy, small groups are
   * suppressed.
   */
  readonly maxSuppressedShare?: number;
}

/** A k-anonymous table, and what it cost. */
export interface KAnonymityResult {
  readonly k: number;
  /** Generalized rows, each with at least k persons, largest first. */
  readonly rows: GroupRow[];
  /** The hierarchy level each quasi-identifier ended at (0: as it was). */
  readonly levels: Record<string, number>;
  /** Rows of the generalized table left out because they had fewer than k persons. */
  readonly suppressedRows: number;
  readonly suppressedPersons: number;
}

function group(
  rows: readonly GroupRow[],
  columns: readonly string[],
  levels: Record<string, number>,
  hs: Record<string, Hierarchy>,
) {
  const groups = new Map<
    string,
    { values: Record<string, QuasiValue>; persons: number; measures: Record<string, number> }
  >();
  for (const row of rows) {
    const values: Record<string, QuasiValue> = {};
    for (const c of columns)
      values[c] = (hs[c] as Hierarchy).generalize(row.values[c] ?? null, levels[c] ?? 0);
    const key = JSON.stringify(columns.map((c) => values[c]));
    const g = groups.get(key) ?? { values, persons: 0, measures: {} };
    g.persons += row.persons;
    for (const [m, n] of Object.entries(row.measures ?? {})) g.measures[m] = (g.measures[m] ?? 0) + n;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/**
 * k-anonymity by full-domain generalization with suppression, Sweeney's Datafly heuristic
 * (Sweeney 2002, "Achieving k-anonymity privacy protection using generalization and
 * suppression"): while the groups smaller than k hold more persons than the suppression budget,
 * raise the quasi-identifier with the most distinct values one level; then leave out every group
 * still smaller than k. Pure: rows in, rows out.
 */
export function kAnonymize(rows: readonly GroupRow[], options: KAnonymityOptions = {}): KAnonymityResult {
  const k = options.k ?? 5;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const hs: Record<string, Hierarchy> = {};
  for (const c of columns) hs[c] = options.hierarchies?.[c] ?? valueOrAny;
  const levels: Record<string, number> = Object.fromEntries(columns.map((c) => [c, 0]));
  const total = rows.reduce((s, r) => s + r.persons, 0);
  const budget = (options.maxSuppressedShare ?? 0.1) * total;
  let groups = group(rows, columns, levels, hs);
  for (;;) {
    const small = groups.filter((g) => g.persons < k).reduce((s, g) => s + g.persons, 0);
    const raisable = columns.filter((c) => (levels[c] ?? 0) < (hs[c] as Hierarchy).levels - 1);
    if (small <= budget || raisable.length === 0) break;
    const distinct = (c: string) => new Set(groups.map((g) => g.values[c])).size;
    const next = raisable.reduce((best, c) => (distinct(c) > distinct(best) ? c : best));
    levels[next] = (levels[next] ?? 0) + 1;
    groups = group(rows, columns, levels, hs);
  }
  const kept = groups.filter((g) => g.persons >= k).sort((a, b) => b.persons - a.persons);
  const dropped = groups.filter((g) => g.persons < k);
  return {
    k,
    rows: kept,
    levels,
    suppressedRows: dropped.length,
    suppressedPersons: dropped.reduce((s, g) => s + g.persons, 0),
  };
}
