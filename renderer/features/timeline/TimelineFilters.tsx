import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TIMELINE_BADGES, type TimelineBadge } from '../../../shared/timeline/timeline.js';
import { loadAuthors, setFilter, useTimeline } from './store.js';
import { KindIcon, StarIcon } from './TimelineIcons.js';

export const FILTER_INPUT_ID = 'timeline-filter';

/**
 * Words, kinds, author and stars narrow the timeline; the store does the matching, so a
 * filter over 100,000 entries sends back only what fits on screen. Every control is a
 * native one, reached with Tab; `/` puts the cursor in the words field from anywhere.
 */
export function TimelineFilters() {
  const { t } = useTranslation();
  const filter = useTimeline((s) => s.filter);
  const authors = useTimeline((s) => s.authors);
  const [text, setText] = useState(filter.text);
  const kindsRef = useRef<HTMLDetailsElement>(null);

  // A switch of incident resets the filter; the field follows.
  useEffect(() => setText(filter.text), [filter.text]);

  const active = filter.text !== '' || filter.kinds.length > 0 || filter.actors.length > 0 || filter.starred;
  const toggleKind = (badge: TimelineBadge) =>
    void setFilter({ kinds: filter.kinds.includes(badge) ? filter.kinds.filter((k) => k !== badge) : [...filter.kinds, badge] });

  return (
    <div className="timeline-filters" role="search" aria-label={t('timelineView.filterLabel')}>
      <label className="visually-hidden" htmlFor={FILTER_INPUT_ID}>
        {t('timelineView.filterLabel')}
      </label>
      <input
        id={FILTER_INPUT_ID}
        type="search"
        autoComplete="off"
        value={text}
        placeholder={t('timelineView.filterPlaceholder')}
        onChange={(e) => {
          setText(e.target.value);
          void setFilter({ text: e.target.value });
        }}
        onKeyDown={(e) => {
          // The first Esc clears the words; the next one leaves the field.
          if (e.key === 'Escape' && text) {
            e.preventDefault();
            setText('');
            void setFilter({ text: '' });
          }
        }}
      />
      <details className="filter-kinds" ref={kindsRef}>
        <summary>{filter.kinds.length ? t('timelineView.kindsCount', { count: filter.kinds.length }) : t('timelineView.kinds')}</summary>
        <fieldset
          onKeyDown={(e) => {
            if (e.key === 'Escape' && kindsRef.current) {
              e.preventDefault();
              kindsRef.current.open = false;
              kindsRef.current.querySelector('summary')?.focus();
            }
          }}
        >
          <legend className="visually-hidden">{t('timelineView.kinds')}</legend>
          {TIMELINE_BADGES.map((badge) => (
            <label key={badge} className={`filter-kind kind-${badge}-line`}>
              <input type="checkbox" checked={filter.kinds.includes(badge)} onChange={() => toggleKind(badge)} />
              <KindIcon badge={badge} />
              {t(`kind.${badge}`)}
            </label>
          ))}
        </fieldset>
      </details>
      <label className="visually-hidden" htmlFor="timeline-author">
        {t('timelineView.author')}
      </label>
      <select
        id="timeline-author"
        value={filter.actors[0] ?? ''}
        onFocus={() => void loadAuthors()}
        onChange={(e) => void setFilter({ actors: e.target.value ? [e.target.value] : [] })}
      >
        <option value="">{t('timelineView.allAuthors')}</option>
        {authors.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <button type="button" className="filter-starred" aria-pressed={filter.starred} onClick={() => void setFilter({ starred: !filter.starred })}>
        <StarIcon filled={filter.starred} />
        {t('timelineView.starredOnly')}
      </button>
      {active && (
        <button type="button" className="filter-clear" onClick={() => void setFilter({ text: '', kinds: [], actors: [], starred: false })}>
          {t('timelineView.clearFilters')}
        </button>
      )}
    </div>
  );
}
