import { useTranslation } from 'react-i18next';
import { useIncidents } from '../incidents/store.js';
import { shortDeviceId } from './sync-display.js';
import './Sync.css';

/** "via laptop Ab12Cd" on an entry written on another laptop and received through the hub; nothing for this laptop's own. */
export function SyncOrigin({ deviceId }: { deviceId: string }) {
  const { t } = useTranslation();
  const own = useIncidents((s) => s.info?.deviceId ?? null);
  if (own === null || deviceId === own) return null;
  const device = shortDeviceId(deviceId);
  return (
    <span className="sync-origin" title={t('sync.viaTitle', { device: deviceId })} data-device={deviceId}>
      {t('sync.via', { device })}
    </span>
  );
}
