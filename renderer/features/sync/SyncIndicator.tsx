import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../shared/api/api.js';
import { shortTime, timeOrDay } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { useSyncStatus } from './store.js';
import { describeSync, shortDeviceId, skewMinutes, type SyncDisplay } from './sync-display.js';
import { QuarantineNote } from './QuarantineNote.js';
import { syncReasonText } from './sync-reason-text.js';
import './Sync.css';

/** The sentence the header shows for a sync state; the settings dialog repeats it. */
export function useSyncSentence(): (status: SyncStatus) => {
  display: SyncDisplay;
  text: string;
  detail: string | null;
  /**
   * For the header: the state in a few words kept whole, then the rest of the sentence (cut if it
   * must be). With `time`, the state's time in the header's short form, kept whole with it
   * ("Hors ligne" " dès 18:05"), and the header shows these words while the sentence is what a
   * screen reader reads.
   */
  split?: { state: string; time?: string; rest: string };
} {
  const { t } = useTranslation();
  const locale = useDateLocale();
  // "as of HH:MM" gains its date after midnight; a minute's precision is enough for that.
  const now = useNow(60_000);
  const time = (at: number | null) => (at === null ? null : shortTime(at, now, locale));
  const waiting = (count: number) => (count === 0 ? t('sync.nothingWaiting') : t('sync.waiting', { count }));
  /** The sentence as its state's words ("Hors ligne", "À jour") and what follows them, when it starts with them. */
  const after = (state: string, text: string) => (text.startsWith(state) && text !== state ? { state, rest: text.slice(state.length) } : undefined);
  return (status) => {
    const display = describeSync(status);
    // The reason in the UI's language; the core's English only for a failure it gave no code.
    const reason = syncReasonText(status) ?? '';
    switch (display.state) {
      case 'disabled':
        return { display, text: t('sync.off'), detail: null };
      case 'offline': {
        const since = time(display.since);
        const state = since ? t('sync.offlineSince', { time: since }) : t('sync.offline');
        const parts: string[] = [state, waiting(display.pending)];
        if (display.retrying) parts.push(t('sync.reconnecting'));
        const text = parts.join(' — ');
        const detail = display.reason === null ? null : reason;
        if (display.since === null) return { display, text, detail, split: after(t('sync.offline'), text) };
        // "Hors ligne depuis 18:05" did not fit the header's slot in French large type at 1366 px (its time was cut):
        // the header says it shorter ("Hors ligne dès 18:05", the day alone before today), whole.
        const short = t('sync.offlineSinceShort', { time: timeOrDay(display.since, now, locale) });
        const word = t('sync.offline');
        const split = short.startsWith(word)
          ? { state: word, time: short.slice(word.length), rest: text.slice(state.length) }
          : { state: short, rest: text.slice(state.length) };
        return { display, text, detail, split };
      }
      case 'syncing': {
        const text =
          display.pulled + display.pushed > 0
            ? t('sync.syncingProgress', { pulled: String(display.pulled), pushed: String(display.pushed) })
            : t('sync.syncing');
        return { display, text, detail: null, split: after(t('sync.syncing'), text) };
      }
      case 'up_to_date': {
        const at = time(display.at);
        const parts: string[] = [at ? t('sync.upToDate', { time: at }) : t('sync.upToDateNoTime')];
        if (display.pending > 0) parts.push(waiting(display.pending));
        const text = parts.join(' — ');
        return { display, text, detail: null, split: after(t('sync.upToDateNoTime'), text) };
      }
      case 'error':
        return {
          display,
          text: t('sync.error', { reason }),
          detail: display.pending > 0 ? waiting(display.pending) : null,
          split: { state: t('sync.errorShort'), rest: t('sync.errorReason', { reason }) },
        };
    }
  };
}

/** Header (and welcome screen) sync state; a button, so the settings are one Enter away. */
export function SyncIndicator() {
  const { t } = useTranslation();
  const status = useSyncStatus((s) => s.status);
  const readError = useSyncStatus((s) => s.readError);
  const setSettingsOpen = useSyncStatus((s) => s.setSettingsOpen);
  const sentence = useSyncSentence();
  if (!status) {
    return readError ? (
      <span className="sync-indicator sync-error" role="status">
        {t('sync.unknown', { message: readError })}
      </span>
    ) : null;
  }
  const { display, text, detail, split } = sentence(status);
  const skew = status.clockSkew;
  return (
    <div className="sync-block">
      <button
        type="button"
        className={`sync-indicator sync-${display.state}`}
        data-testid="sync-indicator"
        data-state={display.state}
        aria-haspopup="dialog"
        title={[text, detail, t('sync.openSettings')].filter(Boolean).join('\n')}
        onClick={() => setSettingsOpen(true)}
      >
        <span className="sync-dot" aria-hidden="true" />
        {split ? (
          // "Erreur de synchronisation : …" in large type left "Erreur de synchronis…" of the header's
          // narrow slot, and "Hors ligne depuis …" was cut the same way: the state is said in a few
          // words that always show whole, the rest follows and is cut if it must be (whole in the
          // tooltip, the settings, and what a screen reader reads).
          split.time !== undefined ? (
            // Said short, the sentence is what a screen reader reads (and the text of the status).
            <>
              <span className="sync-text visually-hidden" role="status">
                {text}
              </span>
              <span className="sync-shown sync-text-split" aria-hidden="true">
                <span className="sync-state">
                  <span className="sync-state-word">{split.state}</span>
                  <span className="sync-state-time">{split.time}</span>
                </span>
                <span className="sync-reason">{split.rest}</span>
              </span>
            </>
          ) : (
            <span className="sync-text sync-text-split" role="status">
              <span className="sync-state-word">{split.state}</span>
              <span className="sync-reason">{split.rest}</span>
            </span>
          )
        ) : (
          <span className="sync-text" role="status">
            {text}
          </span>
        )}
      </button>
      {status.plainHttp && (
        <span className="sync-skew" role="alert" data-testid="sync-plain-http">
          {t('sync.plainHttp')}
        </span>
      )}
      {skew && (
        <span className="sync-skew" role="alert" data-testid="sync-clock-skew">
          {t('sync.clockSkew', { device: shortDeviceId(skew.deviceId), count: skewMinutes(skew.aheadMs) })}
        </span>
      )}
      <QuarantineNote />
    </div>
  );
}
