import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { impactOfSeverity } from '../../../shared/alerts/alerts.js';
import { CATEGORIES, type Category } from '../../../shared/record/events.js';
import { LEVELS, type Level } from '../../../shared/incidents/priority.js';
import { command } from '../../app/actions.js';
import { useUi } from '../../app/ui-store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { Modal } from '../../ui/Modal.js';
import { refreshAlerts, useAlerts, type AlertItem } from './store.js';
import './Alerts.css';

type Panel = { mode: 'declare' | 'attach'; alert: AlertItem } | null;
const OPEN_STATUSES = new Set(['detected', 'declared', 'investigating', 'mitigated']);

/**
 * The alert inbox (key a): alerts from monitoring as the hub recorded them, newest trouble
 * first. ↑ ↓ choose, Enter declares an incident from the chosen alert, t attaches it to an
 * open incident, k acknowledges it. Everything it shows came from outside: it is text only.
 */
export function AlertInbox() {
  const open = useAlerts((s) => s.open);
  if (!open) return null;
  return <InboxDialog />;
}

function InboxDialog() {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const now = useNow(30_000);
  const alerts = useAlerts((s) => s.alerts);
  const loadError = useAlerts((s) => s.error);
  const close = () => useAlerts.getState().setOpen(false);
  // Opened on an alert chosen in the palette, else on the first.
  const [index, setIndex] = useState(() =>
    Math.max(
      0,
      alerts.findIndex((a) => a.fingerprint === useAlerts.getState().focus),
    ),
  );
  const [panel, setPanel] = useState<Panel>(null);
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const selected = alerts[Math.min(index, alerts.length - 1)];

  useEffect(() => {
    void refreshAlerts();
  }, []);
  // The list takes the focus as soon as it has something to choose from (alerts may arrive while
  // the inbox is open), unless the commander is already typing in one of its forms.
  const hasAlerts = alerts.length > 0;
  useEffect(() => {
    const active = document.activeElement;
    if (hasAlerts && !(active instanceof HTMLInputElement || active instanceof HTMLSelectElement)) listRef.current?.focus();
  }, [hasAlerts]);

  const closePanel = () => {
    setPanel(null);
    listRef.current?.focus();
  };

  const acknowledge = async (alert: AlertItem) => {
    setError(null);
    try {
      await command('alerts.acknowledge', { fingerprint: alert.fingerprint });
      await refreshAlerts();
    } catch (e) {
      setError(t('alerts.failed', { message: message(e) }));
    }
  };

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!selected || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setIndex((i) => Math.max(0, Math.min(alerts.length - 1, Math.min(i, alerts.length - 1) + step)));
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      setIndex(event.key === 'Home' ? 0 : alerts.length - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      setPanel({ mode: 'declare', alert: selected });
    } else if (event.key === 't') {
      event.preventDefault();
      setPanel({ mode: 'attach', alert: selected });
    } else if (event.key === 'k') {
      event.preventDefault();
      void acknowledge(selected);
    }
  };

  return (
    <Modal id="alert-inbox" title={t('alerts.title')} className="alert-inbox" onClose={close}>
      <p className="hint">{t('alerts.keysHint')}</p>
      <ErrorNote text={error ?? (loadError ? t('alerts.failed', { message: loadError }) : null)} />
      {alerts.length === 0 ? (
        <p className="empty">{t('alerts.empty')}</p>
      ) : (
        <ul
          ref={listRef}
          className="alert-list"
          role="listbox"
          tabIndex={0}
          aria-label={t('alerts.listLabel')}
          aria-activedescendant={selected ? `alert-${index}` : undefined}
          onKeyDown={onListKey}
        >
          {alerts.map((alert, i) => (
            <li
              key={alert.fingerprint}
              id={`alert-${i}`}
              role="option"
              aria-selected={i === index}
              className={`alert-item alert-${alert.state} severity-${alert.severity}`}
              data-fingerprint={alert.fingerprint}
              data-state={alert.state}
              onClick={() => setIndex(i)}
            >
              <div className="alert-head">
                <span className={`alert-severity severity-${alert.severity}`}>{t(`alerts.severity.${alert.severity}`)}</span>
                <strong className="alert-title">{alert.title}</strong>
                <span className={`state-badge alert-state-${alert.state}`}>{t(`alerts.state.${alert.state}`)}</span>
              </div>
              <p className="alert-meta muted">
                {t('alerts.meta', { source: alert.integration, time: shortTime(alert.startsAt, now, locale) })}
                {alert.acknowledged && ` · ${t('alerts.acknowledgedBy', { actor: alert.acknowledged.by })}`}
                {alert.links.length > 0 && ` · ${t('alerts.linkedCount', { count: alert.links.length })}`}
              </p>
              {alert.description && <p className="alert-description">{alert.description}</p>}
            </li>
          ))}
        </ul>
      )}
      {selected && (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => setPanel({ mode: 'declare', alert: selected })}>
            {t('alerts.declare')} <kbd>Enter</kbd>
          </button>
          <button type="button" onClick={() => setPanel({ mode: 'attach', alert: selected })}>
            {t('alerts.attach')} <kbd>t</kbd>
          </button>
          <button type="button" disabled={selected.acknowledged !== null} onClick={() => void acknowledge(selected)}>
            {t('alerts.acknowledge')} <kbd>k</kbd>
          </button>
          {selected.link && (
            // Checked as http(s) by the schema; opened outside the console, never inside it.
            <a href={selected.link} target="_blank" rel="noreferrer noopener">
              {t('alerts.openSource')}
            </a>
          )}
        </div>
      )}
      {panel?.mode === 'declare' && <DeclareFromAlert alert={panel.alert} onDone={closePanel} />}
      {panel?.mode === 'attach' && <AttachAlert alert={panel.alert} onDone={closePanel} />}
    </Modal>
  );
}

