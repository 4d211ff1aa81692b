import { problemText } from '../../api/error-text.js';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError, type ChannelOutput } from '../../../shared/api/api.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { configureSync, syncNow, useSyncStatus } from './store.js';
import { initialEnabled, shortDeviceId } from './sync-display.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { useSyncSentence } from './SyncIndicator.js';
import { Modal } from '../../ui/Modal.js';
import { TeamKeySection } from './TeamKeySection.js';
import { RoomSection } from './RoomSection.js';
import './Sync.css';

type Field = 'hubUrl' | 'token';
const FIELDS: readonly Field[] = ['hubUrl', 'token'];

/** Rendered by the app at all times; shows the dialog while the store says it is open (`y`, or the header indicator). */
export function SyncSettings() {
  const open = useSyncStatus((s) => s.settingsOpen);
  return open ? <SyncSettingsDialog /> : null;
}

function SyncSettingsDialog() {
  const { t } = useTranslation();
  const status = useSyncStatus((s) => s.status);
  const setSettingsOpen = useSyncStatus((s) => s.setSettingsOpen);
  const info = useIncidents((s) => s.info);
  const sentence = useSyncSentence();
  // Read once: the form edits a copy, so a status notice arriving mid-typing never overwrites it.
  const [hubUrl, setHubUrl] = useState(() => useSyncStatus.getState().status?.hubUrl ?? '');
  const [token, setToken] = useState('');
  const [enabled, setEnabled] = useState(() => initialEnabled(useSyncStatus.getState().status));
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);
  const tokenRef = useRef<HTMLInputElement>(null);

  useEffect(() => urlRef.current?.focus(), []);

  const close = () => setSettingsOpen(false);
  const hasToken = status?.hasToken ?? false;
  const missing = enabled && (hubUrl.trim() === '' || (!hasToken && token.trim() === ''));

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const typed = token.trim();
      await configureSync({ hubUrl: hubUrl.trim(), enabled, ...(typed ? { token: typed } : {}) });
      close();
    } catch (e) {
      const issues = e instanceof ApiError ? (e.body.issues ?? []) : [];
      const byField: Partial<Record<Field, string>> = {};
      for (const issue of issues) {
        const field = FIELDS.find((f) => issue.path === f);
        if (field && !byField[field]) byField[field] = problemText(issue.code, issue.params);
      }
      setFieldErrors(byField);
      // Anything not tied to a field (a refusal, a core that cannot keep tokens) is said under the form.
      if (Object.keys(byField).length < issues.length || issues.length === 0) setError(t('sync.settings.failed', { message: message(e) }));
      if (byField.hubUrl) urlRef.current?.focus();
      else if (byField.token) tokenRef.current?.focus();
      setBusy(false);
    }
  };

  const runNow = async () => {
    setError(null);
    try {
      await syncNow();
    } catch (e) {
      setError(t('sync.settings.syncNowFailed', { message: message(e) }));
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    }
  };

  const tokenWhere = tokenWhereText(t, info);
  const shown = status ? sentence(status) : null;
  const describedBy = (field: Field, hint: string) => [fieldErrors[field] ? `sync-${field}-error` : null, hint].filter(Boolean).join(' ');

  return (
    <Modal id="sync-settings" title={t('sync.settings.title')} className="sync-settings" onClose={close} onKeyDown={onKeyDown}>
      <p className="muted">{t('sync.settings.intro')}</p>
      {shown && (
        <p className={`sync-current sync-${shown.display.state}`} data-testid="sync-settings-status">
          <span className="sync-dot" aria-hidden="true" />
          <span>
            {shown.text}
            {shown.detail && <span className="sync-detail">{shown.detail}</span>}
          </span>
        </p>
      )}
      <form className="sync-form" onSubmit={(e) => void save(e)} noValidate>
        <label htmlFor="sync-hub-url">{t('sync.settings.hubUrl')}</label>
        <input
          ref={urlRef}
          id="sync-hub-url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          value={hubUrl}
          placeholder={t('sync.settings.hubUrlPlaceholder')}
          aria-invalid={fieldErrors.hubUrl ? true : undefined}
          aria-describedby={describedBy('hubUrl', 'sync-hub-url-hint')}
          onChange={(e) => setHubUrl(e.target.value)}
        />
        <span id="sync-hub-url-hint" className="hint">
          {t('sync.settings.hubUrlHint')}
        </span>
        <ErrorNote id="sync-hubUrl-error" text={fieldErrors.hubUrl ? t('sync.settings.fieldError', { message: fieldErrors.hubUrl }) : null} />

        <label htmlFor="sync-token">{t('sync.settings.token')}</label>
        <input
          ref={tokenRef}
          id="sync-token"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={token}
          placeholder={hasToken ? t('sync.settings.tokenKeepPlaceholder') : t('sync.settings.tokenPlaceholder')}
          aria-invalid={fieldErrors.token ? true : undefined}
          aria-describedby={describedBy('token', 'sync-token-hint')}
          onChange={(e) => setToken(e.target.value)}
        />
        <span id="sync-token-hint" className="hint" data-testid="sync-token-hint">
          {hasToken ? t('sync.settings.tokenSaved') : t('sync.settings.tokenNone')} {tokenWhere}
        </span>
        <ErrorNote id="sync-token-error" text={fieldErrors.token ? t('sync.settings.fieldError', { message: fieldErrors.token }) : null} />

        <label className="sync-enabled">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          {t('sync.settings.enabled')}
        </label>
        {missing && <span className="hint">{t('sync.settings.needsBoth')}</span>}
        {info && <span className="hint">{t('sync.settings.thisLaptop', { device: shortDeviceId(info.deviceId) })}</span>}

        <ErrorNote text={error} />
        <div className="form-actions">
          <span className="hint">{t('sync.settings.keysHint')}</span>
          <button type="button" onClick={close}>
            {t('sync.settings.close')}
          </button>
          <button type="button" disabled={!status || status.state === 'disabled'} onClick={() => void runNow()}>
            {t('sync.settings.syncNow')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('sync.settings.saving') : t('sync.settings.save')}
          </button>
        </div>
      </form>
      <TeamKeySection />
      <RoomSection />
    </Modal>
  );
}

/**
 * Where the hub token is kept, said truthfully: the keyring that seals it by name, or, where
 * Electron found none (Linux's basic_text), that it is in the private file instead, and why.
 */
function tokenWhereText(t: TFunction, info: ChannelOutput<'app.info'> | null | undefined): string {
  if (info?.tokenStore === 'keychain') {
    return t('sync.settings.tokenWhereKeychain', { keyring: t(`sync.settings.keyring.${info.tokenKeyring ?? 'unknown'}`) });
  }
  if (info?.tokenStore === 'private_file') {
    const file = t('sync.settings.tokenWhereFile', { dir: info.dataDir });
    return info.tokenKeyring ? `${t(`sync.settings.noKeyring.${info.tokenKeyring === 'basic_text' ? 'basic_text' : 'other'}`)} ${file}` : file;
  }
  return t('sync.settings.tokenWhereNone');
}
