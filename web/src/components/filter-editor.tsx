import type { Filter, FilterLeaf, FilterOp } from '../types';
import { Select } from './controls';

/** Materialized event columns a filter or breakdown may name (README, "Store"). */
export const COLUMNS = [
  'path',
  'url',
  'host',
  'title',
  'referrer_domain',
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'device_type',
  'browser',
  'os',
  'country',
  'locale',
  'app_version',
  'type',
] as const;

const OPS: readonly (readonly [FilterOp, string])[] = [
  ['eq', '='],
  ['neq', '≠'],
  ['in', 'in (a, b)'],
  ['contains', 'contains'],
  ['regex', 'matches'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
  ['is_set', 'is set'],
  ['is_not_set', 'is not set'],
];

const NUMERIC_OPS = new Set<FilterOp>(['gt', 'gte', 'lt', 'lte']);

function isLeaf(f: unknown): f is FilterLeaf {
  return typeof f === 'object' && f !== null && ('property' in f || 'column' in f);
}

/** True for what the editor can show: a leaf, or leaves joined by AND (saved specs may hold more). */
export function isEditableFilter(filter: Filter | undefined): boolean {
  if (!filter) return true;
  return 'and' in filter ? filter.and.every(isLeaf) : isLeaf(filter);
}

/** The leaves of a filter the builders wrote (leaves joined by AND). */
export function leavesOf(filter: Filter | undefined): FilterLeaf[] {
  if (!filter) return [];
  return 'and' in filter ? filter.and : [filter];
}

/** Leaves back to a filter: none → undefined, one → the leaf, several → AND. */
export function filterOf(leaves: FilterLeaf[]): Filter | undefined {
  if (leaves.length === 0) return undefined;
  return leaves.length === 1 ? leaves[0] : { and: leaves };
}

function valueText(leaf: FilterLeaf): string {
  const v = leaf.value;
  if (v === undefined) return '';
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/** The typed value for an operator: comparisons take numbers when the text is one; `in` a list. */
function typedValue(op: FilterOp, text: string): FilterLeaf['value'] {
  if (op === 'is_set' || op === 'is_not_set') return undefined;
  if (op === 'in') return text.split(',').map((s) => s.trim());
  if (NUMERIC_OPS.has(op) && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

function withValue(leaf: FilterLeaf, op: FilterOp, text: string): FilterLeaf {
  const value = typedValue(op, text);
  const base = 'property' in leaf ? { property: leaf.property, op } : { column: leaf.column, op };
  return value === undefined ? base : { ...base, value };
}

function LeafRow({
  leaf,
  label,
  onChange,
  onRemove,
}: {
  leaf: FilterLeaf;
  label: string;
  onChange: (l: FilterLeaf) => void;
  onRemove: () => void;
}) {
  const source = 'property' in leaf ? 'property' : 'column';
  const text = valueText(leaf);
  const isValueless = leaf.op === 'is_set' || leaf.op === 'is_not_set';
  return (
    <li className="filter-leaf">
      <Select
        label={`${label}: source`}
        hideLabel
        value={source}
        options={[
          ['property', 'property'],
          ['column', 'column'],
        ]}
        onChange={(s) =>
          onChange(s === 'property' ? { property: '', op: leaf.op } : { column: 'path', op: leaf.op })
        }
      />
      {'property' in leaf ? (
        <input
          aria-label={`${label}: property name`}
          placeholder="property"
          list="pw-properties"
          value={leaf.property}
          onChange={(e) => onChange({ ...leaf, property: e.target.value })}
        />
      ) : (
        <Select
          label={`${label}: column`}
          hideLabel
          value={leaf.column}
          options={COLUMNS.map((c) => [c, c] as const)}
          onChange={(c) => onChange({ ...leaf, column: c })}
        />
      )}
      <Select
        label={`${label}: operator`}
        hideLabel
        value={leaf.op}
        options={OPS}
        onChange={(op) => onChange(withValue(leaf, op, text))}
      />
      {!isValueless && (
        <input
          aria-label={`${label}: value`}
          placeholder="value"
          value={text}
          onChange={(e) => onChange(withValue(leaf, leaf.op, e.target.value))}
        />
      )}
      <button type="button" className="icon-button" aria-label={`Remove ${label}`} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}

/** Filter leaves joined by AND, each a property or column, an operator and a value. */
export function FilterEditor({
  value,
  onChange,
  label,
}: {
  value: Filter | undefined;
  onChange: (f: Filter | undefined) => void;
  label: string;
}) {
  if (!isEditableFilter(value)) {
    return (
      <div className="filter-editor">
        <code>{JSON.stringify(value)}</code>{' '}
        <button
          type="button"
          className="link-button"
          aria-label={`Clear ${label}`}
          onClick={() => onChange(undefined)}
        >
          clear
        </button>
        <span className="muted"> (or/not filters are edited in the spec, the URL's q parameter)</span>
      </div>
    );
  }
  const leaves = leavesOf(value);
  const set = (next: FilterLeaf[]) => onChange(filterOf(next));
  return (
    <div className="filter-editor">
      {leaves.length > 0 && (
        <ul aria-label={label}>
          {leaves.map((leaf, i) => (
            <LeafRow
              // biome-ignore lint/suspicious/noArrayIndexKey: leaves have no identity but their place
              key={i}
              leaf={leaf}
              label={`${label} ${i + 1}`}
              onChange={(l) => set(leaves.map((x, j) => (j === i ? l : x)))}
              onRemove={() => set(leaves.filter((_, j) => j !== i))}
            />
          ))}
        </ul>
      )}
      <button
        type="button"
        className="link-button"
        aria-label={leaves.length === 0 ? `Add ${label}` : `Add another ${label} condition`}
        onClick={() => set([...leaves, { property: '', op: 'eq', value: '' }])}
      >
        {leaves.length === 0 ? '+ Add filter' : '+ and'}
      </button>
    </div>
  );
}

/** True when every leaf names its property (an unfinished filter is not sent). */
export function isFilterComplete(filter: Filter | undefined): boolean {
  if (!isEditableFilter(filter)) return true;
  return leavesOf(filter).every((l) => ('property' in l ? l.property.trim() !== '' : true));
}

/** The whole-query filter of a spec with an optional `where`: a cleared filter drops the key. */
export function SpecFilter<S extends { where?: Filter }>({ spec, set }: { spec: S; set: (spec: S) => void }) {
  return (
    <FilterEditor
      label="Filter"
      value={spec.where}
      onChange={(where) => {
        const { where: _, ...rest } = spec;
        set((where ? { ...rest, where } : rest) as S);
      }}
    />
  );
}
