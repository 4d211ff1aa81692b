import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { NOTE_KINDS } from '../../../shared/record/events.js';
import { parseQuickEntry, pendingKind, QUICK_COMMANDS, suggestCommands, type QuickCommandName, type QuickError } from '../../../shared/timeline/quick-entry.js';
import type { TimelineBadge } from '../../../shared/timeline/timeline.js';
import { useDateLocale } from '../../ui/hooks.js';
import { focusStayedIn } from '../../ui/focus-guard.js';
import { createAudienceNamed, knownAudience, runQuickCommand } from './quick-commands.js';
import { audienceLabel } from './timeline-text.js';
import { FOCUS_TARGETS } from '../../app/shortcuts.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { unsentText, useUnsentText } from '../../ui/unsent.js';
import { KindIcon } from './TimelineIcons.js';

/** The badge each action command shows while it is typed (log commands show their own kind). */
const ACTION_BADGE: Partial<Record<QuickCommandName, TimelineBadge>> = {
  task: 'task',
  status: 'status',
  priority: 'priority',
  role: 'role',
  update: 'comms',
  pause: 'sla',
  resume: 'sla',
};

function typedCommand(value: string): QuickCommandName | null {
  const match = /^\/(\S+)\s/.exec(value.trimStart());
  const name = match?.[1]?.toLowerCase();
  return name && (QUICK_COMMANDS as readonly string[]).includes(name) ? (name as QuickCommandName) : null;
}

/**
 * One line, Enter to log — or, after a slash, any action of the console (/task, /status,
 * /priority, /role, /update…), offered as the first word is typed. The text is cleared only
 * once the core has recorded it; on failure it stays, with the reason, so nothing typed
 * during a bridge call is lost.
 */
