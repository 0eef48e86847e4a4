import type { Breakdown } from '../types';
import { Select } from './controls';
import { COLUMNS } from './filter-editor';

type Source = 'none' | 'property' | 'column';

/** A breakdown: none, an event property (by name) or an event column, with a limit of values. */
export function BreakdownInput({
  value,
  onChange,
}: {
  value: Breakdown | undefined;
  onChange: (b: Breakdown | undefined) => void;
}) {
  const source: Source = !value ? 'none' : 'property' in value ? 'property' : 'column';
  const limit = value?.limit;
  const withLimit = <T extends object>(b: T) => (limit ? { ...b, limit } : b);
  return (
    <span className="field-group">
      <Select<Source>
        label="Breakdown"
        value={source}
        options={[
          ['none', 'none'],
          ['property', 'event property'],
          ['column', 'event column'],
        ]}
        onChange={(s) =>
          onChange(s === 'none' ? undefined : s === 'property' ? { property: '' } : { column: 'channel' })
        }
      />
      {value && 'property' in value && (
        <input
          aria-label="Breakdown property"
          placeholder="property"
          list="pw-properties"
          value={value.property}
          onChange={(e) => onChange(withLimit({ property: e.target.value }))}
        />
      )}
      {value && 'column' in value && (
        <Select
          label="Breakdown column"
          hideLabel
          value={value.column}
          options={COLUMNS.map((c) => [c, c] as const)}
          onChange={(c) => onChange(withLimit({ column: c }))}
        />
      )}
    </span>
  );
}

/** True when a breakdown is absent or names its property. */
export function isBreakdownComplete(b: Breakdown | undefined): boolean {
  return !b || !('property' in b) || b.property.trim() !== '';
}
