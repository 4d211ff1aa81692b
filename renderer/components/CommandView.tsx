import { useTranslation } from 'react-i18next';
import { useIncidents } from '../stores/incidents.js';
import { useReview } from '../stores/review.js';
import { useUi } from '../stores/ui.js';
import { CommsPane } from './CommsPane.js';
import { Header } from './Header.js';
import { ReviewMode } from './ReviewMode.js';
import { TaskBoard } from './TaskBoard.js';
import { Timeline } from './Timeline.js';

/** Header plus the three working panes, all on one screen; each pane scrolls inside itself. */
export function CommandView() {
  const { t } = useTranslation();
  const selectedId = useUi((s) => s.selectedIncidentId);
  const loaded = useIncidents((s) => s.current !== null && s.current.id === selectedId);
  const reviewing = useReview((s) => s.incidentId !== null && s.incidentId === selectedId);
  if (!selectedId || !loaded) return <p className="loading">{t('app.loading')}</p>;
  return (
    <div className="console">
      <Header />
      {reviewing ? (
        <ReviewMode incidentId={selectedId} />
      ) : (
        <main className="panes">
          <Timeline incidentId={selectedId} />
          <TaskBoard incidentId={selectedId} />
          <CommsPane incidentId={selectedId} />
        </main>
      )}
    </div>
  );
}
