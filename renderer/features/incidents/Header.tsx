import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { STATUSES, type Status } from '../../../shared/record/events.js';
import { LEVELS, type Level } from '../../../shared/incidents/priority.js';
import { FOCUS_TARGETS } from '../../app/shortcuts.js';
import { command } from '../../app/actions.js';
import { useIncidents } from './store.js';
import { message } from './view-sync.js';
import { useUi } from '../../app/ui-store.js';
import { ClockStrip, SlaClocks } from '../clocks/Clocks.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ChoiceSelect } from '../../ui/ChoiceSelect.js';
import { LanguageSwitch } from '../../ui/LanguageSwitch.js';
import { AppearanceSwitch } from '../../ui/AppearanceSwitch.js';
import { IncidentSwitcher } from './IncidentSwitcher.js';
import { PriorityBadge } from '../../ui/PriorityBadge.js';
import { RolesHeader } from '../roles/RolesHeader.js';
import { ReviewButton } from '../review/ReviewButton.js';
import { SyncIndicator } from '../sync/SyncIndicator.js';
import { LibraryButtons } from '../library/LibraryPanels.js';
import { DrillBar } from '../library/DrillBar.js';
import { AlertsButton } from '../alerts/AlertsButton.js';
import { OverflowMenu } from '../../ui/OverflowMenu.js';

export function Header() {
  const { t } = useTranslation();
  const incident = useIncidents(
    useShallow((s) =>
      s.current
        ? {
            id: s.current.id,
            title: s.current.title,
            priority: s.current.priority,
            drill: s.current.drill,
            commander: s.current.roles.commander ?? null,
          }
        : null,
    ),
  );
  const setDeclareOpen = useUi((s) => s.setDeclareOpen);
  const setHelpOpen = useUi((s) => s.setHelpOpen);
  if (!incident) return null;
  return (
    <header className="console-header">
      <div className="header-row">
        <span className="brand">{t('app.name')}</span>
        <IncidentSwitcher />
        <h1 className="incident-title" title={incident.title}>
          {incident.title}
        </h1>
        {incident.drill && <span className="drill-badge">{t('app.drillBadge')}</span>}
        <PriorityBadge priority={incident.priority} large />
        <div className="header-actions">
          <SyncIndicator />
          <AlertsButton />
          <ReviewButton />
          {/* Library, export and drill are seldom wanted during an incident (b, e, x and the palette reach them):
              on a laptop they sit under "More", so the actions stay on the title's line in any language. */}
          <span className="header-wide-only">
            <LibraryButtons />
          </span>
          <OverflowMenu className="header-narrow-only" label={t('layout.more')} title={t('layout.moreHint')}>
            <LibraryButtons />
          </OverflowMenu>
          <button type="button" onClick={() => setDeclareOpen(true)}>
            {t('header.newIncident')}
          </button>
          <LanguageSwitch />
          <AppearanceSwitch />
          <button type="button" className="icon" aria-label={t('header.help')} title={t('header.help')} onClick={() => setHelpOpen(true)}>
            {t('header.helpButton')}
          </button>
        </div>
      </div>
      <div className="header-row">
        <Controls incidentId={incident.id} />
        <div className="field-block">
          <span className="label">{t('header.commander')}</span>
          <span className="value" data-testid="commander">
            {incident.commander ?? t('header.noCommander')}
          </span>
        </div>
        <RolesHeader />
        <SlaClocks />
      </div>
      <ClockStrip />
      <DrillBar />
    </header>
  );
}

/**
 * Status and impact × urgency, changed in place; the core records each change as a timeline
 * entry, so each select records only a choice (a pick, or Enter after browsing with the arrows).
 */
function Controls({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { status, impact, urgency } = useIncidents(
    useShallow((s) => ({ status: s.current?.status ?? 'declared', impact: s.current?.impact ?? 'high', urgency: s.current?.urgency ?? 'high' })),
  );
  const [pending, setPending] = useState<{ status?: Status; impact?: Level; urgency?: Level }>({});
  const [error, setError] = useState<string | null>(null);

  const run = async (patch: typeof pending, call: () => Promise<unknown>) => {
    setPending(patch);
    setError(null);
    try {
      await call();
    } catch (e) {
      setError(t('header.changeFailed', { message: message(e) }));
    } finally {
      setPending({});
    }
  };
  const setStatus = (next: Status) => void run({ status: next }, () => command('incident.setStatus', { incidentId, status: next }));
  const setLevels = (nextImpact: Level, nextUrgency: Level) =>
    void run({ impact: nextImpact, urgency: nextUrgency }, () => command('incident.setPriority', { incidentId, impact: nextImpact, urgency: nextUrgency }));
  const levels = LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) }));
  const shownImpact = pending.impact ?? impact;
  const shownUrgency = pending.urgency ?? urgency;

  return (
    <>
      <div className="field-block">
        <label className="label" htmlFor={FOCUS_TARGETS.status}>
          {t('header.status')}
        </label>
        <ChoiceSelect
          id={FOCUS_TARGETS.status}
          className={(shown) => `status-select status-${shown}`}
          value={pending.status ?? status}
          options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          onChoose={setStatus}
        />
      </div>
      <div className="field-block">
        <label className="label" htmlFor="header-impact">
          {t('header.impact')}
        </label>
        <ChoiceSelect id="header-impact" value={shownImpact} options={levels} onChoose={(next) => setLevels(next, shownUrgency)} />
      </div>
      <div className="field-block">
        <label className="label" htmlFor="header-urgency">
          {t('header.urgency')}
        </label>
        <ChoiceSelect id="header-urgency" value={shownUrgency} options={levels} onChoose={(next) => setLevels(shownImpact, next)} />
      </div>
      <ErrorNote text={error} />
    </>
  );
}
