import { memo, useEffect, useRef, useState, type FocusEvent, type FormEvent, type KeyboardEvent, type RefObject, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from 'date-fns';
import type { IncidentView } from '../../../shared/record/fold.js';
import type { TimelineRow } from '../../../shared/timeline/channels.js';
import { parseOccurredAt } from '../../../shared/timeline/timeline.js';
import { entryTime } from '../../ui/format.js';
import { command } from '../../app/actions.js';
import { message } from '../incidents/view-sync.js';
import { describeEntry } from './timeline-text.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { SyncOrigin } from '../sync/SyncOrigin.js';
import { KindIcon, StarIcon } from './TimelineIcons.js';
import { AlertEntryStatus } from '../alerts/AlertEntryStatus.js';
import { entryDraft, keepEntryDraft, type EntryDraft } from './entry-drafts.js';

export type EntryMode = 'view' | 'edit' | 'redact';

interface EntryProps {
  row: TimelineRow;
  view: IncidentView | null;
  now: number;
  locale: Locale;
  mode: EntryMode;
  /** Given the row's entry id, so one callback serves every row and a new entry re-renders none of the others. */
  onHistory: (id: string) => void;
  /** The form closed: saved (with the entry to bring into view) or cancelled. */
  onClose: (id: string, saved: boolean) => void;
}

/** Longer than this (characters or lines), an entry shows its first lines and a "Show more" button. */
const FOLD_CHARS = 600;
const FOLD_LINES = 8;
/** Entries unfolded by the user, kept while the console runs: a virtualised row that scrolls away and back stays open. */
const unfolded = new Set<string>();

/** An entry's typed text, folded when long, so a pasted log cannot fill the whole timeline. */
function FoldedText({ id, text }: { id: string; text: string }) {
  const { t } = useTranslation();
  const long = text.length > FOLD_CHARS || text.split('\n').length > FOLD_LINES;
  const [open, setOpen] = useState(() => unfolded.has(id));
  if (!long) return <p className="entry-text typed">{text}</p>;
  const toggle = () => {
    if (open) unfolded.delete(id);
    else unfolded.add(id);
    setOpen(!open);
  };
  return (
    <>
      <p className={open ? 'entry-text typed' : 'entry-text typed folded'} id={`entry-text-${id}`}>
        {text}
      </p>
      <button type="button" className="link show-more" aria-expanded={open} aria-controls={`entry-text-${id}`} onClick={toggle}>
        {open ? t('layout.showLess') : t('layout.showMore', { count: text.length })}
      </button>
    </>
  );
}

/**
 * A row renders again only when what it shows may have changed: a new entry at the end of a
 * 100k timeline (each keystroke-to-log) leaves the rows on screen alone. The incident view
 * matters only to entries the console wrote (task, status, comms…), whose sentences name tasks
 * and drafts from it; typed and redacted entries never read it.
 */
export const TimelineEntry = memo(
  TimelineEntryView,
  (a, b) =>
    a.row === b.row &&
    a.now === b.now &&
    a.locale === b.locale &&
    a.mode === b.mode &&
    a.onHistory === b.onHistory &&
    a.onClose === b.onClose &&
    (a.view === b.view || a.row.text !== null || a.row.redaction !== null),
);

/** One timeline row: what it says now, who wrote it, and the marks (star, edited, redacted) its annotations left. */
function TimelineEntryView({ row, view, now, locale, mode, onHistory, onClose: onCloseOf }: EntryProps) {
  const { t } = useTranslation();
  const { event, badge, occurredAt, starred, edits, redaction } = row;
  const onClose = (saved: boolean) => onCloseOf(event.id, saved);
  let body;
  if (redaction) {
    body = (
      <>
        <p className="entry-text redacted">{t('timelineView.redacted', { actor: redaction.by, reason: redaction.reason })}</p>
        <p className="entry-text entry-detail">{t('timelineView.redactedNote', { time: entryTime(redaction.at, now, locale) })}</p>
      </>
    );
  } else if (row.text !== null) {
    body = <FoldedText id={event.id} text={row.text} />;
  } else {
    const { text, details } = describeEntry(event, view, t);
    body = (
      <>
        <p className="entry-text">{text}</p>
        {details.map((line, i) => (
          <p key={i} className="entry-text entry-detail">
            {line}
          </p>
        ))}
        {event.kind === 'alert.attached' && typeof event.payload['fingerprint'] === 'string' && (
          <AlertEntryStatus fingerprint={event.payload['fingerprint']} view={view} />
        )}
      </>
    );
  }
  return (
    <div className={`entry entry-${badge}`} data-kind={event.kind} data-badge={badge}>
      <div className="entry-head">
        <KindIcon badge={badge} />
        <time
          className="entry-time"
          dateTime={new Date(occurredAt).toISOString()}
          title={t('timelineView.recordedTitle', { time: entryTime(event.recordedAt, now, locale) })}
        >
          {entryTime(occurredAt, now, locale)}
        </time>
        <span className={`kind-badge kind-${badge}`}>{t(`kind.${badge}`)}</span>
        <span className="entry-actor">
          {event.actor}
          <SyncOrigin deviceId={event.deviceId} />
        </span>
        {starred && (
          <span className="entry-star" title={t('timelineView.starred')}>
            <StarIcon filled />
            <span className="visually-hidden">{t('timelineView.starred')}</span>
          </span>
        )}
        {edits > 0 && (
          <button
            type="button"
            className="entry-edited"
            tabIndex={-1}
            onClick={() => onHistory(event.id)}
            title={t('timelineView.editedTitle', { count: edits })}
          >
            {t('timelineView.edited')}
          </button>
        )}
      </div>
      {mode === 'edit' ? (
        <CorrectionForm row={row} now={now} locale={locale} onClose={onClose} />
      ) : (
        <>
          {body}
          {mode === 'redact' && <RedactionForm row={row} onClose={onClose} />}
        </>
      )}
    </div>
  );
}

/** Enter saves and Esc cancels in every field of these forms; Shift+Enter is a new line in the text. */
function formKeys(save: () => void, cancel: () => void) {
  return (event: KeyboardEvent<HTMLElement>) => {
    // Keys typed here belong to the form, not to the timeline's row keys around it.
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    }
  };
}

