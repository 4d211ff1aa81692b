import { useTranslation } from 'react-i18next';
import { useAppearance } from './theme.js';

/** Light or dark, and large type for a shared screen; both also in the command palette. */
export function AppearanceSwitch() {
  const { t } = useTranslation();
  const theme = useAppearance((s) => s.theme);
  const largeType = useAppearance((s) => s.largeType);
  const setTheme = useAppearance((s) => s.setTheme);
  const setLargeType = useAppearance((s) => s.setLargeType);
  return (
    <div className="appearance-switch" role="group" aria-label={t('appearance.label')}>
      <button
        type="button"
        aria-pressed={theme === 'light'}
        aria-label={t('appearance.light')}
        title={t(theme === 'light' ? 'palette.theme.dark' : 'palette.theme.light')}
        onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')}
      >
        {t('appearance.lightShort')}
      </button>
      <button
        type="button"
        aria-pressed={largeType}
        aria-label={t('appearance.largeType')}
        title={t(largeType ? 'palette.largeTypeOff' : 'palette.largeTypeOn')}
        onClick={() => setLargeType(!largeType)}
      >
        {t('appearance.largeTypeShort')}
      </button>
    </div>
  );
}
