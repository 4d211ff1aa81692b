import { useTranslation } from 'react-i18next';
import type { Briefing } from '../../../shared/record/events.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale, useFormatDuration } from '../../ui/hooks.js';
import { audienceLabel } from '../timeline/timeline-text.js';

type ClockSnapshot = Briefing['sla']['response'];

/** One SLA clock as it stood when the briefing was made. */
function useClockText(): (clock: ClockSnapshot) => { text: string; tone: string } {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  return (clock) => {
    switch (clock.phase) {
      case 'none':
        return { text: t('sla.bestEffort'), tone: 'none' };
      case 'met':
        return { text: t('handoff.slaMet'), tone: 'met' };
      case 'breached':
        return { text: t('sla.breachedBy', { time: formatDuration(-(clock.remainingMs ?? 0)) }), tone: 'breached' };
      case 'paused':
        return { text: t('sla.paused', { time: formatDuration(clock.remainingMs ?? 0) }), tone: 'paused' };
      case 'running':
        return { text: t('sla.left', { time: formatDuration(clock.remainingMs ?? 0) }), tone: 'ok' };
    }
  };
}

/**
 * The briefing an outgoing commander hands over, exactly as recorded in the hand-off event:
 * status and priority, the clocks, roles, hypotheses, open tasks and owners, and the last
 * update to each audience with the next one due. Times are "as of" the briefing.
 */
export function HandoffBriefing({ briefing, now }: { briefing: Briefing; now: number }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const clockText = useClockText();
  const at = (ms: number) => shortTime(ms, now, locale);
  const response = clockText(briefing.sla.response);
  const resolution = clockText(briefing.sla.resolution);
  const byState = (state: Briefing['hypotheses'][number]['state']) => briefing.hypotheses.filter((h) => h.state === state);

  return (
    <div className="briefing" data-testid="briefing">
      <p className="briefing-asof muted">{t('handoff.asOf', { time: at(briefing.generatedAt), from: briefing.from || t('header.noCommander') })}</p>

      <section aria-labelledby="briefing-state">
        <h3 id="briefing-state">{t('handoff.state')}</h3>
        <p data-testid="briefing-status">
          {t('handoff.statusLine', {
            status: t(`status.${briefing.status}`),
            priority: briefing.priority,
            impact: t(`level.${briefing.impact}`),
            urgency: t(`level.${briefing.urgency}`),
          })}
        </p>
        <p className="briefing-clocks">
          <span className={`tone-${response.tone}`}>
            {t('header.response')}: <span className="value">{response.text}</span>
          </span>
          <span className={`tone-${resolution.tone}`}>
            {t('header.resolution')}: <span className="value">{resolution.text}</span>
          </span>
          {briefing.sla.pauseReason && <span>{t('sla.pausedReason', { reason: briefing.sla.pauseReason })}</span>}
        </p>
      </section>

      {briefing.note && (
        <section aria-labelledby="briefing-note">
          <h3 id="briefing-note">{t('handoff.note')}</h3>
          <p className="briefing-note-text">{briefing.note}</p>
        </section>
      )}

      <section aria-labelledby="briefing-hypotheses" data-testid="briefing-hypotheses">
        <h3 id="briefing-hypotheses">{t('handoff.hypotheses', { count: byState('open').length })}</h3>
        {briefing.hypotheses.length === 0 ? (
          <p className="muted">{t('handoff.noHypotheses')}</p>
        ) : (
          (['open', 'confirmed', 'ruled_out'] as const).map((state) =>
            byState(state).length === 0 ? null : (
              <div key={state}>
                {state !== 'open' && <h4>{t(`handoff.hypothesisState.${state}`)}</h4>}
                <ul>
                  {byState(state).map((h) => (
                    <li key={h.entryId}>
                      <span className="briefing-item">{h.text}</span>
                      <span className="muted"> — {t('handoff.byAt', { by: h.by, time: at(h.at) })}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ),
          )
        )}
        {briefing.hypothesesTotal > briefing.hypotheses.length && (
          <p className="muted">{t('handoff.moreInTimeline', { count: briefing.hypothesesTotal - briefing.hypotheses.length })}</p>
        )}
      </section>

      <section aria-labelledby="briefing-tasks" data-testid="briefing-tasks">
        <h3 id="briefing-tasks">{t('handoff.openTasks', { count: briefing.openTasksTotal })}</h3>
        {briefing.openTasks.length === 0 ? (
          <p className="muted">{t('handoff.noTasks')}</p>
        ) : (
          <ul>
            {briefing.openTasks.map((task) => (
              <li key={task.taskId} className={`briefing-task task-${task.status}`}>
                <span className="briefing-item">{task.title}</span>
                <span className="muted">
                  {' — '}
                  {task.owner ? t('handoff.owner', { owner: task.owner }) : t('tasks.noOwner')} · {t(`taskStatus.${task.status}`)}
                </span>
              </li>
            ))}
          </ul>
        )}
        {briefing.openTasksTotal > briefing.openTasks.length && (
          <p className="muted">{t('handoff.moreOnBoard', { count: briefing.openTasksTotal - briefing.openTasks.length })}</p>
        )}
      </section>

      <section aria-labelledby="briefing-comms" data-testid="briefing-comms">
        <h3 id="briefing-comms">{t('handoff.comms')}</h3>
        <ul>
          {briefing.audiences.map((a) => {
            const overdue = a.nextDueAt !== null && a.nextDueAt < briefing.generatedAt;
            return (
              <li key={a.audience} data-audience={a.audience} className={overdue ? 'tone-breached' : undefined}>
                <strong>{audienceLabel(a.audience, t)}</strong>
                {': '}
                {a.lastSentAt === null ? t('handoff.neverSent') : t('handoff.lastSent', { time: at(a.lastSentAt) })}
                {' · '}
                {a.nextDueAt === null
                  ? t('handoff.nextAtChange')
                  : overdue
                    ? t('handoff.nextOverdue', { time: at(a.nextDueAt) })
                    : t('handoff.nextDue', { time: at(a.nextDueAt) })}
              </li>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="briefing-roles">
        <h3 id="briefing-roles">{t('handoff.roles')}</h3>
        <ul className="briefing-roles">
          {briefing.roles.map((r) => (
            <li key={`${r.role}:${r.person}`}>
              <span className="muted">{t(`role.${r.role}`)}</span>{' '}
              {r.speciality ? t('roles.smeWith', { person: r.person, speciality: r.speciality }) : r.person}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
