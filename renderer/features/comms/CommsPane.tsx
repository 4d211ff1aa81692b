import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BUILTIN_AUDIENCES } from '../../../shared/comms/cadence.js';
import { toMarkdown } from '../../../shared/comms/templates.js';
import { COMMS_CHANNELS } from '../../../shared/record/events.js';
import type { CommsDraftView } from '../../../shared/record/fold.js';
import { cadenceOf } from '../../../shared/clocks/policy.js';
import { api } from '../../api/client.js';
import { copyText } from '../../ui/clipboard.js';
import { draftTemplate } from './comms-template.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { FOCUS_TARGETS, isTypingTarget } from '../../app/shortcuts.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { useTeamSettings } from '../clocks/store.js';
import { audienceLabel, channelLabel } from '../timeline/timeline-text.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { focusStayedIn } from '../../ui/focus-guard.js';
import { useUi } from '../../app/ui-store.js';
import { useSyncStatus } from '../sync/store.js';
import { DeliveryStatus } from './DeliveryStatus.js';
import { useUnsentText } from '../../ui/unsent.js';
import { PublicPageToggle, PublishUpdate } from './PublicPage.js';
import './Deliveries.css';

type Channel = (typeof COMMS_CHANNELS)[number];
const NO_DRAFTS: CommsDraftView[] = [];

const ctrlEnter = (event: KeyboardEvent) => event.key === 'Enter' && (event.ctrlKey || event.metaKey);

/** The update being edited in the compose area, with its text as typed so far. */
interface Editing {
  id: string;
  audience: string;
  body: string;
}

const focusDraft = (draftId: string) => document.querySelector<HTMLElement>(`.draft[data-draft-id="${CSS.escape(draftId)}"]`)?.focus();

