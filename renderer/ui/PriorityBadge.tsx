import { useTranslation } from 'react-i18next';
import type { Priority } from '../../shared/incidents/priority.js';

export function PriorityBadge({ priority, large = false }: { priority: Priority; large?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={`priority-badge priority-${priority}${large ? ' large' : ''}`} title={t('header.priority')}>
      {priority}
    </span>
  );
}
