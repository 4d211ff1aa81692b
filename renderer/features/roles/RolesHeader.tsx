import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useIncidents } from '../incidents/store.js';
import { useRolesUi } from './store.js';
import { HandoffAcknowledgeDialog, HandoffStartDialog } from './HandoffDialog.js';
import { PeopleDialog } from './PeopleDialog.js';
import { RolesDialog } from './RolesDialog.js';

/** In the header: the roles button, and while a hand-off waits, who it waits for and how to acknowledge it. */
export function RolesHeader() {
  const { t } = useTranslation();
  const open = useRolesUi((s) => s.open);
  const pending = useIncidents(
    useShallow((s) => {
      const h = s.current?.handoffs.find((x) => x.id === s.current?.pendingHandoffId);
      return h ? { from: h.from, to: h.to } : null;
    }),
  );
  return (
    <>
      <button type="button" className="roles-button" title={t('roles.buttonHint')} onClick={() => open('roles')}>
        {t('roles.button')}
      </button>
      {pending && (
        <button type="button" className="handoff-banner" data-testid="handoff-pending" onClick={() => open('acknowledge')}>
          {t('handoff.banner', { from: pending.from || t('header.noCommander'), to: pending.to })}
        </button>
      )}
    </>
  );
}

/** Whichever role, directory or hand-off dialog is open. */
export function RolesOverlays() {
  const dialog = useRolesUi((s) => s.dialog);
  const incident = useIncidents((s) => s.current);
  if (dialog === 'people') return <PeopleDialog />;
  if (!incident || !dialog) return null;
  if (dialog === 'roles') return <RolesDialog incident={incident} />;
  if (dialog === 'handoff') return <HandoffStartDialog incident={incident} />;
  return <HandoffAcknowledgeDialog incident={incident} />;
}