export function QuickEntry({ incidentId, onDone }: { incidentId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  // Kept per incident: a switch and back, or a reload, finds the half-typed line again.
  const [value, setValue] = useUnsentText(incidentId, 'quickEntry');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(0);
  /** An audience typed after /update that does not exist yet: asked about before anything is created. */
  const [ask, setAsk] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const createRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ask !== null) createRef.current?.focus();
  }, [ask]);
  const cancelAsk = () => {
    setAsk(null);
    document.getElementById(FOCUS_TARGETS.quickEntry)?.focus();
  };
  const latest = useRef(value);
  latest.current = value;
  /** Edits of the bar so far: a command's late answer must not take the keyboard from what was typed since. */
  const edits = useRef(0);

  useEffect(() => setError(null), [incidentId]);

  const suggestions = suggestCommands(value);
  const open = suggestions.length > 0;
  const selected = suggestions[Math.min(highlight, suggestions.length - 1)];
  const kind = pendingKind(value);
  const named = typedCommand(value);
  const badge: TimelineBadge | null = kind ?? (named ? (ACTION_BADGE[named] ?? null) : null);

  const explain = (e: QuickError): string | null => {
    switch (e.code) {
      case 'empty':
        return null;
      case 'unknownCommand':
        return t('quick.error.unknownCommand', { command: e.command });
      case 'missingText':
        return t('quick.error.missingText', { command: e.command, syntax: t(`quick.syntax.${e.command}`) });
      case 'badStatus':
        return t('quick.error.badStatus', { value: e.value });
      case 'badLevel':
        return t('quick.error.badLevel', { value: e.value });
      case 'badRole':
        return t('quick.error.badRole', { value: e.value });
      case 'missingPerson':
        return t('quick.error.missingPerson');
      case 'missingAudience':
        return t('quick.error.missingAudience');
      case 'badOwner':
        return t('record.quick.badOwner');
      case 'badCheckBack':
        return t('record.quick.badCheckBack', { value: e.value });
    }
  };

  /**
   * The bar as it was when Enter was pressed while a command was still running: the commander
   * types on while people talk, so that Enter runs the next command once this one is done
   * instead of being lost (which merged two commands into one unreadable line under load).
   */
  const queued = useRef<string | null>(null);

  const submit = async (createAudience = false, typed: string = value) => {
    if (busy) {
      queued.current = latest.current;
      return;
    }
    const submitted = typed;
    const parsed = parseQuickEntry(submitted);
    setNotice(null);
    if (!parsed.ok) {
      setError(explain(parsed.error));
      return;
    }
    let command = parsed.command;
    if (command.type === 'update') {
      const known = knownAudience(command.audience);
      // An audience goes into the hand-off, the metrics and the report: a typo must not create one.
      if (known === null && !createAudience) {
        setError(null);
        setAsk(command.audience);
        return;
      }
      command = { ...command, audience: known ?? command.audience };
    }
    setAsk(null);
    setBusy(true);
    setError(null);
    try {
      if (command.type === 'update' && createAudience) await createAudienceNamed(command.audience);
      const editsAtEnter = edits.current;
      const mayTakeFocus = () => focusStayedIn(document.getElementById(FOCUS_TARGETS.quickEntry)) && edits.current === editsAtEnter;
      const outcome = await runQuickCommand(incidentId, command, t, locale, mayTakeFocus);
      if (outcome === 'reopened' && command.type === 'update') setNotice(t('record.quick.reopened', { audience: audienceLabel(command.audience, t) }));
      if (command.type === 'log') onDone();
      // Whatever was typed while the call ran stays in the bar. The field's own text, and put in it
      // now rather than at the next render: the row is often on screen from the change notice before
      // this answer, so the next command is being typed already, and a key landing between this
      // answer and a later render was added to the text just recorded (two commands on one line).
      // (This incident's text as typed up to now: the field on screen may be another incident's by now.)
      const now = unsentText(incidentId, 'quickEntry');
      flushSync(() => setValue(now === submitted ? '' : now.startsWith(submitted) ? now.slice(submitted.length).trimStart() : now));
      // The command whose Enter came while this one ran: the bar at that Enter, less this command.
      const atEnter = queued.current;
      queued.current = null;
      const queuedCommand = atEnter !== null && atEnter.startsWith(submitted) ? atEnter.slice(submitted.length).trimStart() : '';
      if (queuedCommand !== '') next.current = queuedCommand;
    } catch (e) {
      // What was queued behind a failed command stays in the bar, for the commander to look at.
      queued.current = null;
      setError(t(command.type === 'log' ? 'timeline.logFailed' : 'quick.failed', { message: message(e) }));
    } finally {
      setBusy(false);
    }
  };

  // Once the running command is done, run the one whose Enter came meanwhile (see `queued`).
  const next = useRef<string | null>(null);
  useEffect(() => {
    if (busy || next.current === null) return;
    const typed = next.current;
    next.current = null;
    void submit(false, typed);
    // Runs when a command ends (busy goes false), with that render's submit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [busy]);

  const complete = (name: QuickCommandName) => {
    setValue(`/${name} `);
    setHighlight(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (open && selected && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setHighlight((h) => (Math.min(h, suggestions.length - 1) + step + suggestions.length) % suggestions.length);
    } else if (open && selected && (event.key === 'Tab' || event.key === 'Enter') && !event.shiftKey) {
      event.preventDefault();
      complete(selected);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    }
  };

  const syntax = named && !open ? t(`quick.syntax.${named}`) : null;
  return (
    <div className="quick-entry" ref={rootRef}>
      <ErrorNote id="quick-entry-error" text={error} />
      {notice && (
        <p className="hint quick-notice" role="status">
          {notice}
        </p>
      )}
      {ask !== null && (
        <div
          className="quick-ask"
          role="group"
          aria-labelledby="quick-ask-text"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              cancelAsk();
            }
          }}
        >
          <p id="quick-ask-text">{t('record.quick.unknownAudience', { audience: ask })}</p>
          <button
            type="button"
            ref={createRef}
            className="primary"
            onClick={() =>
              // Create unmounts this question (the focus falls to the page): the bar takes it back after
              // the answers, unless the person has gone on elsewhere meanwhile.
              void submit(true).then(() => {
                if (focusStayedIn(rootRef.current)) document.getElementById(FOCUS_TARGETS.quickEntry)?.focus();
              })
            }
          >
            {t('record.quick.createAudience', { audience: ask })}
          </button>
          <button type="button" onClick={cancelAsk}>
            {t('record.quick.cancel')}
          </button>
        </div>
      )}
      {open && (
        <ul className="quick-suggestions" id="quick-suggestions" role="listbox" aria-label={t('quick.suggestionsLabel')}>
          {suggestions.map((name) => (
            <li
              key={name}
              id={`quick-suggestion-${name}`}
              role="option"
              aria-selected={name === selected}
              className={name === selected ? 'selected' : undefined}
              onMouseDown={(e) => {
                // Keep the focus in the bar.
                e.preventDefault();
                complete(name);
                document.getElementById(FOCUS_TARGETS.quickEntry)?.focus();
              }}
            >
              <code>{t(`quick.syntax.${name}`)}</code>
              <span className="muted">{t(`quick.describe.${name}`)}</span>
            </li>
          ))}
          <li className="quick-suggestions-hint muted" aria-hidden="true">
            {t('quick.suggestionsHint')}
          </li>
        </ul>
      )}
      <div className="quick-entry-row">
        {badge ? (
          <span className={`kind-badge kind-${badge}`} aria-hidden="true" data-testid="quick-badge">
            <KindIcon badge={badge} />
            {(NOTE_KINDS as readonly string[]).includes(badge) ? t(`kind.${badge}`) : t(`quick.action.${named!}`)}
          </span>
        ) : (
          <span className="kind-badge kind-other" aria-hidden="true" data-testid="quick-badge">
            /
          </span>
        )}
        <label className="visually-hidden" htmlFor={FOCUS_TARGETS.quickEntry}>
          {t('timeline.quickEntryLabel')}
        </label>
        <input
          id={FOCUS_TARGETS.quickEntry}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck
          value={value}
          placeholder={t('timeline.quickEntryPlaceholder')}
          title={t('timeline.quickEntryHint')}
          aria-expanded={open}
          aria-controls={open ? 'quick-suggestions' : undefined}
          aria-activedescendant={open && selected ? `quick-suggestion-${selected}` : undefined}
          aria-autocomplete="list"
          aria-describedby={error ? 'quick-entry-error' : syntax ? 'quick-syntax' : undefined}
          aria-busy={busy}
          onChange={(e) => {
            setValue(e.target.value);
            edits.current += 1;
            setHighlight(0);
            if (error) setError(null);
            if (ask !== null) setAsk(null);
            if (notice) setNotice(null);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      {syntax && (
        <p className="hint quick-syntax" id="quick-syntax">
          {syntax} — {t(`quick.describe.${named!}`)}
        </p>
      )}
    </div>
  );
}
