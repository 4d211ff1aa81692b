import { rowKind } from '../record/kind-spec.js';

/** Response tasks and post-incident follow-ups. */
export const TASK_KINDS_REGISTRY = {
  'task.created': rowKind<'task.created'>()({
    fold: 'incident',
    badge: 'task',
    text: {
      en: {
        created: 'Task created: “{{title}}”',
        createdOwner: 'Task created: “{{title}}” — owner {{owner}}',
        followUp: 'Post-incident follow-up',
        due: 'Due {{time}}',
        checkBack: 'Check back at {{time}}',
      },
      fr: {
        created: 'Tâche créée : « {{title}} »',
        createdOwner: 'Tâche créée : « {{title}} » — responsable {{owner}}',
        followUp: 'Action de suivi post-incident',
        due: 'Échéance {{time}}',
        checkBack: 'Retour attendu à {{time}}',
      },
    },
    sentence: ({ title, owner, kind, dueAt, checkBackAt }, say, { time }) => ({
      text: owner ? say('createdOwner', { title, owner }) : say('created', { title }),
      details: [
        kind === 'followup' ? say('followUp') : '',
        dueAt !== undefined ? say('due', { time: time(dueAt) }) : '',
        checkBackAt !== undefined ? say('checkBack', { time: time(checkBackAt) }) : '',
      ],
    }),
  }),
  'task.retitled': rowKind<'task.retitled'>()({
    fold: 'incident',
    badge: 'task',
    text: { en: { retitled: 'Task renamed to “{{title}}”' }, fr: { retitled: 'Tâche renommée en « {{title}} »' } },
    sentence: (p, say) => ({ text: say('retitled', { title: p.title }) }),
  }),
  'task.due': rowKind<'task.due'>()({
    fold: 'incident',
    badge: 'task',
    text: {
      en: { due: 'Task “{{title}}” due {{time}}', cleared: 'Due date of task “{{title}}” removed' },
      fr: { due: 'Tâche « {{title}} » à rendre {{time}}', cleared: 'Échéance de la tâche « {{title}} » retirée' },
    },
    sentence: ({ taskId, dueAt }, say, { taskTitle, time }) => {
      const title = taskTitle(taskId);
      return { text: dueAt === null ? say('cleared', { title }) : say('due', { title, time: time(dueAt) }) };
    },
  }),
  'task.check_back': rowKind<'task.check_back'>()({
    fold: 'incident',
    badge: 'task',
    text: {
      en: { set: 'Check-back on “{{title}}” set for {{time}}', cleared: 'Check-back on “{{title}}” cleared' },
      fr: { set: 'Point de retour sur « {{title}} » fixé à {{time}}', cleared: 'Point de retour sur « {{title}} » annulé' },
    },
    sentence: ({ taskId, checkBackAt }, say, { taskTitle, time }) => {
      const title = taskTitle(taskId);
      return { text: checkBackAt === null ? say('cleared', { title }) : say('set', { title, time: time(checkBackAt) }) };
    },
  }),
  'task.assigned': rowKind<'task.assigned'>()({
    fold: 'incident',
    badge: 'task',
    text: {
      en: { assigned: 'Task “{{title}}” assigned to {{owner}}', unassigned: 'Task “{{title}}” unassigned' },
      fr: { assigned: 'Tâche « {{title}} » attribuée à {{owner}}', unassigned: 'Tâche « {{title}} » sans responsable' },
    },
    sentence: ({ taskId, owner }, say, { taskTitle }) => {
      const title = taskTitle(taskId);
      return { text: owner ? say('assigned', { title, owner }) : say('unassigned', { title }) };
    },
  }),
  'task.moved': rowKind<'task.moved'>()({
    fold: 'incident',
    badge: 'task',
    text: { en: { moved: 'Task “{{title}}” moved to {{column}}' }, fr: { moved: 'Tâche « {{title}} » déplacée vers {{column}}' } },
    sentence: ({ taskId, status }, say, { taskTitle, label }) => ({ text: say('moved', { title: taskTitle(taskId), column: label('taskStatus', status) }) }),
  }),
} as const;
