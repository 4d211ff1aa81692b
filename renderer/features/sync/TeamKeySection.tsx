import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ChannelOutput } from '../../../shared/api/api.js';
import { api } from '../../api/client.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale } from '../../ui/hooks.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import type { teamKeyEn } from '../../i18n/teamkey.en.js';

type KeyStatus = ChannelOutput<'teamKey.status'>;
type ErrorReason = keyof typeof teamKeyEn.errors;

/**
 * The team key in the sync settings (issue #14): its state (none / sealed, key id, fingerprint),
 * and every way to make, give and receive it: create, export and import a key file, rotate,
 * offer and join with a pairing code. Plain buttons and fields, all reachable with Tab.
 */
export function TeamKeySection() {
  const { t, i18n } = useTranslation();
  const locale = useDateLocale();
  const [status, setStatus] = useState<KeyStatus | null>(null);
  const cipher = useIncidents((s) => s.info?.sealCipher);
  const [team, setTeam] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');
  const [offer, setOffer] = useState<{ code: string; expiresAt: number; madeAt: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    api.call('teamKey.status', {}).then(
      (answer) => live && setStatus(answer),
      (failure: unknown) => live && setError(message(failure)),
    );
    return () => {
      live = false;
    };
  }, []);

  /** A refusal of ours has its own sentence; anything else says what the core said. */
  const said = (failure: unknown): string => {
    const reason = failure instanceof ApiError ? failure.body.reason : undefined;
    const known = (r: string | undefined): r is ErrorReason => r !== undefined && i18n.exists(`teamKey.errors.${r}`);
    return known(reason) ? t(`teamKey.errors.${reason}`) : message(failure);
  };

  const run = async (action: () => Promise<KeyStatus | void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const next = await action();
      if (next) {
        setStatus(next);
        setNote(t('teamKey.done'));
      }
    } catch (failure) {
      setError(said(failure));
    } finally {
      setBusy(false);
    }
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    void run(() => api.call('teamKey.create', { team: team.trim() }));
  };
  const exportFile = () =>
    void run(async () => {
      const file = await api.call('teamKey.exportFile', {});
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
      link.download = file.fileName;
      link.click();
      URL.revokeObjectURL(link.href);
    });
  const importFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) void run(async () => api.call('teamKey.importFile', { text: await file.text() }));
  };
  const makeOffer = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      setOffer({ ...(await api.call('teamKey.pairOffer', { passphrase })), madeAt: Date.now() });
      setPassphrase('');
    });
  };
  const join = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const joined = await api.call('teamKey.pairJoin', { code, passphrase });
      setPassphrase('');
      setCode('');
      return joined;
    });
  };

  const sealed = status?.state === 'sealed';
  const storedIn =
    status?.storedIn === 'keychain' ? t('teamKey.storedKeychain') : status?.storedIn === 'private_file' ? t('teamKey.storedFile') : t('teamKey.storedNone');

  return (
    <section className="team-key" aria-labelledby="team-key-title" data-testid="team-key">
      <h3 id="team-key-title">{t('teamKey.title')}</h3>
      <p className="muted">{t('teamKey.intro')}</p>
      {status && (
        <p className={`team-key-state team-key-${status.state}`} data-testid="team-key-state">
          {sealed ? t('teamKey.sealed', { team: status.team, keyId: status.keyId }) : t('teamKey.none')}
          {sealed && <span className="sync-detail">{t('teamKey.fingerprint', { fingerprint: status.fingerprint })}</span>}
          {sealed && <span className="sync-detail">{t('teamKey.keys', { count: status.keys })}</span>}
          {sealed && cipher && <span className="sync-detail">{t(`teamKey.cipher.${cipher}`)}</span>}
          <span className="sync-detail">{storedIn}</span>
        </p>
      )}

      {status && !sealed && (
        <form className="team-key-row" onSubmit={create}>
          <label htmlFor="team-key-team">{t('teamKey.teamName')}</label>
          <input id="team-key-team" value={team} placeholder={t('teamKey.teamNamePlaceholder')} autoComplete="off" onChange={(e) => setTeam(e.target.value)} />
          <button type="submit" disabled={busy || team.trim() === ''} aria-describedby="team-key-create-hint">
            {t('teamKey.create')}
          </button>
          <span id="team-key-create-hint" className="hint">
            {t('teamKey.createHint')}
          </span>
        </form>
      )}

      <div className="team-key-row">
        {sealed && (
          <button type="button" disabled={busy} onClick={exportFile} aria-describedby="team-key-export-hint">
            {t('teamKey.exportFile')}
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => fileRef.current?.click()}>
          {t('teamKey.importFile')}
        </button>
        <input ref={fileRef} type="file" accept="application/json,.json" hidden tabIndex={-1} data-testid="team-key-file" onChange={importFile} />
        {sealed && (
          <button type="button" disabled={busy} onClick={() => void run(() => api.call('teamKey.rotate', {}))} aria-describedby="team-key-rotate-hint">
            {t('teamKey.rotate')}
          </button>
        )}
      </div>
      {sealed && (
        <>
          <span id="team-key-export-hint" className="hint">
            {t('teamKey.exportHint')}
          </span>
          <span id="team-key-rotate-hint" className="hint">
            {t('teamKey.rotateHint')}
          </span>
        </>
      )}

      <form className="team-key-row" onSubmit={sealed ? makeOffer : join}>
        {!sealed && (
          <>
            <label htmlFor="team-key-code">{t('teamKey.code')}</label>
            <input
              id="team-key-code"
              value={code}
              placeholder={t('teamKey.codePlaceholder')}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setCode(e.target.value)}
            />
          </>
        )}
        <label htmlFor="team-key-passphrase">{t('teamKey.passphrase')}</label>
        <input id="team-key-passphrase" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        <button
          type="submit"
          disabled={busy || passphrase.length < 8 || (!sealed && code.trim() === '')}
          aria-describedby={sealed ? 'team-key-offer-hint' : undefined}
        >
          {busy ? t('teamKey.working') : sealed ? t('teamKey.offer') : t('teamKey.join')}
        </button>
        {sealed && (
          <span id="team-key-offer-hint" className="hint">
            {t('teamKey.offerHint')}
          </span>
        )}
      </form>
      {offer && (
        <p className="team-key-offer" role="status" data-testid="team-key-offer">
          {t('teamKey.offered', { code: offer.code, time: shortTime(offer.expiresAt, offer.madeAt, locale) })}
        </p>
      )}
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
      <ErrorNote text={error} />
    </section>
  );
}
