import type { TFunction } from 'i18next';
import { NOTE_KINDS, STATUSES, type NoteKind } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { LEVELS, priorityOf } from '../../../shared/incidents/priority.js';
import { matchPeople, personKey, SINGLE_ROLES, SME_SPECIALITIES } from '../../../shared/roles/roles.js';
import { LANGUAGES } from '../../i18n/index.js';
import type { PaletteAction, PaletteChoice, PaletteStep } from './palette.js';
import { SHORTCUTS } from '../../app/shortcuts.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { usePeople } from '../roles/people-store.js';
import { useRolesUi } from '../roles/store.js';
import { useUi } from '../../app/ui-store.js';
import { reviewActions } from '../review/review-palette.js';
import { syncActions } from '../sync/sync-palette.js';
import { alertActions } from '../alerts/alert-palette.js';
import { commsActions } from '../comms/comms-palette.js';
import { THEMES, useAppearance } from '../../ui/theme.js';

export interface PaletteContext {
  t: TFunction;
  /** The incident on screen; actions that change an incident are offered only with one. */
  incident: IncidentView | null;
}

/** Names from the device's people directory that match what is typed, for a role or an owner. */
function peopleSuggestions(query: string): PaletteChoice[] {
  return matchPeople(usePeople.getState().people, query).map((p) => ({ value: p.name, label: p.name, hint: [p.team, p.contact].filter(Boolean).join(' · ') }));
}

const logActions = ({ t, incident }: PaletteContext): PaletteAction[] =>
  incident
    ? NOTE_KINDS.map((kind: NoteKind) => ({
        id: `log.${kind}`,
        label: t('palette.logKind', { kind: t(`kind.${kind}`) }),
        group: t('palette.group.timeline'),
        ...(kind === 'note' && { shortcut: t('keys.n') }),
        run: (): PaletteStep => ({
          kind: 'text',
          title: t('palette.logKind', { kind: t(`kind.${kind}`) }),
          placeholder: t('palette.textPlaceholder'),
          submit: async (text) => {
            await command('timeline.log', { incidentId: incident.id, entryKind: kind, text });
          },
        }),
      }))
    : [];

const taskActions = ({ t, incident }: PaletteContext): PaletteAction[] =>
  incident
    ? [
        {
          id: 'task.add',
          label: t('palette.addTask'),
          group: t('palette.group.tasks'),
          run: (): PaletteStep => ({
            kind: 'text',
            title: t('palette.addTask'),
            placeholder: t('palette.taskTitle'),
            submit: (title) => ({
              kind: 'text',
              title: t('palette.taskOwner', { title }),
              placeholder: t('palette.ownerPlaceholder'),
              optional: true,
              suggest: peopleSuggestions,
              submit: async (owner) => {
                await command('task.create', { incidentId: incident.id, title, owner });
              },
            }),
          }),
        },
      ]
    : [];

