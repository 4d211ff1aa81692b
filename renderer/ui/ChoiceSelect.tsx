import { useEffect, useId, useRef, useState, type SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import './ChoiceSelect.css';

export interface ChoiceOption<T extends string> {
  value: T;
  label: string;
}

type NativeProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'defaultValue' | 'className'>;

/**
 * A native select whose value is recorded only when a person chooses it: a click on an option,
 * an option picked in the opened list, or Enter after browsing. Arrow keys (and type-ahead) on
 * the closed select only browse: the value shown changes, nothing is recorded, and Esc or
 * leaving the field puts the recorded value back. Without this, ↓ ↓ ↑ on a focused status
 * select writes three status changes into an append-only record.
 */
export function ChoiceSelect<T extends string>({
  value,
  options,
  onChoose,
  className,
  ...native
}: NativeProps & {
  value: T;
  options: readonly ChoiceOption<T>[];
  onChoose: (value: T) => void;
  /** Given the value shown (browsed or recorded), e.g. to colour a status. */
  className?: string | ((shown: T) => string);
}) {
  const { t } = useTranslation();
  const hintId = useId();
  const [browsed, setBrowsed] = useState<T | null>(null);
  /** Whether the next change comes from keys on the closed select (browsing) rather than a pick. */
  const browsing = useRef(false);
  // A new recorded value (here or from another laptop) ends the browsing.
  useEffect(() => setBrowsed(null), [value]);
  const shown = browsed ?? value;

  const choose = (next: T) => {
    setBrowsed(null);
    if (next !== value) onChoose(next);
  };

  return (
    <>
      <select
        {...native}
        value={shown}
        className={typeof className === 'function' ? className(shown) : className}
        aria-describedby={browsed !== null ? hintId : native['aria-describedby']}
        data-browsing={browsed !== null ? 'true' : undefined}
        onPointerDown={() => (browsing.current = false)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            if (browsed !== null) {
              event.preventDefault();
              choose(browsed);
            }
            return;
          }
          if (event.key === 'Escape' && browsed !== null) {
            event.preventDefault();
            event.stopPropagation();
            setBrowsed(null);
            return;
          }
          // Space, F4 and Alt+↓ open the list: what is picked in it is a choice.
          const opens = event.key === ' ' || event.key === 'F4' || (event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp'));
          browsing.current = !opens;
        }}
        onChange={(event) => {
          const next = event.target.value as T;
          if (browsing.current) setBrowsed(next === value ? null : next);
          else choose(next);
        }}
        onBlur={(event) => {
          setBrowsed(null);
          native.onBlur?.(event);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {browsed !== null && (
        <span className="choice-hint" id={hintId} role="status">
          {t('record.choice.hint')}
        </span>
      )}
    </>
  );
}
