import { useEffect, useState, type KeyboardEvent, type Ref } from 'react';
import { matchPeople } from '../../../shared/roles/roles.js';
import { loadPeople, usePeople } from './people-store.js';

interface PeoplePickerProps {
  id: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  inputRef?: Ref<HTMLInputElement>;
  describedBy?: string;
  invalid?: boolean;
}

/**
 * A name field that offers matches from the people directory as you type. Arrow keys move
 * through them and Enter takes one; Enter with nothing highlighted leaves the typed name for
 * the form to submit, so someone not in the directory can still be named.
 */
export function PeoplePicker({ id, value, onChange, placeholder, inputRef, describedBy, invalid }: PeoplePickerProps) {
  const people = usePeople((s) => s.people);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const matches = open ? matchPeople(people, value).filter((p) => p.name !== value) : [];
  const listId = `${id}-suggestions`;

  useEffect(() => {
    void loadPeople();
  }, []);

  const pick = (name: string) => {
    onChange(name);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      if (!open) setOpen(true);
      setActive((i) => (matches.length === 0 ? -1 : (i + 1) % matches.length));
    } else if (event.key === 'ArrowUp' && matches.length) {
      setActive((i) => (i <= 0 ? matches.length - 1 : i - 1));
    } else if (event.key === 'Enter' && active >= 0 && matches[active]) {
      pick(matches[active].name);
    } else if (event.key === 'Escape' && matches.length) {
      setOpen(false);
      setActive(-1);
    } else {
      return;
    }
    event.preventDefault();
  };

  return (
    <div className="people-picker">
      <input
        ref={inputRef}
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={matches.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 && matches[active] ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        value={value}
        placeholder={placeholder}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {matches.length > 0 && (
        <ul id={listId} className="people-suggestions" role="listbox">
          {matches.map((p, i) => (
            <li
              key={p.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(p.name);
              }}
            >
              <span className="person-name">{p.name}</span>
              {(p.team || p.contact) && <span className="person-meta">{[p.team, p.contact].filter(Boolean).join(' · ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
