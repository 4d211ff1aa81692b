import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { paletteActions } from './palette-actions.js';
import { rank, usePalette, type PaletteResult, type PaletteStep } from './palette.js';
import { useIncidents } from '../incidents/store.js';
import { loadPeople } from '../roles/people-store.js';
import { message } from '../incidents/view-sync.js';
import { useUi } from '../../app/ui-store.js';
import { useAppearance } from '../../ui/theme.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { Modal } from '../../ui/Modal.js';
import './Palette.css';

interface Row {
  key: string;
  label: string;
  hint: string;
  pick(): PaletteResult;
}

/** Ctrl/Cmd+K: every action by name, then whatever it needs, all from the keyboard. */
export function Palette() {
  const open = usePalette((s) => s.open);
  const step = usePalette((s) => s.step);
  const serial = usePalette((s) => s.serial);
  if (!open) return null;
  return <PaletteDialog key={serial} step={step} />;
}

function PaletteDialog({ step }: { step: PaletteStep | null }) {
  const { t } = useTranslation();
  const { close, setStep } = usePalette.getState();
  const incident = useIncidents((s) => s.current);
  const list = useIncidents((s) => s.list);
  const language = useUi((s) => s.language);
  const theme = useAppearance((s) => s.theme);
  const largeType = useAppearance((s) => s.largeType);
  const [query, setQuery] = useState(step?.kind === 'text' ? (step.initial ?? '') : '');
  // In a text step nothing is highlighted until the user arrows into the suggestions: Enter takes what was typed.
  const [active, setActive] = useState(step?.kind === 'text' ? -1 : 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadPeople();
  }, []);

  useEffect(() => {
    inputRef.current?.focus();
    // A pre-filled answer is selected, so what is typed replaces it rather than being appended to it.
    inputRef.current?.select();
  }, []);

  const actions = useMemo(
    () => (step ? [] : paletteActions({ t, incident })),
    // The actions read these stores when built (not through arguments the linter can see): rebuild when any of them changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [step, t, incident, list, language, theme, largeType],
  );

  const rows: Row[] = useMemo(() => {
    if (!step) {
      return rank(actions, query, (a) => `${a.label} ${a.group} ${a.keywords ?? ''}`).map((a) => ({
        key: a.id,
        label: a.label,
        hint: a.shortcut ? `${a.group} · ${a.shortcut}` : a.group,
        pick: () => a.run(),
      }));
    }
    const choices = step.kind === 'choice' ? rank(step.choices, query, (c) => `${c.label} ${c.keywords ?? ''}`) : (step.suggest?.(query) ?? []);
    return choices.map((c) => ({ key: c.value, label: c.label, hint: c.hint ?? '', pick: () => step.submit(c.value) }));
  }, [actions, step, query]);

  const settle = async (result: PaletteResult) => {
    setBusy(true);
    setError(null);
    // Ctrl+K while this answer is still running opens a fresh palette: the answer then finishes
    // in the background and must not close, or step over, what the user has opened since.
    const mine = usePalette.getState().serial;
    const stillMine = () => usePalette.getState().open && usePalette.getState().serial === mine;
    try {
      const next = await result;
      if (!stillMine()) return;
      if (next) setStep(next);
      else close();
    } catch (e) {
      if (!stillMine()) return;
      setError(message(e));
      setBusy(false);
    }
  };

  const submit = () => {
    if (busy) return;
    const row = rows[active];
    if (row) return void settle(Promise.resolve().then(() => row.pick()));
    if (step?.kind !== 'text') return;
    const value = query.trim();
    if (!value && !step.optional) {
      setError(t('palette.required'));
      return;
    }
    void settle(Promise.resolve().then(() => step.submit(value)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const last = rows.length - 1;
    if (event.key === 'ArrowDown' && rows.length) {
      setActive((i) => (i >= last ? (step?.kind === 'text' ? -1 : 0) : i + 1));
    } else if (event.key === 'ArrowUp' && rows.length) {
      setActive((i) => (i <= (step?.kind === 'text' ? -1 : 0) ? last : i - 1));
    } else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      submit();
    } else if (event.key === 'Escape') {
      close();
    } else if (event.key === 'Backspace' && query === '' && step) {
      setStep(null);
    } else {
      return;
    }
    event.preventDefault();
  };

  useEffect(() => {
    document.getElementById(`palette-row-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const title = step ? step.title : t('palette.title');
  const placeholder = step ? (step.kind === 'text' ? (step.placeholder ?? '') : t('palette.filterChoices')) : t('palette.placeholder');
  return (
    <Modal id="palette" labelledBy="palette-title" className="palette" onClose={close}>
      <h2 id="palette-title" className="palette-title">
        {title}
      </h2>
      <input
        ref={inputRef}
        className="palette-input"
        type="text"
        role="combobox"
        aria-expanded={rows.length > 0}
        aria-controls="palette-list"
        aria-activedescendant={active >= 0 && rows[active] ? `palette-row-${active}` : undefined}
        aria-labelledby="palette-title"
        aria-busy={busy}
        autoComplete="off"
        spellCheck={false}
        value={query}
        placeholder={placeholder}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(step?.kind === 'text' ? -1 : 0);
          setError(null);
        }}
        onKeyDown={onKeyDown}
      />
      <ErrorNote id="palette-error" text={error ? t('palette.failed', { message: error }) : null} />
      <ul id="palette-list" className="palette-list" role="listbox" aria-labelledby="palette-title">
        {rows.map((row, i) => (
          <li
            key={row.key}
            id={`palette-row-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'palette-row active' : 'palette-row'}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              setActive(i);
              if (!busy) void settle(Promise.resolve().then(() => row.pick()));
            }}
          >
            <span className="palette-label">{row.label}</span>
            {row.hint && <span className="palette-hint">{row.hint}</span>}
          </li>
        ))}
        {rows.length === 0 && !step && <li className="empty">{t('palette.nothing')}</li>}
      </ul>
      <p className="hint">{step ? (step.kind === 'text' ? t('palette.keysText') : t('palette.keysChoice')) : t('palette.keys')}</p>
    </Modal>
  );
}
