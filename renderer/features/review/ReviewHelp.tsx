import { useTranslation } from 'react-i18next';

const REVIEW_SHORTCUTS = ['toggle', 'focus', 'jk', 'h', 'm', 'c', 'space', 'yxo', 'a', 'tabs', 'presenter', 'replay'] as const;

/** The review mode's keys, as a section of the help overlay. */
export function ReviewHelp() {
  const { t } = useTranslation();
  return (
    <>
      <h3 className="help-section">{t('review.help.title')}</h3>
      <dl className="shortcut-list">
        {REVIEW_SHORTCUTS.map((name) => (
          <div key={name}>
            <dt>
              <kbd>{t(`review.keys.${name}`)}</kbd>
            </dt>
            <dd>{t(`review.help.${name}`)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
