import { useEffect, useMemo, useReducer, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { audienceClock, BUILTIN_AUDIENCES, DEFAULT_CADENCES, NEW_AUDIENCE_CADENCE, type BuiltinAudience } from '../../../shared/comms/cadence.js';
import type { Briefing, EventEnvelope } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { buildBriefing } from '../../../shared/roles/handoff.js';
import type { TimelineFilter } from '../../../shared/timeline/channels.js';
import type { SlaPolicy } from '../../../shared/clocks/sla.js';
import { api } from '../../api/client.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { useRolesUi } from './store.js';
import { message } from '../incidents/view-sync.js';
import { useTimelineEntries } from '../timeline/store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { HandoffBriefing } from './HandoffBriefing.js';
import { PeoplePicker } from './PeoplePicker.js';
import { Modal } from '../../ui/Modal.js';
import './Roles.css';

interface Hypotheses {
  entries: EventEnvelope[];
  verdicts: Readonly<Record<string, HypothesisState>>;
}

/** The briefing as it would be recorded now; the dialog shows it and the hand-off stores the same thing. */
function briefingNow(view: IncidentView, policy: SlaPolicy, hypotheses: Hypotheses, note: string, now: number) {
  return buildBriefing({
    view,
    entries: hypotheses.entries,
    verdicts: hypotheses.verdicts,
    policy,
    now,
    note,
    nextUpdateDue: (audience) => audienceClock(view, audience, cadenceOf(audience), now).dueAt,
  });
}

type HypothesisState = Briefing['hypotheses'][number]['state'];
const HYPOTHESIS_KINDS: TimelineFilter['kinds'] = ['hypothesis'];
/** The event kind a review records a hypothesis's verdict with (shared/review/kinds.ts). */
const VERDICT_KIND = 'review.hypothesis_state';

const cadenceOf = (audience: string) =>
  (BUILTIN_AUDIENCES as readonly string[]).includes(audience) ? DEFAULT_CADENCES[audience as BuiltinAudience] : NEW_AUDIENCE_CADENCE;

/** Hypotheses as they read now (corrections applied) and any verdicts recorded on them. */
function useHypotheses(incidentId: string): Hypotheses {
  const entries = useTimelineEntries(incidentId, HYPOTHESIS_KINDS);
  const [verdicts, setVerdicts] = useState<Hypotheses['verdicts']>({});
  // Read again when a verdict may have been recorded (by the review, here or on another laptop), not after every entry.
  const [verdictReads, readVerdicts] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const stops = [
      api.onChange((notice) => {
        const mine = notice.incidentIds.includes(incidentId) && (!notice.kinds || notice.kinds.includes(VERDICT_KIND));
        if (mine || notice.coreRestarted) readVerdicts();
      }),
      api.onReconnect(readVerdicts),
    ];
    return () => stops.forEach((stop) => stop());
  }, [incidentId]);
  useEffect(() => {
    let live = true;
    api.call('review.get', { incidentId }).then(
      (review) => live && setVerdicts(Object.fromEntries(review.hypotheses.map((h) => [h.targetId, h.state]))),
      // No verdicts readable: every hypothesis is handed over as open, which is what it is until judged.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [incidentId, verdictReads]);
  return useMemo(() => ({ entries, verdicts }), [entries, verdicts]);
}

/** The outgoing commander names the incoming one, adds a word, reads the briefing and starts the hand-off. */
export function HandoffStartDialog({ incident }: { incident: IncidentView }) {
  const { t } = useTranslation();
  const close = useRolesUi((s) => s.close);
  const policy = useIncidents((s) => s.slaPolicy);
  const hypotheses = useHypotheses(incident.id);
  const now = useNow(5000);
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toRef = useRef<HTMLInputElement>(null);

  useEffect(() => toRef.current?.focus(), []);
  // Rebuilt as the record moves (new tasks, a sent update) while the commander is writing.
  const preview = useMemo(() => (policy ? briefingNow(incident, policy, hypotheses, note, now) : null), [incident, policy, hypotheses, note, now]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy || !policy) return;
    const name = to.trim();
    if (!name) {
      setError(t('handoff.toRequired'));
      toRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await command('command.startHandoff', { incidentId: incident.id, to: name, briefing: briefingNow(incident, policy, hypotheses, note, Date.now()) });
      // The incoming commander acknowledges from the banner, on this laptop or their own.
      close();
    } catch (e) {
      setError(t('handoff.failed', { message: message(e) }));
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <Modal id="handoff" title={t('handoff.title')} className="roles-dialog handoff-dialog" onClose={close}>
      <form className="handoff-form" onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} noValidate>
        <p>{t('handoff.current', { commander: incident.roles.commander ?? t('header.noCommander') })}</p>
        <label htmlFor="handoff-to">{t('handoff.to')}</label>
        <PeoplePicker
          id="handoff-to"
          inputRef={toRef}
          value={to}
          onChange={setTo}
          placeholder={t('roles.personPlaceholder')}
          describedBy={error ? 'handoff-error' : undefined}
          invalid={error !== null && !to.trim()}
        />
        <label htmlFor="handoff-note">{t('handoff.noteLabel')}</label>
        <textarea id="handoff-note" rows={2} value={note} placeholder={t('handoff.notePlaceholder')} onChange={(e) => setNote(e.target.value)} />
        <ErrorNote id="handoff-error" text={error} />
        <div className="form-actions">
          <span className="hint">{t('handoff.keysHint')}</span>
          <button type="button" onClick={close}>
            {t('handoff.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('handoff.start')}
          </button>
        </div>
      </form>
      <h3 className="briefing-heading">{t('handoff.preview')}</h3>
      <div className="briefing-scroll" tabIndex={0} aria-label={t('handoff.preview')}>
        {preview && <HandoffBriefing briefing={preview} now={now} />}
      </div>
    </Modal>
  );
}

/** The incoming commander reads the recorded briefing and acknowledges it, which makes them commander. */
export function HandoffAcknowledgeDialog({ incident }: { incident: IncidentView }) {
  const { t } = useTranslation();
  const close = useRolesUi((s) => s.close);
  const locale = useDateLocale();
  const now = useNow(60_000);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ackRef = useRef<HTMLButtonElement>(null);
  const handoff = incident.handoffs.find((h) => h.id === incident.pendingHandoffId) ?? null;

  useEffect(() => ackRef.current?.focus(), [handoff?.id]);

  const acknowledge = async () => {
    if (busy || !handoff) return;
    setBusy(true);
    setError(null);
    try {
      await command('command.acknowledgeHandoff', { incidentId: incident.id, handoffId: handoff.id });
      close();
    } catch (e) {
      setError(t('handoff.failed', { message: message(e) }));
      setBusy(false);
    }
  };

  return (
    <Modal id="acknowledge" title={t('handoff.ackTitle')} className="roles-dialog handoff-dialog" onClose={close}>
      {handoff ? (
        <>
          <p className="handoff-summary" data-testid="handoff-summary">
            {t('handoff.pendingLine', {
              from: handoff.from || t('header.noCommander'),
              to: handoff.to,
              time: handoff.startedAt === null ? '' : shortTime(handoff.startedAt, now, locale),
            })}
          </p>
          <div className="briefing-scroll" tabIndex={0} aria-label={t('handoff.recorded')}>
            {handoff.briefing && <HandoffBriefing briefing={handoff.briefing} now={now} />}
          </div>
          <ErrorNote id="acknowledge-error" text={error} />
          <div className="form-actions">
            <span className="hint">{t('handoff.ackHint', { to: handoff.to })}</span>
            <button type="button" onClick={close}>
              {t('handoff.later')}
            </button>
            <button ref={ackRef} type="button" className="primary" disabled={busy} onClick={() => void acknowledge()}>
              {t('handoff.acknowledge', { to: handoff.to })}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="muted">{t('handoff.nonePending')}</p>
          <div className="form-actions">
            <button ref={ackRef} type="button" onClick={close}>
              {t('roles.close')}
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
