import { useTranslation } from 'react-i18next';
import { shortTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { useIncidents } from '../incidents/store.js';
import { rowText, type ReviewRow } from './review-text.js';
import { highlight, useReview } from './store.js';

const EXCERPT = 48;

/** The entries a review item cites, each a button that finds it in the curated timeline. */
export function CiteChips({ cites, onRemove }: { cites: readonly string[]; onRemove?: (id: string) => void }) {
  const { t } = useTranslation();
  const rows = useReview((s) => s.rows);
  const view = useIncidents((s) => s.current);
  const locale = useDateLocale();
  const now = useNow(60_000);
  if (cites.length === 0) return null;
  const byId = new Map<string, ReviewRow>(rows.map((r) => [r.event.id, r]));
  return (
    <span className="cite-chips" aria-label={t('review.rootCause.cites')}>
      {cites.map((id) => {
        const row = byId.get(id);
        const text = row ? rowText(row, view, t).text : id;
        const label = row ? `${shortTime(row.occurredAt, now, locale)} ${text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text}` : id;
        return (
          <span key={id} className="cite-chip">
            <button type="button" className="link" title={text} onClick={() => highlight([id])}>
              {label}
            </button>
            {onRemove && (
              <button
                type="button"
                className="cite-remove"
                aria-label={t('review.rootCause.uncite')}
                title={t('review.rootCause.uncite')}
                onClick={() => onRemove(id)}
              >
                ×
              </button>
            )}
          </span>
        );
      })}
    </span>
  );
}

/** Adds the entries picked in the timeline (space on a row) to an item's citations, then clears the pick. */
export function CitePicked({ onCite }: { onCite: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const picked = useReview((s) => s.picked);
  if (picked.length === 0) return null;
  return (
    <button
      type="button"
      className="cite-picked"
      onClick={() => {
        onCite(picked);
        useReview.setState({ picked: [] });
      }}
    >
      {t('review.rootCause.citePicked', { count: picked.length })}
    </button>
  );
}

/** Save a new item citing the entries picked in the timeline; the pick is cleared only once it is saved. */
export async function withPicked<T>(save: (cites: string[]) => Promise<T>): Promise<T> {
  const picked = useReview.getState().picked;
  const result = await save(picked);
  useReview.setState((s) => ({ picked: s.picked.filter((id) => !picked.includes(id)) }));
  return result;
}

/**
 * One review item that cites timeline entries (a lesson, a contributing factor): its text, a
 * remove button, its citations and a way to add the entries picked in the curated timeline.
 */
export function CitedItem({
  className,
  idAttribute,
  id,
  text,
  cites,
  onRemove,
  onSaveCites,
}: {
  className: string;
  idAttribute: `data-${string}`;
  id: string;
  text: string;
  cites: readonly string[];
  onRemove: () => void;
  onSaveCites: (cites: string[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <li className={className} {...{ [idAttribute]: id }}>
      <span className={`${className}-text`}>{text}</span>
      <button type="button" className="icon" aria-label={t('review.rootCause.remove')} title={t('review.rootCause.remove')} onClick={onRemove}>
        ×
      </button>
      <div className="item-meta">
        <CiteChips cites={cites} onRemove={(cited) => onSaveCites(cites.filter((c) => c !== cited))} />
        <CitePicked onCite={(ids) => onSaveCites([...new Set([...cites, ...ids])])} />
      </div>
    </li>
  );
}