/** Where the caret stands in a text field, for its draft; nothing for another element. */
const selectionOf = (target: EventTarget): Pick<EntryDraft, 'selection'> =>
  target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ? { selection: [target.selectionStart ?? 0, target.selectionEnd ?? 0] } : {};

/**
 * A form's draft, kept by its entry's id (entry-drafts.ts): what the form starts from, how it keeps
 * what is typed, and the focus. Opened, the form puts the caret at the end of its first field;
 * drawn anew on another row (an entry dated earlier arrived above), it puts it back in the field
 * and at the place it was — only if the focus was in the form and has gone nowhere else since.
 */
function useEntryDraft(entryId: string, first: RefObject<HTMLInputElement | HTMLTextAreaElement | null>) {
  const [draft] = useState(() => entryDraft(entryId));
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const elsewhere = document.activeElement !== null && document.activeElement !== document.body;
    if (draft && (!draft.focused || elsewhere)) return;
    const field = draft?.field ? document.getElementById(draft.field) : null;
    const el = field && formRef.current?.contains(field) ? field : first.current;
    if (!el) return;
    el.focus();
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      const [start, end] = draft?.selection ?? [el.value.length, el.value.length];
      el.setSelectionRange(start, end);
    }
    // Once, when the form is drawn: later renders leave the focus where the user puts it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const keep = (patch: EntryDraft) => keepEntryDraft(entryId, patch);
  const formProps = {
    ref: formRef,
    onFocus: (event: FocusEvent<HTMLFormElement>) => keep({ focused: true, field: event.target.id, ...selectionOf(event.target) }),
    // Only a focus taken to somewhere else counts: a field removed with its row (drawn anew below) leaves none.
    onBlur: (event: FocusEvent<HTMLFormElement>) => {
      if (event.relatedTarget instanceof Node && !event.currentTarget.contains(event.relatedTarget)) keep({ focused: false });
    },
    onSelect: (event: SyntheticEvent<HTMLFormElement>) => keep(selectionOf(event.target)),
  };
  return { draft, keep, formProps };
}

