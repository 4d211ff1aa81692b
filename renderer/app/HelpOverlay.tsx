import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from './shortcuts.js';
import { useUi } from './ui-store.js';
import { ReviewHelp } from '../features/review/ReviewHelp.js';
import { Modal } from '../ui/Modal.js';

export function HelpOverlay() {
  const { t } = useTranslation();
  const setHelpOpen = useUi((s) => s.setHelpOpen);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => closeRef.current?.focus(), []);

  return (
    <Modal id="help" title={t('help.title')} className="help" onClose={() => setHelpOpen(false)}>
      <p className="muted">{t('help.intro')}</p>
      <dl className="shortcut-list">
        {SHORTCUTS.map(({ id: name }) => (
          <div key={name}>
            <dt>
              <kbd>{t(`keys.${name}`)}</kbd>
            </dt>
            <dd>{t(`help.${name}`)}</dd>
          </div>
        ))}
      </dl>
      <ReviewHelp />
      <div className="form-actions">
        <button ref={closeRef} type="button" className="primary" onClick={() => setHelpOpen(false)}>
          {t('help.close')}
        </button>
      </div>
    </Modal>
  );
}