const incidentActions = ({ t, incident }: PaletteContext): PaletteAction[] => {
  if (!incident) return [];
  const group = t('palette.group.incident');
  const paused = incident.pauses.at(-1)?.paused === true;
  return [
    {
      id: 'incident.status',
      label: t('palette.changeStatus'),
      group,
      shortcut: t('keys.s'),
      run: (): PaletteStep => ({
        kind: 'choice',
        title: t('palette.changeStatus'),
        choices: STATUSES.filter((s) => s !== incident.status).map((s) => ({ value: s, label: t(`status.${s}`) })),
        submit: async (status) => {
          await command('incident.setStatus', { incidentId: incident.id, status: status as (typeof STATUSES)[number] });
        },
      }),
    },
    {
      id: 'incident.priority',
      label: t('palette.changePriority'),
      group,
      run: (): PaletteStep => ({
        kind: 'choice',
        title: t('palette.changePriority'),
        choices: LEVELS.flatMap((impact) =>
          LEVELS.filter((urgency) => impact !== incident.impact || urgency !== incident.urgency).map((urgency) => ({
            value: `${impact}:${urgency}`,
            label: t('palette.priorityChoice', { priority: priorityOf(impact, urgency), impact: t(`level.${impact}`), urgency: t(`level.${urgency}`) }),
          })),
        ),
        submit: async (value) => {
          const [impact, urgency] = value.split(':') as [(typeof LEVELS)[number], (typeof LEVELS)[number]];
          await command('incident.setPriority', { incidentId: incident.id, impact, urgency });
        },
      }),
    },
    paused
      ? {
          id: 'sla.resume',
          label: t('palette.resumeClocks'),
          group,
          run: async () => {
            await command('sla.resume', { incidentId: incident.id });
          },
        }
      : {
          id: 'sla.pause',
          label: t('palette.pauseClocks'),
          group,
          run: (): PaletteStep => ({
            kind: 'text',
            title: t('palette.pauseClocks'),
            placeholder: t('palette.pauseReason'),
            submit: async (reason) => {
              await command('sla.pause', { incidentId: incident.id, reason });
            },
          }),
        },
  ];
};

/** Naming someone for a role: the role, then the person (from the directory or typed), then an expert's speciality. */
function assignRoleStep(t: TFunction, incident: IncidentView): PaletteStep {
  return {
    kind: 'choice',
    title: t('palette.assignRole'),
    choices: [...SINGLE_ROLES, 'sme' as const].map((role) => ({
      value: role,
      label: t(`role.${role}`),
      ...(role !== 'sme' && incident.roles[role] ? { hint: incident.roles[role] } : {}),
    })),
    submit: (role) => ({
      kind: 'text',
      title: t('palette.whoForRole', { role: t(`role.${role as (typeof SINGLE_ROLES)[number]}`) }),
      placeholder: t('palette.personPlaceholder'),
      suggest: peopleSuggestions,
      submit: async (person): Promise<void | PaletteStep> => {
        if (role !== 'sme') {
          await command('incident.assignRole', { incidentId: incident.id, role: role as (typeof SINGLE_ROLES)[number], person });
          return;
        }
        return {
          kind: 'text',
          title: t('palette.speciality', { person }),
          placeholder: t('roles.specialityPlaceholder'),
          optional: true,
          suggest: (query) =>
            SME_SPECIALITIES.map((s) => ({ value: t(`speciality.${s}`), label: t(`speciality.${s}`) })).filter((c) =>
              personKey(c.label).includes(personKey(query)),
            ),
          submit: async (speciality) => {
            await command('incident.setSme', { incidentId: incident.id, person, speciality, active: true });
          },
        };
      },
    }),
  };
}

const roleActions = ({ t, incident }: PaletteContext): PaletteAction[] => {
  const group = t('palette.group.roles');
  const { open } = useRolesUi.getState();
  const actions: PaletteAction[] = [
    { id: 'people.open', label: t('palette.peopleDirectory'), group, run: () => open('people') },
    {
      id: 'settings.actor',
      label: t('palette.setActor'),
      group,
      run: (): PaletteStep => ({
        kind: 'text',
        title: t('palette.setActor'),
        // The OS user's name is no one's choice: offer it only once someone has set a name (selected, so typing replaces it).
        initial: useIncidents.getState().info?.actorChosen ? useIncidents.getState().info!.actor : '',
        placeholder: t('palette.personPlaceholder'),
        suggest: peopleSuggestions,
        submit: async (actor) => {
          await command('settings.setActor', { actor });
        },
      }),
    },
  ];
  if (!incident) return actions;
  actions.unshift({ id: 'roles.assign', label: t('palette.assignRole'), group, run: () => assignRoleStep(t, incident) });
  if (incident.smes.length > 0) {
    actions.push({
      id: 'roles.removeSme',
      label: t('palette.removeSme'),
      group,
      run: (): PaletteStep => ({
        kind: 'choice',
        title: t('palette.removeSme'),
        choices: incident.smes.map((s) => ({ value: s.person, label: s.person, ...(s.speciality && { hint: s.speciality }) })),
        submit: async (person) => {
          await command('incident.setSme', { incidentId: incident.id, person, speciality: '', active: false });
        },
      }),
    });
  }
  return actions;
};