function CorrectionForm({ row, now, locale, onClose }: { row: TimelineRow; now: number; locale: Locale; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const { draft, keep, formProps } = useEntryDraft(row.event.id, textRef);
  const [text, setText] = useState(draft?.text ?? row.text ?? '');
  const [when, setWhen] = useState(draft?.when ?? '');
  const [error, showError] = useState<string | null>(draft?.error ?? null);
  const setError = (error: string | null) => {
    showError(error);
    keep({ error });
  };
  const [busy, setBusy] = useState(false);

  const parsedWhen = when.trim() ? parseOccurredAt(when, Date.now()) : null;
  const badWhen = when.trim() !== '' && parsedWhen === null;

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    if (badWhen) {
      setError(t('timelineView.badWhen', { value: when.trim() }));
      return;
    }
    const newText = text.trim() && text.trim() !== row.text ? text.trim() : undefined;
    if (newText === undefined && parsedWhen === null) {
      onClose(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await command('timeline.correct', {
        incidentId: row.event.incidentId,
        targetId: row.event.id,
        ...(newText !== undefined && { text: newText }),
        // The preview is the window's reading; the core reads the typed time on its own clock and in its zone.
        ...(parsedWhen !== null && { occurredAtWhen: when.trim() }),
      });
      onClose(true);
    } catch (e) {
      setError(t('timelineView.actionFailed', { message: message(e) }));
      setBusy(false);
    }
  };
  const keys = formKeys(
    () => void save(),
    () => onClose(false),
  );
  const id = `correct-${row.event.id}`;

  return (
    <form className="entry-form" {...formProps} onSubmit={(e) => void save(e)} aria-label={t('timelineView.correctLabel')}>
      <label htmlFor={`${id}-text`}>{t('timelineView.editText')}</label>
      <textarea
        id={`${id}-text`}
        ref={textRef}
        rows={2}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          keep({ text: e.target.value, ...selectionOf(e.target) });
        }}
        onKeyDown={keys}
      />
      <label htmlFor={`${id}-when`}>{t('timelineView.editWhen')}</label>
      <div className="entry-form-when">
        <input
          id={`${id}-when`}
          type="text"
          autoComplete="off"
          value={when}
          placeholder={t('timelineView.editWhenPlaceholder', { time: entryTime(row.occurredAt, now, locale) })}
          aria-invalid={badWhen}
          aria-describedby={`${id}-when-hint`}
          onChange={(e) => {
            setWhen(e.target.value);
            keep({ when: e.target.value, ...selectionOf(e.target) });
          }}
          onKeyDown={keys}
        />
        <span id={`${id}-when-hint`} className={badWhen ? 'hint bad' : 'hint'} data-testid="when-preview">
          {badWhen
            ? t('timelineView.badWhen', { value: when.trim() })
            : parsedWhen !== null
              ? t('timelineView.whenPreview', { time: entryTime(parsedWhen, now, locale) })
              : t('timelineView.editWhenHint')}
        </span>
      </div>
      <p className="hint">{t('timelineView.recordedNever', { time: entryTime(row.event.recordedAt, now, locale), actor: row.event.actor })}</p>
      <ErrorNote text={error} />
      <div className="form-actions">
        <button type="button" onClick={() => onClose(false)}>
          {t('timelineView.cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t('timelineView.saveCorrection')}
        </button>
      </div>
    </form>
  );
}

function RedactionForm({ row, onClose }: { row: TimelineRow; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const reasonRef = useRef<HTMLInputElement>(null);
  const { draft, keep, formProps } = useEntryDraft(row.event.id, reasonRef);
  const [reason, setReason] = useState(draft?.reason ?? '');
  const [error, showError] = useState<string | null>(draft?.error ?? null);
  const setError = (error: string | null) => {
    showError(error);
    keep({ error });
  };
  const [busy, setBusy] = useState(false);
  const id = `redact-${row.event.id}`;

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    if (!reason.trim()) {
      setError(t('timelineView.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await command('timeline.redact', { incidentId: row.event.incidentId, targetId: row.event.id, reason: reason.trim() });
      onClose(true);
    } catch (e) {
      setError(t('timelineView.actionFailed', { message: message(e) }));
      setBusy(false);
    }
  };
  const keys = formKeys(
    () => void save(),
    () => onClose(false),
  );

  return (
    <form className="entry-form" {...formProps} onSubmit={(e) => void save(e)} aria-label={t('timelineView.redactLabel')}>
      <label htmlFor={`${id}-reason`}>{t('timelineView.redactReason')}</label>
      <input
        id={`${id}-reason`}
        ref={reasonRef}
        type="text"
        autoComplete="off"
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          keep({ reason: e.target.value, ...selectionOf(e.target) });
        }}
        onKeyDown={keys}
      />
      <p className="hint">{t('timelineView.redactHint')}</p>
      <ErrorNote text={error} />
      <div className="form-actions">
        <button type="button" onClick={() => onClose(false)}>
          {t('timelineView.cancel')}
        </button>
        <button type="submit" className="primary danger" disabled={busy}>
          {t('timelineView.redactConfirm')}
        </button>
      </div>
    </form>
  );
}
