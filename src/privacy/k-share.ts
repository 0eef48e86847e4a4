import { PathwiseError } from '../core/index.js';
import { quoteIdent, type SqlValue, type Warehouse } from '../store/index.js';
import { ageBands, coarseLocation, type GroupRow, type Hierarchy, kAnonymize } from './k-anonymity.js';

/** The k-anonymity block every shareable result carries. */
export interface ShareableInfo {
  readonly k: number;
  readonly suppressedRows: number;
  readonly suppressedPersons: number;
  /** Generalization level per quasi-identifier (0: values as they were). */
  readonly levels: Record<string, number>;
}

/** Quasi-identifiers with a coarser form; anything else is shared as is or suppressed. */
export function hierarchyFor(field: string): Hierarchy | undefined {
  const name = field.replace(/^(trait|property|person|session):/, '').toLowerCase();
  if (name === 'age') return ageBands;
  if (name === 'country' || name === 'initial_country') return coarseLocation;
  return undefined;
}

interface StepLike {
  readonly count: number;
  readonly conversionFromPrevious: number | null;
  readonly conversionFromFirst: number | null;
  readonly dropOff: number;
  readonly dropOffRate: number | null;
  readonly avgTimeToConvertSec: number | null;
  readonly medianTimeToConvertSec: number | null;
  readonly timeToConvertHistogram: readonly { fromSec: number; toSec: number | null; count: number }[];
}

/** The parts of a funnel result that sharing changes (structurally query's FunnelResult). */
export interface FunnelLike<S extends StepLike> {
  readonly countBy: 'person' | 'session';
  readonly steps: readonly S[];
  readonly breakdown?: readonly { readonly value: string | null; readonly steps: readonly S[] }[];
  readonly persons?: unknown;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** Steps of a merged group: counts add up; times cannot be merged and become null. */
function mergedSteps<S extends StepLike>(template: readonly S[], counts: Record<string, number>): S[] {
  const first = counts.step_0 ?? 0;
  return template.map((s, i) => {
    const count = counts[`step_${i}`] ?? 0;
    const previous = i === 0 ? count : (counts[`step_${i - 1}`] ?? 0);
    return {
      ...s,
      count,
      conversionFromPrevious: i === 0 ? null : ratio(count, previous),
      conversionFromFirst: ratio(count, first),
      dropOff: previous - count,
      dropOffRate: i === 0 ? null : ratio(previous - count, previous),
      avgTimeToConvertSec: null,
      medianTimeToConvertSec: null,
      timeToConvertHistogram: s.timeToConvertHistogram.map((b) => ({ ...b, count: 0 })),
    };
  });
}

/**
 * A funnel result made shareable: breakdown groups are generalized (country → continent, age →
 * bands) until few persons sit in groups under k, groups still under k are left out, and the
 * list of persons is removed. Persons are disjoint across breakdown groups (one value per unit:
 * README, "Funnels"), so merged counts are exact.
 */
export function shareableFunnel<S extends StepLike, F extends FunnelLike<S>>(
  result: F,
  options: { k?: number; field: string },
): Omit<F, 'persons'> & { shareable: ShareableInfo } {
  if (result.countBy !== 'person') {
    throw new PathwiseError('PW_PRIVACY_NOT_SHAREABLE', { reason: 'a shareable funnel counts persons' });
  }
  const { persons: _persons, ...rest } = result;
  const rows: GroupRow[] = (result.breakdown ?? []).map((b) => ({
    values: { [options.field]: b.value },
    persons: b.steps[0]?.count ?? 0,
    measures: Object.fromEntries(b.steps.map((s, i) => [`step_${i}`, s.count])),
  }));
  const hierarchy = hierarchyFor(options.field);
  const anon = kAnonymize(rows, {
    ...(options.k === undefined ? {} : { k: options.k }),
    ...(hierarchy ? { hierarchies: { [options.field]: hierarchy } } : {}),
  });
  const isGeneralized = (anon.levels[options.field] ?? 0) > 0;
  const breakdown = anon.rows.map((r) => {
    const value = r.values[options.field] ?? null;
    const original = result.breakdown?.find((b) => b.value === value);
    const steps = !isGeneralized && original ? original.steps : mergedSteps(result.steps, r.measures ?? {});
    return { value: value === null ? null : String(value), steps };
  });
  const shareable = {
    k: anon.k,
    suppressedRows: anon.suppressedRows,
    suppressedPersons: anon.suppressedPersons,
    levels: anon.levels,
  };
  return { ...rest, ...(result.breakdown ? { breakdown } : {}), shareable };
}

/** A persons dimension: a first-touch column of `persons` or a trait. */
const PERSON_COLUMNS: Readonly<Record<string, string>> = {
  country: 'initial_country',
  device_type: 'initial_device_type',
  browser: 'initial_browser',
  os: 'initial_os',
  channel: 'initial_channel',
  utm_source: 'initial_utm_source',
  referrer_domain: 'initial_referrer_domain',
};

function dimensionSql(dim: string, bind: (v: SqlValue) => string): string {
  const column = PERSON_COLUMNS[dim];
  if (column) return quoteIdent(column);
  const trait = /^trait:(.{1,128})$/.exec(dim)?.[1] ?? (dim === 'age' ? 'age' : null);
  if (trait === null) {
    const known = [...Object.keys(PERSON_COLUMNS), 'age', 'trait:NAME'].join(', ');
    throw new PathwiseError('PW_PRIVACY_NOT_SHAREABLE', { reason: `unknown dimension "${dim}" (${known})` });
  }
  return `json_extract_string(traits, ${bind(`$.${JSON.stringify(trait)}.value`)})`;
}

/**
 * A shareable table of persons counted by dimensions (first-touch country, device, channel, …,
 * or traits such as age), k-anonymized: what `pathwise export --shareable` writes. Each person
 * is one row of the input, so every count is exact.
 */
export async function shareablePersons(
  wh: Warehouse,
  projectId: string,
  options: { by: readonly string[]; k?: number },
): Promise<{ rows: Record<string, unknown>[]; shareable: ShareableInfo }> {
  if (options.by.length === 0)
    throw new PathwiseError('PW_PRIVACY_NOT_SHAREABLE', { reason: 'no dimension' });
  const params: SqlValue[] = [projectId];
  const bind = (v: SqlValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  const dims = options.by.map((d, i) => `${dimensionSql(d, bind)} AS d${i}`);
  const counted = await wh.all({
    sql: `SELECT ${dims.join(', ')}, count(*) AS persons FROM persons WHERE project_id = $1 GROUP BY ALL`,
    params,
  });
  const rows: GroupRow[] = counted.map((r) => ({
    values: Object.fromEntries(options.by.map((d, i) => [d, (r[`d${i}`] as string | null) ?? null])),
    persons: Number(r.persons),
  }));
  const hierarchies: Record<string, Hierarchy> = {};
  for (const d of options.by) {
    const h = hierarchyFor(d);
    if (h) hierarchies[d] = h;
  }
  const anon = kAnonymize(rows, { ...(options.k === undefined ? {} : { k: options.k }), hierarchies });
  return {
    rows: anon.rows.map((r) => ({ ...r.values, persons: r.persons })),
    shareable: {
      k: anon.k,
      suppressedRows: anon.suppressedRows,
      suppressedPersons: anon.suppressedPersons,
      levels: anon.levels,
    },
  };
}
