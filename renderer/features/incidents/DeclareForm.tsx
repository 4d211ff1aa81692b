import { problemText } from '../../api/error-text.js';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api/api.js';
import { CATEGORIES, DETECTION_SOURCES } from '../../../shared/record/events.js';
import { LEVELS, priorityOf } from '../../../shared/incidents/priority.js';
import { fromLocalInput, splitServices, toLocalInput } from '../../ui/format.js';
import { FOCUS_TARGETS } from '../../app/shortcuts.js';
import { command } from '../../app/actions.js';
import { useDeclareDraft, type DeclareDraft } from './declare-draft.js';
import { useDeclaredNotice } from './declared-notice.js';
import { useIncidents } from './store.js';
import { message, refreshList } from './view-sync.js';
import { useUi } from '../../app/ui-store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { PriorityBadge } from '../../ui/PriorityBadge.js';
import { Modal } from '../../ui/Modal.js';
import { focusOnceShown, focusStayedIn } from '../../ui/focus-guard.js';

/** Declaration form: the whole page on an empty store, a dialog over the command view otherwise. */
export function DeclareForm({ asDialog }: { asDialog: boolean }) {
  const { t } = useTranslation();
  const draft = useDeclareDraft((s) => s.draft);
  const update = useDeclareDraft((s) => s.update);
  const actor = useIncidents((s) => s.info?.actor ?? '');
  const setDeclareOpen = useUi((s) => s.setDeclareOpen);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  /** What had the focus when the form opened: the dialog gives it back there as it closes. */
  const opener = useRef(document.activeElement);

  useEffect(() => {
    const { draft: current, update: patch } = useDeclareDraft.getState();
    const now = toLocalInput(Date.now());
    if (!current.occurredAt || !current.detectedAt) patch({ occurredAt: current.occurredAt || now, detectedAt: current.detectedAt || now });
    titleRef.current?.focus();
  }, []);

  const commander = draft.commander ?? actor;

  const labels: Partial<Record<string, string>> = {
    title: t('declare.fieldTitle'),
    description: t('declare.description'),
    occurredAt: t('declare.occurredAt'),
    detectedAt: t('declare.detectedAt'),
    services: t('declare.services'),
    reporter: t('declare.reporter'),
    detectionSource: t('declare.detectionSource'),
    category: t('declare.category'),
    impact: t('declare.impact'),
    urgency: t('declare.urgency'),
    commander: t('declare.commander'),
  };
  const fieldLabel = (key: string) => labels[key];

  const submit = async () => {
    if (busy) return;
    const unreadable = (['occurredAt', 'detectedAt'] as const).find((key) => draft.typedTimes[key] && fromLocalInput(draft[key]) === null);
    if (unreadable) {
      setInvalid(new Set([unreadable]));
      setError(t('declare.invalidTime', { field: t(`declare.${unreadable}`) }));
      return;
    }
    // What was typed goes as typed ("2026-03-14 17:00"), read by the core in its zone; untouched is the core's now.
    const when = (key: 'occurredAt' | 'detectedAt') => (draft.typedTimes[key] ? draft[key].replace('T', ' ') : 'now');
    setBusy(true);
    try {
      const { incidentId } = await command('incident.declare', {
        title: draft.title,
        description: draft.description,
        occurredAtWhen: when('occurredAt'),
        detectedAtWhen: when('detectedAt'),
        services: splitServices(draft.services),
        reporter: draft.reporter,
        detectionSource: draft.detectionSource,
        category: draft.category,
        impact: draft.impact,
        urgency: draft.urgency,
        commander,
      });
      await refreshList();
      useDeclareDraft.getState().reset();
      // A late answer never takes the keyboard: one who closed the form with Esc while it was on its
      // way and went on working keeps their incident on screen (switching would take away the field
      // being typed in, and its text); the new one is in the incident switcher.
      // It says so politely (DeclaredNotice: a live region, Alt+n to switch), without taking the focus.
      if (!useUi.getState().declareOpen && !focusStayedIn(opener.current)) return useDeclaredNotice.getState().show(incidentId, draft.title.trim());
      // On the form (looked up, not held: on the first declaration the page's form is drawn again
      // as a dialog meanwhile), on what opened it (where the dialog gives the focus back), or nowhere.
      const onForm = () => focusStayedIn(document.querySelector('.declare-form'), opener.current);
      const stayed = onForm();
      useUi.getState().selectIncident(incidentId);
      setDeclareOpen(false);
      // The new incident's view may take a few frames to load: the bar takes the keyboard once shown,
      // unless the person has gone elsewhere meanwhile.
      if (stayed) focusOnceShown(FOCUS_TARGETS.quickEntry, onForm);
    } catch (e) {
      const issues = e instanceof ApiError ? (e.body.issues ?? []) : [];
      setInvalid(new Set(issues.map((i) => i.path.split('.')[0] ?? '')));
      // Name the field as the form labels it rather than by its key in the schema.
      const described = issues
        .map((i) => t('record.errors.fieldProblem', { field: fieldLabel(i.path.split('.')[0] ?? '') ?? i.path, problem: problemText(i.code, i.params) }))
        .join('; ');
      setError(t('declare.failed', { message: described || message(e) }));
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape') {
      // The draft is kept in its store, so closing loses nothing.
      event.preventDefault();
      setDeclareOpen(false);
    }
  };

  const field = <K extends keyof DeclareDraft>(key: K) => ({
    id: `declare-${key}`,
    'aria-invalid': invalid.has(key) || undefined,
    'aria-describedby': error ? 'declare-error' : undefined,
  });
  const text = (key: 'title' | 'description' | 'services' | 'reporter') => ({
    ...field(key),
    value: draft[key],
    onChange: (e: { target: { value: string } }) => update({ [key]: e.target.value }),
  });
  const time = (key: 'occurredAt' | 'detectedAt') => ({
    ...field(key),
    value: draft[key],
    onChange: (e: { target: { value: string } }) => update({ [key]: e.target.value, typedTimes: { ...draft.typedTimes, [key]: true } }),
  });

  const form = (
    <form className="declare-form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate aria-labelledby="declare-heading">
      <h1 id="declare-heading">{t('declare.title')}</h1>
      <div className="form-grid">
        <label className="span-2" htmlFor="declare-title">
          {t('declare.fieldTitle')}
        </label>
        <input ref={titleRef} className="span-2 big" type="text" placeholder={t('declare.titlePlaceholder')} {...text('title')} />

        <label className="span-2" htmlFor="declare-description">
          {t('declare.description')}
        </label>
        <textarea className="span-2" rows={3} placeholder={t('declare.descriptionPlaceholder')} {...text('description')} />

        <label htmlFor="declare-occurredAt">
          {t('declare.occurredAt')} <span className="muted">· {t('declare.localTimeHint')}</span>
        </label>
        <label htmlFor="declare-detectedAt">
          {t('declare.detectedAt')} <span className="muted">· {t('declare.localTimeHint')}</span>
        </label>
        <input type="datetime-local" {...time('occurredAt')} />
        <input type="datetime-local" {...time('detectedAt')} />

        <label htmlFor="declare-services">
          {t('declare.services')} <span className="muted">· {t('declare.servicesHint')}</span>
        </label>
        <label htmlFor="declare-reporter">{t('declare.reporter')}</label>
        <input type="text" placeholder={t('declare.servicesPlaceholder')} {...text('services')} />
        <input type="text" placeholder={t('declare.reporterPlaceholder')} {...text('reporter')} />

        <label htmlFor="declare-detectionSource">{t('declare.detectionSource')}</label>
        <label htmlFor="declare-category">{t('declare.category')}</label>
        <select
          {...field('detectionSource')}
          value={draft.detectionSource}
          onChange={(e) => update({ detectionSource: e.target.value as DeclareDraft['detectionSource'] })}
        >
          {DETECTION_SOURCES.map((s) => (
            <option key={s} value={s}>
              {t(`detectionSource.${s}`)}
            </option>
          ))}
        </select>
        <select {...field('category')} value={draft.category} onChange={(e) => update({ category: e.target.value as DeclareDraft['category'] })}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`category.${c}`)}
            </option>
          ))}
        </select>

        <div className="span-2 priority-row">
          <div>
            <label htmlFor="declare-impact">{t('declare.impact')}</label>
            <select {...field('impact')} value={draft.impact} onChange={(e) => update({ impact: e.target.value as DeclareDraft['impact'] })}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`level.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="declare-urgency">{t('declare.urgency')}</label>
            <select {...field('urgency')} value={draft.urgency} onChange={(e) => update({ urgency: e.target.value as DeclareDraft['urgency'] })}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`level.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="priority-result" aria-live="polite">
            <span className="label">{t('declare.priority')}</span>
            <PriorityBadge priority={priorityOf(draft.impact, draft.urgency)} large />
          </div>
        </div>

        <label className="span-2" htmlFor="declare-commander">
          {t('declare.commander')}
        </label>
        <input className="span-2" type="text" {...field('commander')} value={commander} onChange={(e) => update({ commander: e.target.value })} />
      </div>
      <ErrorNote id="declare-error" text={error} />
      <div className="form-actions">
        <p className="hint">{t('declare.keysHint')}</p>
        <button type="button" onClick={() => setDeclareOpen(false)}>
          {t('declare.cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('declare.submitting') : t('declare.submit')}
        </button>
      </div>
    </form>
  );

  if (!asDialog) return <main className="declare-page">{form}</main>;
  return (
    <Modal id="declare" className="declare-dialog" onClose={() => setDeclareOpen(false)}>
      {form}
    </Modal>
  );
}