function DeclareFromAlert({ alert, onDone }: { alert: AlertItem; onDone: () => void }) {
  const { t } = useTranslation();
  const actor = useIncidents((s) => s.info?.actor ?? '');
  const [title, setTitle] = useState(alert.title);
  const [impact, setImpact] = useState<Level>(impactOfSeverity(alert.severity));
  const [urgency, setUrgency] = useState<Level>(alert.severity === 'critical' ? 'high' : 'medium');
  const [category, setCategory] = useState<Category>('software');
  const [commander, setCommander] = useState(actor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await command('alerts.declare', { fingerprint: alert.fingerprint, title, impact, urgency, category, commander: commander || actor });
      useUi.getState().selectIncident(result.incidentId);
      useAlerts.getState().setOpen(false);
    } catch (e) {
      setError(t('alerts.failed', { message: message(e) }));
      setBusy(false);
    }
  };

  return (
    <form
      className="alert-panel"
      aria-label={t('alerts.declareTitle')}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onDone();
        } else if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
          // A select swallows Enter; here it confirms, like in every other field of the form.
          void submit(e);
        }
      }}
    >
      <h3>{t('alerts.declareTitle')}</h3>
      <p className="hint">{t('alerts.declareHint')}</p>
      <ErrorNote text={error} />
      <label>
        <span className="label">{t('alerts.field.title')}</span>
        <input autoFocus value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <div className="alert-panel-row">
        <label>
          <span className="label">{t('alerts.field.impact')}</span>
          <select value={impact} onChange={(e) => setImpact(e.target.value as Level)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="label">{t('alerts.field.urgency')}</span>
          <select value={urgency} onChange={(e) => setUrgency(e.target.value as Level)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="label">{t('alerts.field.category')}</span>
          <select value={category} onChange={(e) => setCategory(e.target.value as Category)}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="label">{t('alerts.field.commander')}</span>
          <input value={commander} maxLength={120} onChange={(e) => setCommander(e.target.value)} />
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !title.trim()}>
          {t('alerts.declareSubmit')}
        </button>
        <button type="button" onClick={onDone}>
          {t('alerts.cancel')}
        </button>
      </div>
    </form>
  );
}

function AttachAlert({ alert, onDone }: { alert: AlertItem; onDone: () => void }) {
  const { t } = useTranslation();
  const incidents = useIncidents(useShallow((s) => s.list.filter((i) => OPEN_STATUSES.has(i.status))));
  const currentId = useIncidents((s) => s.current?.id ?? null);
  const [target, setTarget] = useState(currentId && incidents.some((i) => i.id === currentId) ? currentId : (incidents[0]?.id ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!target || busy) return;
    setBusy(true);
    setError(null);
    try {
      await command('alerts.attach', { fingerprint: alert.fingerprint, incidentId: target });
      useUi.getState().selectIncident(target);
      useAlerts.getState().setOpen(false);
    } catch (e) {
      setError(t('alerts.failed', { message: message(e) }));
      setBusy(false);
    }
  };

  return (
    <form
      className="alert-panel"
      aria-label={t('alerts.attachTitle')}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onDone();
        } else if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
          // A select swallows Enter; here it confirms, like in every other field of the form.
          void submit(e);
        }
      }}
    >
      <h3>{t('alerts.attachTitle')}</h3>
      <ErrorNote text={error} />
      {incidents.length === 0 ? (
        <p className="empty">{t('alerts.noOpenIncident')}</p>
      ) : (
        <label>
          <span className="label">{t('alerts.field.incident')}</span>
          <select autoFocus value={target} onChange={(e) => setTarget(e.target.value)}>
            {incidents.map((i) => (
              <option key={i.id} value={i.id}>
                {i.priority} · {i.title}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !target}>
          {t('alerts.attachSubmit')}
        </button>
        <button type="button" onClick={onDone}>
          {t('alerts.cancel')}
        </button>
      </div>
    </form>
  );
}
