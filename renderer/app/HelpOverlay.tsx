import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from './shortcuts.js';
import { useUi } from './ui-store.js';
import { ReviewHelp } from '../features/review/ReviewHelp.js';

export function HelpOverlay() {
  const { t } = useTranslation();
  const setHelpOpen = useUi((s) => s.setHelpOpen);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => previous?.focus();
  }, []);

  return (
    <div className="overlay" onClick={() => setHelpOpen(false)}>
      <div className="dialog help" role="dialog" aria-modal="true" aria-labelledby="help-heading" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-heading">{t('help.title')}</h2>
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
      </div>
    </div>
  );
}
