import type { TFunction } from 'i18next';
import type { KnownEvent } from '../../../shared/record/events.js';
import { shortTime } from '../../ui/format.js';
import { dateLocales, i18n, isLanguage } from '../../i18n/index.js';

type TaskDetailEvent = Extract<KnownEvent, { kind: 'task.retitled' | 'task.due' | 'task.check_back' }>;

/** A moment in the current UI language, with its date when it is not today. */
function when(at: number): string {
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  return shortTime(at, Date.now(), dateLocales[language]);
}

/** The timeline sentence for a title change, a due date or a check-back. */
export function describeTaskDetail(event: TaskDetailEvent, title: string, t: TFunction): string {
  switch (event.kind) {
    case 'task.retitled':
      return t('taskEntry.retitled', { title: event.payload.title });
    case 'task.due':
      return event.payload.dueAt === null ? t('taskEntry.dueCleared', { title }) : t('taskEntry.due', { title, time: when(event.payload.dueAt) });
    case 'task.check_back':
      return event.payload.checkBackAt === null
        ? t('taskEntry.checkBackCleared', { title })
        : t('taskEntry.checkBack', { title, time: when(event.payload.checkBackAt) });
  }
}

/** Under "Task created": whether it is a follow-up, and the times it was created with. */
export function taskCreatedDetails(payload: { kind?: string; dueAt?: number; checkBackAt?: number }, t: TFunction): string[] {
  return [
    payload.kind === 'followup' ? t('taskEntry.followUp') : '',
    payload.dueAt !== undefined ? t('taskEntry.dueLine', { time: when(payload.dueAt) }) : '',
    payload.checkBackAt !== undefined ? t('taskEntry.checkBackLine', { time: when(payload.checkBackAt) }) : '',
  ].filter((line) => line.length > 0);
}