const switchActions = ({ t, incident }: PaletteContext): PaletteAction[] => {
  const group = t('palette.group.incidents');
  const { selectIncident, setDeclareOpen } = useUi.getState();
  const others = useIncidents.getState().list.filter((i) => i.id !== incident?.id);
  return [
    ...others.map((i) => ({
      id: `incident.switch.${i.id}`,
      label: t('palette.switchTo', { priority: i.priority, title: i.title, status: t(`status.${i.status}`) }),
      group,
      ...(useIncidents.getState().list.indexOf(i) < 9 && { shortcut: t('keys.altN', { n: String(useIncidents.getState().list.indexOf(i) + 1) }) }),
      run: () => selectIncident(i.id),
    })),
    { id: 'incident.new', label: t('palette.newIncident'), group, run: () => setDeclareOpen(true) },
    {
      id: 'incident.sample',
      label: t('palette.sampleDrill'),
      group,
      run: async () => {
        const { incidentId } = await command('incident.openSampleDrill', {});
        selectIncident(incidentId);
      },
    },
  ];
};

const viewActions = ({ t }: PaletteContext): PaletteAction[] => {
  const group = t('palette.group.view');
  const { setLanguage, language } = useUi.getState();
  const { theme, largeType, setTheme, setLargeType } = useAppearance.getState();
  return [
    ...LANGUAGES.filter((l) => l !== language).map((l) => ({
      id: `language.${l}`,
      label: t('palette.language', { language: t(`language.${l}Name`) }),
      group,
      keywords: 'language langue',
      run: () => setLanguage(l),
    })),
    ...THEMES.filter((th) => th !== theme).map((th) => ({
      id: `theme.${th}`,
      label: t(`palette.theme.${th}`),
      group,
      keywords: 'theme thème',
      run: () => setTheme(th),
    })),
    { id: 'largeType', label: largeType ? t('palette.largeTypeOff') : t('palette.largeTypeOn'), group, run: () => setLargeType(!largeType) },
  ];
};

/** Shortcuts the palette already offers under their own name (statuses to pick from, sync settings). */
const OFFERED_ABOVE: ReadonlySet<string> = new Set(['s', 'y', 'alerts']);

/**
 * Every window-wide shortcut, by what it does, with its key beside it: whatever a key reaches,
 * the palette reaches, including keys added to the registry later. Chords that work anywhere
 * (the palette itself, Alt+digit) are left out; incidents have their own entries above.
 */
const shortcutActions = ({ t }: PaletteContext): PaletteAction[] =>
  SHORTCUTS.filter((s) => s.handle && !s.handle.anywhere && !OFFERED_ABOVE.has(s.id)).map((s) => ({
    id: `key.${s.id}`,
    label: t(`help.${s.id}`),
    group: t('palette.group.keys'),
    shortcut: t(`keys.${s.id}`),
    run: () => s.handle!.run(new KeyboardEvent('keydown', { key: t(`keys.${s.id}`) })),
  }));

/**
 * Every action the palette offers, by area. A pane that adds an action adds its provider here,
 * and the palette reaches it with no other change.
 */
export const PALETTE_PROVIDERS: readonly ((context: PaletteContext) => PaletteAction[])[] = [
  logActions,
  taskActions,
  commsActions,
  incidentActions,
  roleActions,
  switchActions,
  viewActions,
  syncActions,
  alertActions,
  reviewActions,
  shortcutActions,
];

export function paletteActions(context: PaletteContext): PaletteAction[] {
  return PALETTE_PROVIDERS.flatMap((provider) => provider(context));
}
