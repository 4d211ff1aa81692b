import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FISHBONE_CATEGORIES, HYPOTHESIS_STATES } from '../../../shared/record/events.js';
import { orderBetween, type FishboneCategory, type HypothesisState, type ReviewView } from '../../../shared/review/review.js';
import { entryTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { rowText } from './review-text.js';
import { useIncidents } from '../incidents/store.js';
import { highlight, reviewCommand, useReview } from './store.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ChoiceSelect } from '../../ui/ChoiceSelect.js';
import { CiteChips, CitePicked, CitedItem, withPicked } from './ReviewCites.js';
import { isHypothesis } from './ReviewTimeline.js';

type Why = ReviewView['whys'][number];
type Factor = ReviewView['factors'][number];
const NONE_WHYS: Why[] = [];
const NONE_FACTORS: Factor[] = [];

/** Runs a review command and keeps its failure beside the part that asked. */
function useRunner() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const run = async (call: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await call();
      return true;
    } catch (e) {
      setError(t('review.actionFailed', { message: message(e) }));
      return false;
    }
  };
  return { error, run };
}

export function ReviewRootCause({ incidentId }: { incidentId: string }) {
  return (
    <div className="review-root-cause">
      <Hypotheses incidentId={incidentId} />
      <FiveWhys incidentId={incidentId} />
      <Fishbone incidentId={incidentId} />
    </div>
  );
}

