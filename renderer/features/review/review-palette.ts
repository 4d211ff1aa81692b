import type { TFunction } from 'i18next';
import type { IncidentView } from '../../../shared/record/fold.js';
import { command } from '../../app/actions.js';
import { isReviewable, openReview, closeReview, useReview } from './store.js';

/** The shape of a command-palette action (PaletteAction in palette.ts), spelled out so this file stands on its own. */
interface ReviewPaletteAction {
  id: string;
  label: string;
  group: string;
  shortcut?: string;
  keywords?: string;
  run(): void | Promise<void>;
}

/** The review's palette actions: open it once the incident is resolved; inside it, the meeting's tools. */
export function reviewActions({ t, incident }: { t: TFunction; incident: IncidentView | null }): ReviewPaletteAction[] {
  if (!incident || !isReviewable(incident.status)) return [];
  const group = t('review.palette.group');
  const keywords = 'review revue RPI PIR post-incident';
  if (useReview.getState().incidentId !== incident.id) {
    return [{ id: 'review.open', label: t('review.palette.open'), group, shortcut: t('review.keys.toggle'), keywords, run: () => openReview(incident.id) }];
  }
  const actions: ReviewPaletteAction[] = [
    {
      id: 'review.presenter',
      label: t('review.palette.presenter'),
      group,
      shortcut: t('review.keys.presenter'),
      keywords,
      run: () => void useReview.setState({ overlay: 'presenter' }),
    },
    {
      id: 'review.replay',
      label: t('review.palette.replay'),
      group,
      shortcut: t('review.keys.replay'),
      keywords,
      run: () => void useReview.setState({ overlay: 'replay' }),
    },
    { id: 'review.close', label: t('review.palette.close'), group, shortcut: t('review.keys.toggle'), keywords, run: closeReview },
  ];
  if (incident.status !== 'reviewed') {
    actions.push({
      id: 'review.complete',
      label: t('review.palette.complete'),
      group,
      keywords,
      run: async () => {
        await command('review.complete', { incidentId: incident.id });
      },
    });
  }
  return actions;
}