export function CommsPane({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const drafts = useIncidents((s) => s.current?.comms ?? NO_DRAFTS);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const fail = (e: unknown) => setError(t('comms.failed', { message: message(e) }));
  const start = () => {
    setError(null);
    setCopied(null);
  };
  const copy = async (draft: CommsDraftView, as: 'text' | 'markdown') => {
    start();
    try {
      await copyText(as === 'markdown' ? toMarkdown(draft.body) : draft.body);
      setCopied(t(as === 'markdown' ? 'commsCopy.copiedMarkdown' : 'commsCopy.copiedText'));
    } catch (e) {
      setError(t('commsCopy.failed', { message: message(e) }));
    }
  };

  return (
    <section className="pane comms-pane" aria-labelledby="comms-heading">
      <div className="pane-head">
        <h2 id="comms-heading">{t('comms.title')}</h2>
        <p className="hint">
          {t('comms.keysHint')} {t('commsCopy.keysHint')}
        </p>
      </div>
      <ErrorNote text={error} />
      <PublicPageToggle incidentId={incidentId} />
      <p className="status-note" role="status" data-testid="copy-status">
        {copied}
      </p>
      <div className="comms-layout">
        <NewDraft
          incidentId={incidentId}
          editing={editing}
          onEditChange={(body) => setEditing((e) => (e ? { ...e, body } : e))}
          onEditDone={(takeFocus) => {
            const id = editing?.id;
            setEditing(null);
            // Back to the update just edited, so Approve is one Tab away.
            if (id && takeFocus) requestAnimationFrame(() => focusDraft(id));
          }}
          onError={fail}
          onStart={start}
        />
        <div className="drafts pane-scroll" role="region" aria-labelledby="drafts-heading" tabIndex={-1}>
          <h3 id="drafts-heading" className="visually-hidden">
            {t('comms.drafts')}
          </h3>
          {drafts.length === 0 ? (
            <p className="empty">{t('comms.empty')}</p>
          ) : (
            <ul>
              {[...drafts].reverse().map((d) => (
                <DraftItem
                  key={d.id}
                  draft={d}
                  incidentId={incidentId}
                  beingEdited={editing?.id === d.id}
                  onEdit={() => {
                    setEditing({ id: d.id, audience: d.audience, body: d.body });
                    requestAnimationFrame(() => document.getElementById(FOCUS_TARGETS.commsBody)?.focus());
                  }}
                  onError={fail}
                  onStart={start}
                  onCopy={(as) => void copy(d, as)}
                />
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}

/**
 * The compose area: a new update, or (after Edit on an update) that update's text, in the same
 * large box. What was being typed for a new update stays while another one is edited.
 */
function NewDraft({
  incidentId,
  editing,
  onEditChange,
  onEditDone,
  onError,
  onStart,
}: {
  incidentId: string;
  editing: Editing | null;
  onEditChange: (body: string) => void;
  /** `takeFocus`: back to the update edited; false when the person went elsewhere while the save was answered. */
  onEditDone: (takeFocus: boolean) => void;
  onError: (e: unknown) => void;
  onStart: () => void;
}) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const settings = useTeamSettings((s) => s.settings);
  const audiences = settings ? settings.audiences.filter((a) => a.active).map((a) => a.name) : [...BUILTIN_AUDIENCES];
  const [chosen, setAudience] = useState<string>(BUILTIN_AUDIENCES[0]);
  // An audience switched off elsewhere falls back to the first one still active.
  const audience = audiences.includes(chosen) ? chosen : (audiences[0] ?? chosen);
  const [channel, setChannel] = useState<Channel>('email');
  // Kept per incident: a switch and back, or a reload, finds a half-written update again.
  const [body, setBody] = useUnsentText(incidentId, 'commsBody');
  const [busy, setBusy] = useState(false);
  const [filling, setFilling] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const fillFromIncident = async () => {
    const view = useIncidents.getState().current;
    if (!view || filling) return;
    setFilling(true);
    onStart();
    try {
      const context = await api.call('comms.context', { incidentId, audience });
      const cadence = cadenceOf(useTeamSettings.getState().settings ?? { audiences: [] }, audience);
      setBody(draftTemplate({ view, audience, now: Date.now(), cadence, context }, t, locale));
      if (focusStayedIn(formRef.current)) document.getElementById(FOCUS_TARGETS.commsBody)?.focus();
    } catch (e) {
      onError(e);
    } finally {
      setFilling(false);
    }
  };

  const text = editing ? editing.body : body;
  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy || !text.trim()) return;
    setBusy(true);
    onStart();
    try {
      if (editing) {
        await command('comms.edit', { incidentId, draftId: editing.id, body: text });
        onEditDone(focusStayedIn(formRef.current));
      } else {
        await command('comms.draft', { incidentId, audience, channel, body });
        setBody('');
      }
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className={editing ? 'comms-form editing' : 'comms-form'}
      aria-label={editing ? t('comms.editLabel', { audience: audienceLabel(editing.audience, t) }) : t('comms.newDraft')}
      onSubmit={(e) => void save(e)}
    >
      {editing && (
        <p className="comms-editing" role="status">
          {t('layout.editingUpdate', { audience: audienceLabel(editing.audience, t) })}
        </p>
      )}
      <div className="comms-selects" hidden={editing !== null}>
        <label>
          <span className="label">{t('comms.audience')}</span>
          <select value={audience} onChange={(e) => setAudience(e.target.value)}>
            {audiences.map((a) => (
              <option key={a} value={a}>
                {audienceLabel(a, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="label">{t('comms.channel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {COMMS_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="visually-hidden" htmlFor={FOCUS_TARGETS.commsBody}>
        {t('comms.body')}
      </label>
      <textarea
        id={FOCUS_TARGETS.commsBody}
        value={text}
        placeholder={t('comms.bodyPlaceholder')}
        onChange={(e) => (editing ? onEditChange(e.target.value) : setBody(e.target.value))}
        onKeyDown={(e) => {
          if (ctrlEnter(e)) {
            e.preventDefault();
            void save();
          } else if (e.key === 'Escape' && editing) {
            // Esc gives up the edit (the update keeps its text) and goes back to it.
            e.preventDefault();
            e.stopPropagation();
            onEditDone(true);
          }
        }}
      />
      <div className="form-actions">
        {editing ? (
          <button type="button" onClick={() => onEditDone(true)}>
            {t('comms.cancel')}
          </button>
        ) : (
          <button type="button" disabled={filling} onClick={() => void fillFromIncident()}>
            {filling ? t('commsCopy.filling') : t('comms.template')}
          </button>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {editing ? t('comms.save') : t('comms.saveDraft')}
        </button>
      </div>
    </form>
  );
}

function DraftItem({
  draft,
  incidentId,
  beingEdited,
  onEdit,
  onError,
  onStart,
  onCopy,
}: {
  draft: CommsDraftView;
  incidentId: string;
  beingEdited: boolean;
  onEdit: () => void;
  onError: (e: unknown) => void;
  onStart: () => void;
  onCopy: (as: 'text' | 'markdown') => void;
}) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const now = useNow(60_000);
  const [busy, setBusy] = useState(false);
  // Where the focus goes once the change arrives: Approve leads to Mark sent, Mark sent to the update itself.
  const [focusNext, setFocusNext] = useState<'send' | 'card' | null>(null);
  const itemRef = useRef<HTMLLIElement>(null);
  const sendRef = useRef<HTMLButtonElement>(null);
  const audience = audienceLabel(draft.audience, t);

  useEffect(() => {
    if (focusNext === null) return;
    // The change notice often shows the new state before the answer: by then the commander may
    // be typing elsewhere (the next command in the bar), and taking the focus would send their
    // keys — an Enter included — to Mark sent. Only a focus still on this update, or lost, moves.
    if (!focusStayedIn(itemRef.current)) setFocusNext(null);
    else if (focusNext === 'send' && draft.state === 'approved') sendRef.current?.focus();
    else if (focusNext === 'card' && draft.state === 'sent') itemRef.current?.focus();
    else return;
    setFocusNext(null);
  }, [focusNext, draft.state]);

  const run = async (call: () => Promise<unknown>, after?: () => void) => {
    setBusy(true);
    onStart();
    try {
      await call();
      after?.();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  // The button pressed disappears (or is disabled while it works): the update holds the focus meanwhile.
  const approve = () => {
    itemRef.current?.focus();
    void run(
      () => command('comms.approve', { incidentId, draftId: draft.id }),
      () => setFocusNext('send'),
    );
  };
  // A channel named by a newer version is sent as "other" rather than refused.
  const sendChannel: Channel = (COMMS_CHANNELS as readonly string[]).includes(draft.channel) ? (draft.channel as Channel) : 'other';
  // With a hub, sending asks it to deliver the update to the audience's channels; it waits here while offline.
  const viaHub = useSyncStatus((s) => Boolean(s.status?.hubUrl));
  const language = useUi((s) => s.language);
  const send = () => {
    itemRef.current?.focus();
    void run(
      () => command('comms.send', { incidentId, draftId: draft.id, channel: sendChannel, deliver: viaHub, language }),
      () => setFocusNext('card'),
    );
  };

  const when = (at: number | null) => (at === null ? '' : shortTime(at, now, locale));
  return (
    <li
      ref={itemRef}
      className={`draft draft-${draft.state}${beingEdited ? ' being-edited' : ''}`}
      data-draft-id={draft.id}
      data-state={draft.state}
      tabIndex={0}
      aria-label={`${audience} — ${t(`commsState.${draft.state}`)}`}
      onKeyDown={(e) => {
        // x and m copy the focused update in one keystroke, as text or as Markdown.
        if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
        if (e.key === 'x' || e.key === 'm') {
          e.preventDefault();
          onCopy(e.key === 'm' ? 'markdown' : 'text');
        }
      }}
    >
      <div className="draft-head">
        <strong>{audience}</strong>
        <span className="muted">{channelLabel(draft.channel, t)}</span>
        <span className={`state-badge state-${draft.state}`}>{t(`commsState.${draft.state}`)}</span>
      </div>
      <p className="draft-body">{draft.body}</p>
      <p className="draft-meta muted">
        {draft.createdBy && <span>{t('comms.createdBy', { actor: draft.createdBy, time: when(draft.createdAt) })}</span>}
        {draft.approvedBy && <span>{t('comms.approvedBy', { actor: draft.approvedBy, time: when(draft.approvedAt) })}</span>}
        {draft.sentBy && <span>{t('comms.sentBy', { actor: draft.sentBy, time: when(draft.sentAt) })}</span>}
      </p>
      {draft.state === 'sent' && <DeliveryStatus draftId={draft.id} />}
      <PublishUpdate incidentId={incidentId} draft={draft} />
      <div className="draft-actions">
        {beingEdited ? (
          <span className="muted">{t('layout.editedAbove')}</span>
        ) : (
          <>
            {draft.state !== 'sent' && (
              <button type="button" onClick={onEdit}>
                {t('comms.edit')}
              </button>
            )}
            {draft.state === 'draft' && (
              <button type="button" disabled={busy} onClick={approve}>
                {t('comms.approve')}
              </button>
            )}
            {draft.state === 'approved' && (
              <button ref={sendRef} type="button" className="primary" disabled={busy} onClick={send} title={viaHub ? t('deliveries.deliverHint') : undefined}>
                {viaHub ? t('deliveries.deliver') : t('comms.markSent')}
              </button>
            )}
            <button type="button" className="copy" onClick={() => onCopy('text')}>
              {t('commsCopy.text')} <kbd>x</kbd>
            </button>
            <button type="button" className="copy" onClick={() => onCopy('markdown')}>
              {t('commsCopy.markdown')} <kbd>m</kbd>
            </button>
          </>
        )}
      </div>
    </li>
  );
}
