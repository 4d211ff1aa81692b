import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { format } from 'date-fns';
import { LESSON_SECTIONS } from '../../../shared/record/events.js';
import type { LessonSection, ReviewView } from '../../../shared/review/review.js';
import { useDateLocale } from '../../ui/hooks.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { reviewCommand, useReview } from './store.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { CitedItem, withPicked } from './ReviewCites.js';

type Note = ReviewView['notes'][number];

/** What went well, what did not, the lessons learned, and the follow-up actions with owner and due date. */
export function ReviewLessons({ incidentId }: { incidentId: string }) {
  return (
    <div className="review-lessons">
      <div className="lesson-columns">
        {LESSON_SECTIONS.map((section) => (
          <LessonList key={section} section={section} incidentId={incidentId} />
        ))}
      </div>
      <FollowUps incidentId={incidentId} />
    </div>
  );
}

function LessonList({ section, incidentId }: { section: LessonSection; incidentId: string }) {
  const { t } = useTranslation();
  const allNotes = useReview((s) => s.review?.notes);
  const notes = (allNotes ?? []).filter((n) => n.section === section);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
      return true;
    } catch (e) {
      setError(t('review.actionFailed', { message: message(e) }));
      return false;
    }
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    if (await run(() => withPicked((cites) => reviewCommand('review.saveNote', { incidentId, section, text, cites })))) setText('');
  };
  const saveCites = (n: Note, cites: string[]) => void run(() => reviewCommand('review.saveNote', { incidentId, noteId: n.id, section, text: n.text, cites }));
  const headingId = `lessons-${section}`;
  return (
    <section className={`review-block lesson-list lesson-${section}`} aria-labelledby={headingId} data-section={section}>
      <h3 id={headingId}>{t(`review.lessons.${section}`)}</h3>
      <ErrorNote text={error} />
      {notes.length === 0 && <p className="empty">{t('review.lessons.empty')}</p>}
      <ul>
        {notes.map((n) => (
          <CitedItem
            key={n.id}
            className="lesson"
            idAttribute="data-note-id"
            id={n.id}
            text={n.text}
            cites={n.cites}
            onRemove={() => void run(() => reviewCommand('review.remove', { incidentId, itemId: n.id }))}
            onSaveCites={(cites) => saveCites(n, cites)}
          />
        ))}
      </ul>
      <form onSubmit={(e) => void add(e)}>
        <input
          aria-label={t(`review.lessons.${section}`)}
          value={text}
          placeholder={t('review.lessons.placeholder')}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
    </section>
  );
}

/** Follow-ups are tasks of the incident (kind "followup"), so they show on the task board and in exports too. */
function FollowUps({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const tasks = useIncidents((s) => s.current?.tasks);
  const followups = (tasks ?? []).filter((task) => task.kind === 'followup');
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await command('task.create', {
        incidentId,
        title,
        owner,
        kind: 'followup',
        // The day as picked ("2026-03-14"): the core makes it the end of that day in its own zone (#10, item 3).
        ...(due ? { dueWhen: due } : {}),
      });
      setTitle('');
      setOwner('');
      setDue('');
      document.getElementById('followup-title')?.focus();
    } catch (err) {
      setError(t('review.actionFailed', { message: message(err) }));
    }
  };

  return (
    <section className="review-block followups" aria-labelledby="review-followups">
      <h3 id="review-followups">{t('review.lessons.followups')}</h3>
      <p className="hint">{t('review.lessons.followupsHint')}</p>
      {followups.length === 0 ? (
        <p className="empty">{t('review.lessons.noFollowups')}</p>
      ) : (
        <table className="review-table" data-testid="followups-table">
          <thead>
            <tr>
              <th scope="col">{t('review.lessons.followupTitle')}</th>
              <th scope="col">{t('review.lessons.owner')}</th>
              <th scope="col">{t('review.lessons.due')}</th>
              <th scope="col">{t('review.lessons.status')}</th>
            </tr>
          </thead>
          <tbody>
            {followups.map((task) => (
              <tr key={task.id} data-task-id={task.id}>
                <td>{task.title}</td>
                <td>{task.owner}</td>
                <td>{task.dueAt === null ? '—' : format(task.dueAt, 'd MMM yyyy', { locale })}</td>
                <td>{t(`taskStatus.${task.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote text={error} />
      <form className="followup-new" onSubmit={(e) => void add(e)}>
        <input
          id="followup-title"
          aria-label={t('review.lessons.followupTitle')}
          placeholder={t('review.lessons.followupTitle')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <input aria-label={t('review.lessons.owner')} placeholder={t('review.lessons.owner')} value={owner} onChange={(e) => setOwner(e.target.value)} />
        <input type="date" aria-label={t('review.lessons.due')} value={due} onChange={(e) => setDue(e.target.value)} />
        <button type="submit">{t('review.lessons.addFollowup')}</button>
      </form>
    </section>
  );
}