function Hypotheses({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const rows = useReview((s) => s.rows);
  const view = useIncidents((s) => s.current);
  const verdicts = useReview((s) => s.review?.hypotheses);
  const locale = useDateLocale();
  const now = useNow(60_000);
  const { error, run } = useRunner();
  const hypotheses = rows.filter((r) => isHypothesis(r.event));
  const verdictOf = (id: string): HypothesisState => verdicts?.find((h) => h.targetId === id)?.state ?? 'open';
  return (
    <section className="review-block" aria-labelledby="review-hypotheses">
      <h3 id="review-hypotheses">{t('review.rootCause.hypotheses')}</h3>
      <ErrorNote text={error} />
      {hypotheses.length === 0 ? (
        <p className="empty">{t('review.rootCause.noHypotheses')}</p>
      ) : (
        <ul className="hypothesis-list">
          {hypotheses.map((row) => {
            const h = row.event;
            const verdict = verdictOf(h.id);
            return (
              <li key={h.id} className={`hypothesis verdict-${verdict}`} data-entry-id={h.id}>
                <ChoiceSelect
                  aria-label={t('review.timeline.hypothesisLabel')}
                  value={verdict}
                  options={HYPOTHESIS_STATES.map((s) => ({ value: s, label: t(`review.hypothesis.${s}`) }))}
                  onChoose={(state) => void run(() => reviewCommand('review.setHypothesisState', { incidentId, targetId: h.id, state }))}
                />
                <button type="button" className="link hypothesis-text" onClick={() => highlight([h.id])}>
                  <span className="entry-time">{entryTime(row.occurredAt, now, locale)}</span> {rowText(row, view, t).text}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function FiveWhys({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const whys = useReview((s) => s.review?.whys) ?? NONE_WHYS;
  const { error, run } = useRunner();
  const [why, setWhy] = useState('');
  const [because, setBecause] = useState('');

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!why.trim() && !because.trim()) return;
    const ok = await run(() => withPicked((cites) => reviewCommand('review.saveWhy', { incidentId, why, because, cites })));
    if (ok) {
      setWhy('');
      setBecause('');
      document.getElementById('why-new')?.focus();
    }
  };
  const save = (item: Why, patch: Partial<Pick<Why, 'order' | 'why' | 'because' | 'cites'>>) =>
    run(() =>
      reviewCommand('review.saveWhy', { incidentId, whyId: item.id, order: item.order, why: item.why, because: item.because, cites: item.cites, ...patch }),
    );
  const move = (index: number, delta: -1 | 1) => {
    const item = whys[index]!;
    const order =
      delta < 0 ? orderBetween(whys[index - 2]?.order ?? null, whys[index - 1]!.order) : orderBetween(whys[index + 1]!.order, whys[index + 2]?.order ?? null);
    void save(item, { order });
  };

  return (
    <section className="review-block" aria-labelledby="review-whys">
      <h3 id="review-whys">{t('review.rootCause.whys')}</h3>
      <p className="hint">{t('review.rootCause.whysHint')}</p>
      <ErrorNote text={error} />
      <ol className="why-chain">
        {whys.map((item, i) => (
          <WhyItem
            key={item.id}
            item={item}
            index={i}
            last={i === whys.length - 1}
            onSave={(patch) => void save(item, patch)}
            onMove={(delta) => move(i, delta)}
            onRemove={() => void run(() => reviewCommand('review.remove', { incidentId, itemId: item.id }))}
          />
        ))}
      </ol>
      <form className="why-new" onSubmit={(e) => void add(e)}>
        <label className="visually-hidden" htmlFor="why-new">
          {t('review.rootCause.why')}
        </label>
        <input id="why-new" value={why} placeholder={t('review.rootCause.why')} onChange={(e) => setWhy(e.target.value)} />
        <label className="visually-hidden" htmlFor="because-new">
          {t('review.rootCause.because')}
        </label>
        <input id="because-new" value={because} placeholder={t('review.rootCause.because')} onChange={(e) => setBecause(e.target.value)} />
        <button type="submit">{t('review.rootCause.addWhy')}</button>
      </form>
    </section>
  );
}

function WhyItem(props: {
  item: Why;
  index: number;
  last: boolean;
  onSave(patch: Partial<Pick<Why, 'order' | 'why' | 'because' | 'cites'>>): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
}) {
  const { item, index, last, onSave, onMove, onRemove } = props;
  const { t } = useTranslation();
  const [why, setWhy] = useState(item.why);
  const [because, setBecause] = useState(item.because);
  // Another laptop (or this one) saved a new version: show it.
  useEffect(() => setWhy(item.why), [item.why]);
  useEffect(() => setBecause(item.because), [item.because]);
  const commit = () => {
    if ((why.trim() !== item.why || because.trim() !== item.because) && (why.trim() || because.trim())) onSave({ why: why.trim(), because: because.trim() });
  };
  const onEnter = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    }
  };
  return (
    <li className="why-item" data-why-id={item.id}>
      <span className="why-number">{index + 1}</span>
      <div className="why-fields">
        <input
          aria-label={`${t('review.rootCause.why')} ${index + 1}`}
          value={why}
          onChange={(e) => setWhy(e.target.value)}
          onBlur={commit}
          onKeyDown={onEnter}
        />
        <input
          aria-label={`${t('review.rootCause.because')} ${index + 1}`}
          value={because}
          onChange={(e) => setBecause(e.target.value)}
          onBlur={commit}
          onKeyDown={onEnter}
        />
        <div className="item-meta">
          <CiteChips cites={item.cites} onRemove={(id) => onSave({ cites: item.cites.filter((c) => c !== id) })} />
          <CitePicked onCite={(ids) => onSave({ cites: [...new Set([...item.cites, ...ids])] })} />
        </div>
      </div>
      <div className="item-buttons">
        <button
          type="button"
          className="icon"
          disabled={index === 0}
          aria-label={t('review.rootCause.moveUp')}
          title={t('review.rootCause.moveUp')}
          onClick={() => onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="icon"
          disabled={last}
          aria-label={t('review.rootCause.moveDown')}
          title={t('review.rootCause.moveDown')}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        <button type="button" className="icon" aria-label={t('review.rootCause.remove')} title={t('review.rootCause.remove')} onClick={onRemove}>
          ×
        </button>
      </div>
    </li>
  );
}

/** Ishikawa: the effect at the head, categories as bones above and below the spine, factors on each bone. */
function Fishbone({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const factors = useReview((s) => s.review?.factors) ?? NONE_FACTORS;
  const title = useIncidents((s) => s.current?.title ?? '');
  const { error, run } = useRunner();
  const top = FISHBONE_CATEGORIES.slice(0, 3);
  const bottom = FISHBONE_CATEGORIES.slice(3);
  const bone = (category: FishboneCategory) => (
    <Bone key={category} category={category} factors={factors.filter((f) => f.category === category)} incidentId={incidentId} run={run} />
  );
  return (
    <section className="review-block" aria-labelledby="review-fishbone">
      <h3 id="review-fishbone">{t('review.rootCause.fishbone')}</h3>
      <p className="hint">{t('review.rootCause.fishboneHint')}</p>
      <ErrorNote text={error} />
      <div className="fishbone">
        <div className="fishbone-bones top">{top.map(bone)}</div>
        <div className="fishbone-spine" aria-hidden="true" />
        <div className="fishbone-bones bottom">{bottom.map(bone)}</div>
        <div className="fishbone-head">
          <span className="label">{t('review.rootCause.effect')}</span>
          <span>{title}</span>
        </div>
      </div>
    </section>
  );
}

function Bone(props: { category: FishboneCategory; factors: Factor[]; incidentId: string; run: (call: () => Promise<unknown>) => Promise<boolean> }) {
  const { category, factors, incidentId, run } = props;
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const label = t(`review.rootCause.category.${category}`);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    if (await run(() => withPicked((cites) => reviewCommand('review.saveFactor', { incidentId, category, text, cites })))) setText('');
  };
  const saveCites = (f: Factor, cites: string[]) =>
    void run(() => reviewCommand('review.saveFactor', { incidentId, factorId: f.id, category, text: f.text, cites }));
  return (
    <div className="bone" data-category={category}>
      <h4>{label}</h4>
      <ul>
        {factors.map((f) => (
          <CitedItem
            key={f.id}
            className="factor"
            idAttribute="data-factor-id"
            id={f.id}
            text={f.text}
            cites={f.cites}
            onRemove={() => void run(() => reviewCommand('review.remove', { incidentId, itemId: f.id }))}
            onSaveCites={(cites) => saveCites(f, cites)}
          />
        ))}
      </ul>
      <form onSubmit={(e) => void add(e)}>
        <input
          aria-label={t('review.rootCause.addFactor', { category: label })}
          value={text}
          placeholder={t('review.rootCause.factorPlaceholder')}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
    </div>
  );
}
