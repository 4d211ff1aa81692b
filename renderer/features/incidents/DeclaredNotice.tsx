import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useUi } from '../../app/ui-store.js';
import { useDeclaredNotice } from './declared-notice.js';
import { useIncidents } from './store.js';

/**
 * "“…” is declared. Alt+2 switches to it." under the header, for a declaration answered after its
 * form was closed: a polite live region (read when the screen reader is idle) that never takes the
 * focus. The region is always in the page, so what appears in it is announced; the buttons stand
 * beside it, out of what is read.
 */
export function DeclaredNotice() {
  const { t } = useTranslation();
  const declared = useDeclaredNotice((s) => s.declared);
  const dismiss = useDeclaredNotice((s) => s.dismiss);
  const selected = useUi((s) => s.selectedIncidentId);
  // Its place in the incident list is what Alt+n counts (renderer/app/shortcuts.ts).
  const position = useIncidents((s) => (declared ? s.list.findIndex((i) => i.id === declared.id) + 1 : 0));

  // Switched to it, by any way (Alt+n, the incident list, the button): said, done.
  useEffect(() => {
    if (declared && selected === declared.id) dismiss();
  }, [declared, selected, dismiss]);

  return (
    <div className={declared ? 'declared-notice shown' : 'declared-notice'}>
      <p role="status" aria-live="polite" data-testid="declared-notice">
        {declared &&
          (position >= 1 && position <= 9
            ? t('layout.declared.withKey', { title: declared.title, n: position })
            : t('layout.declared.withList', { title: declared.title }))}
      </p>
      {declared && (
        <>
          <button type="button" onClick={() => useUi.getState().selectIncident(declared.id)}>
            {t('layout.declared.switch')}
          </button>
          <button type="button" onClick={dismiss}>
            {t('app.dismiss')}
          </button>
        </>
      )}
    </div>
  );
}
