import { useEffect, useId, useState } from 'react';
import { readCatalog } from '../api';
import { useUrlParam } from '../router';
import type { Catalog, DateRange } from '../types';

let catalogPromise: Promise<Catalog> | null = null;

/** Event names and property keys for suggestions, loaded once per page load. */
export function useCatalog(): Catalog | null {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  useEffect(() => {
    catalogPromise ??= readCatalog().catch(() => {
      catalogPromise = null;
      return { events: [], properties: [] };
    });
    let isLive = true;
    void catalogPromise.then((c) => isLive && setCatalog(c));
    return () => {
      isLive = false;
    };
  }, []);
  return catalog;
}

/** The datalists a builder's inputs point at (event names, property keys); builder pages only: the query behind them scans every event. */
export function CatalogLists() {
  const catalog = useCatalog();
  return (
    <>
      <datalist id="pw-events">
        {catalog?.events.map((e) => (
          <option key={e.name} value={e.name}>
            {`${e.count} events`}
          </option>
        ))}
      </datalist>
      <datalist id="pw-properties">
        {catalog?.properties.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
    </>
  );
}

/** A labelled text input for an event name, suggesting the project's event names. */
export function EventInput({
  label,
  value,
  onChange,
  className,
  id,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  className?: string;
  id?: string;
}) {
  return (
    <input
      id={id}
      className={className ?? 'event-input'}
      aria-label={label}
      placeholder="event name"
      list="pw-events"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** A labelled select. */
export function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  hideLabel,
}: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
  hideLabel?: boolean;
}) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id} className={hideLabel ? 'sr-only' : undefined}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </span>
  );
}

const PRESETS = ['24h', '7d', '14d', '30d', '90d'] as const;
const PRESET_TEXT: Record<string, string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '14d': 'Last 14 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
};

/** YYYY-MM-DD of a day `daysBack` before today, in the browser's calendar. */
export function localDate(daysBack = 0): string {
  const d = new Date();
  d.setDate(d.getDate() - daysBack);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A date range: a preset ("last 14 days", resolved by the server in the project's zone) or
 * custom calendar days (inclusive).
 */
export function DateRangePicker({
  value,
  onChange,
}: {
  value: DateRange | undefined;
  onChange: (v: DateRange) => void;
}) {
  const id = useId();
  const mode = value?.last ?? (value?.from || value?.to ? 'custom' : '30d');
  return (
    <span className="field date-range">
      <label htmlFor={id}>Date range</label>
      <select
        id={id}
        value={mode}
        onChange={(e) =>
          onChange(
            e.target.value === 'custom'
              ? { from: localDate(29), to: localDate(0) }
              : { last: e.target.value },
          )
        }
      >
        {PRESETS.map((p) => (
          <option key={p} value={p}>
            {PRESET_TEXT[p]}
          </option>
        ))}
        {!PRESETS.includes(mode as (typeof PRESETS)[number]) && mode !== 'custom' && (
          <option value={mode}>{`Last ${mode}`}</option>
        )}
        <option value="custom">Custom…</option>
      </select>
      {mode === 'custom' && <DayInputs from={value?.from ?? ''} to={value?.to ?? ''} onChange={onChange} />}
    </span>
  );
}

/** Two labelled date inputs, `to` inclusive. */
export function DayInputs({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (v: { from: string; to: string }) => void;
}) {
  return (
    <>
      <input
        type="date"
        aria-label="From date"
        value={from}
        onChange={(e) => onChange({ from: e.target.value, to })}
      />
      <span aria-hidden="true">–</span>
      <input
        type="date"
        aria-label="To date"
        value={to}
        onChange={(e) => onChange({ from, to: e.target.value })}
      />
    </>
  );
}

/** A labelled number input that reports numbers (empty → undefined). */
export function NumberInput({
  label,
  value,
  onChange,
  min,
  max,
}: {
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  min?: number;
  max?: number;
}) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        className="number-input"
        value={value ?? ''}
        min={min}
        max={max}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    </span>
  );
}

/** A text filter kept in the URL's query parameter `name` (the field's id is `${idPrefix}-${name}`). */
export function UrlTextParam({
  idPrefix,
  name,
  label,
  placeholder,
  list,
}: {
  idPrefix: string;
  name: string;
  label: string;
  placeholder: string;
  list?: string;
}) {
  const [value, setValue] = useUrlParam(name);
  const id = `${idPrefix}-${name}`;
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        placeholder={placeholder}
        list={list}
        value={value ?? ''}
        onChange={(e) => setValue(e.target.value)}
      />
    </span>
  );
}
