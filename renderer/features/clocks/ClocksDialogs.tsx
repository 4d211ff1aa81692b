import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { useTeamSettings } from './store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { SettingsDialog } from './SettingsDialog.js';
import { Modal } from '../../ui/Modal.js';

/** The dialog of the clocks that is open, if any. */
export function ClocksDialogs() {
  const dialog = useTeamSettings((s) => s.dialog);
  const incidentId = useIncidents((s) => s.current?.id ?? null);
  if (dialog === 'settings') return <SettingsDialog />;
  if (!incidentId) return null;
  if (dialog === 'pause') return <PauseDialog incidentId={incidentId} />;
  if (dialog === 'zones') return <ZonesDialog incidentId={incidentId} />;
  return null;
}

const close = () => useTeamSettings.getState().setDialog(null);

function PauseDialog({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const priority = useIncidents((s) => s.current?.priority ?? 'P1');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // The core stamps the pause with its own clock: this window's may be wrong (issue #10).
      await command('sla.pause', { incidentId, reason });
      close();
    } catch (e) {
      setError(t('clocks.failed', { message: message(e) }));
      setBusy(false);
    }
  };

  return (
    <Modal id="pause" className="clocks-dialog pause-dialog" onClose={close}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id="pause-heading">{t('clocks.pauseTitle')}</h2>
        <p className="muted">{t('clocks.pauseIntro', { priority })}</p>
        <label className="stacked">
          <span className="label">{t('clocks.pauseReason')}</span>
          <input ref={input} value={reason} maxLength={200} placeholder={t('clocks.pauseReasonPlaceholder')} onChange={(e) => setReason(e.target.value)} />
        </label>
        <ErrorNote text={error} />
        <div className="form-actions">
          <button type="button" onClick={close}>
            {t('clocks.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('clocks.pauseSubmit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * Completions for the zone being typed: a datalist completes the whole field, so each option
 * carries the zones already typed before the last comma, followed by a known zone that matches.
 */
function completions(text: string, zones: readonly string[]): string[] {
  const cut = text.lastIndexOf(',') + 1;
  const typed = text.slice(cut).trim().toLowerCase();
  const before = cut ? `${text.slice(0, cut).trimEnd()} ` : '';
  if (!typed) return [];
  return zones
    .filter((z) => z.toLowerCase().includes(typed))
    .slice(0, 30)
    .map((z) => before + z);
}

/** Every zone name this browser knows, for completion while typing. */
function knownZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

function ZonesDialog({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const current = useIncidents((s) => s.current?.timezones ?? []);
  const [text, setText] = useState(current.join(', '));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [zones] = useState(knownZones);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const list = text
      .split(',')
      .map((z) => z.trim())
      .filter(Boolean);
    setBusy(true);
    setError(null);
    try {
      if (list.join(',') !== current.join(',')) await command('incident.setTimezones', { incidentId, zones: list });
      close();
    } catch (e) {
      setError(t('zones.failed', { message: message(e) }));
      setBusy(false);
    }
  };

  return (
    <Modal id="zones" className="clocks-dialog zones-dialog" onClose={close}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id="zones-heading">{t('zones.dialogTitle')}</h2>
        <p className="muted">{t('zones.intro')}</p>
        <label className="stacked">
          <span className="label">{t('zones.label')}</span>
          <input ref={input} list="zone-names" value={text} aria-describedby="zones-hint" onChange={(e) => setText(e.target.value)} />
        </label>
        <datalist id="zone-names">
          {completions(text, zones).map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <p id="zones-hint" className="hint">
          {t('zones.hint')}
        </p>
        <ErrorNote text={error} />
        <div className="form-actions">
          <button type="button" onClick={close}>
            {t('zones.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('zones.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
