import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/index.js';
import { useUi } from '../app/ui-store.js';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = useUi((s) => s.language);
  const setLanguage = useUi((s) => s.setLanguage);
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={language === l} title={t(`language.${l}Name`)} onClick={() => setLanguage(l)}>
          {t(`language.${l}`)}
        </button>
      ))}
    </div>
  );
}
