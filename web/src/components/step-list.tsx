import type { KeyboardEvent } from 'react';
import type { EventStep } from '../types';
import { EventInput } from './controls';
import { FilterEditor } from './filter-editor';

/** Moves item `from` to `to` (both in range). */
function moved<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/**
 * Event steps with per-step filters: add, remove, and (when ordered) reorder with the buttons
 * or Alt+↑/Alt+↓ in a step's input; focus follows the moved step.
 */
export function StepList({
  steps,
  onChange,
  noun,
  idPrefix,
  isOrdered,
  minSteps = 1,
}: {
  steps: EventStep[];
  onChange: (steps: EventStep[]) => void;
  noun: string;
  idPrefix: string;
  isOrdered?: boolean;
  minSteps?: number;
}) {
  const focusStep = (i: number) =>
    window.requestAnimationFrame(() => document.getElementById(`${idPrefix}-${i}`)?.focus());
  const move = (from: number, to: number) => {
    if (to < 0 || to >= steps.length) return;
    onChange(moved(steps, from, to));
    focusStep(to);
  };
  const onKey = (i: number) => (e: KeyboardEvent<HTMLInputElement>) => {
    if (!isOrdered || !e.altKey) return;
    if (e.key === 'ArrowUp') {
      e.preventDefault();
      move(i, i - 1);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      move(i, i + 1);
    }
  };
  const set = (i: number, step: EventStep) => onChange(steps.map((s, j) => (j === i ? step : s)));
  const Tag = isOrdered ? 'ol' : 'ul';
  return (
    <div className="step-list">
      <Tag aria-label={`${noun}s`}>
        {steps.map((step, i) => {
          const name = `${noun} ${i + 1}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a step's identity is its position
            <li key={i} className="step" data-step={i + 1}>
              <div className="step-head">
                {isOrdered && <span className="step-number">{i + 1}</span>}
                <input
                  id={`${idPrefix}-${i}`}
                  className="event-input"
                  aria-label={`${name} event`}
                  aria-keyshortcuts={isOrdered ? 'Alt+ArrowUp Alt+ArrowDown' : undefined}
                  placeholder="event name"
                  list="pw-events"
                  value={step.event}
                  onChange={(e) => set(i, { ...step, event: e.target.value })}
                  onKeyDown={onKey(i)}
                />
                {isOrdered && (
                  <>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Move ${name} up`}
                      disabled={i === 0}
                      onClick={() => move(i, i - 1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Move ${name} down`}
                      disabled={i === steps.length - 1}
                      onClick={() => move(i, i + 1)}
                    >
                      ↓
                    </button>
                  </>
                )}
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${name}`}
                  disabled={steps.length <= minSteps}
                  onClick={() => onChange(steps.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </div>
              <FilterEditor
                label={`${name} filter`}
                value={step.where}
                onChange={(where) => {
                  const { where: _, ...rest } = step;
                  set(i, where ? { ...rest, where } : rest);
                }}
              />
            </li>
          );
        })}
      </Tag>
      <button
        type="button"
        className="add-button"
        onClick={() => {
          onChange([...steps, { event: '' }]);
          focusStep(steps.length);
        }}
      >
        + Add {noun.toLowerCase()}
      </button>
    </div>
  );
}

/** EventInput re-exported for builders that take one event. */
export { EventInput };
