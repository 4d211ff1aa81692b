import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useIncidents } from '../features/incidents/store.js';
import { useReview } from '../features/review/store.js';
import { useUi } from './ui-store.js';
import { FOCUS_TARGETS } from './shortcuts.js';
import { Panes } from './Panes.js';
import { CommsPane } from '../features/comms/CommsPane.js';
import { Header } from '../features/incidents/Header.js';
import { DeclaredNotice } from '../features/incidents/DeclaredNotice.js';
import { ReviewMode } from '../features/review/ReviewMode.js';
import { TaskBoard } from '../features/tasks/TaskBoard.js';
import { Timeline } from '../features/timeline/Timeline.js';
import { PaneBoundary } from '../ui/PaneBoundary.js';

/** Header plus the three working panes (resizable), all on one screen; each pane scrolls inside itself. */
export function CommandView() {
  const { t } = useTranslation();
  const selectedId = useUi((s) => s.selectedIncidentId);
  const loaded = useIncidents((s) => s.current !== null && s.current.id === selectedId);
  const reviewing = useReview((s) => s.incidentId !== null && s.incidentId === selectedId);
  useFocusBackFromReview(reviewing);
  if (!selectedId || !loaded) return <p className="loading">{t('app.loading')}</p>;
  return (
    <div className="console">
      <Header />
      <DeclaredNotice />
      {reviewing ? (
        <ReviewMode incidentId={selectedId} />
      ) : (
        <Panes
          incidentId={selectedId}
          timeline={
            <PaneBoundary name="timeline">
              <Timeline incidentId={selectedId} />
            </PaneBoundary>
          }
          tasks={
            <PaneBoundary name="tasks">
              <TaskBoard incidentId={selectedId} />
            </PaneBoundary>
          }
          comms={
            <PaneBoundary name="comms">
              <CommsPane incidentId={selectedId} />
            </PaneBoundary>
          }
        />
      )}
    </div>
  );
}

/**
 * Leaving the review (Shift+R, its Back button, the palette, a status change) takes its controls
 * away, and a focus left on one falls to the page, where the next letter typed fires a shortcut:
 * it goes to the live view's quick-entry bar instead. A focus kept elsewhere (the header's Review
 * button) stays where it is.
 */
function useFocusBackFromReview(reviewing: boolean): void {
  const was = useRef(reviewing);
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (was.current && !reviewing && lost) document.getElementById(FOCUS_TARGETS.quickEntry)?.focus();
    was.current = reviewing;
  }, [reviewing]);
}
