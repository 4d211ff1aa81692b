import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ChannelOutput } from '../../../shared/api/api.js';
import type { RoomPeerView } from '../../../shared/sync/room-channels.js';
import { api } from '../../api/client.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { message } from '../incidents/view-sync.js';
import type { roomEn } from '../../i18n/room.en.js';

type RoomStatus = ChannelOutput<'room.status'>;
type RefusalReason = keyof typeof roomEn.errors;

/**
 * Room sync in the sync settings (issue #14): turn serving on (off by default), pick the network
 * interface (loopback until the user picks another) and the port, show this console's peer code
 * to copy, add peers by pasting theirs, and see each peer's last sync or error. Plain fields and
 * buttons in Tab order; the state follows the core's change notices while the dialog is open.
 */
export function RoomSection() {
  const status = useRoomStatus();
  return status ? <RoomForm status={status} /> : null;
}

/** The core's room state: read once, then kept current by the change notices that carry it. */
function useRoomStatus(): RoomStatus | null {
  const [status, setStatus] = useState<RoomStatus | null>(null);
  useEffect(() => {
    let live = true;
    let noticed = false;
    const stop = api.onChange((notice) => {
      if (!notice.room || !live) return;
      noticed = true;
      setStatus(notice.room);
    });
    api.call('room.status', {}).then(
      // A notice that arrived meanwhile is at least as fresh as this answer.
      (answer) => live && !noticed && setStatus(answer),
      () => undefined,
    );
    return () => {
      live = false;
      stop();
    };
  }, []);
  return status;
}

function RoomForm({ status }: { status: RoomStatus }) {
  const { t, i18n } = useTranslation();
  const locale = useDateLocale();
  // The form edits a copy: a notice arriving mid-typing never overwrites what the user is choosing.
  const [enabled, setEnabled] = useState(status.enabled);
  const [address, setAddress] = useState(status.address);
  const [port, setPort] = useState(String(status.port));
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const said = (failure: unknown): string => {
    const body = failure instanceof ApiError ? failure.body : null;
    const reason = body?.reason;
    const known = (r: string | undefined): r is RefusalReason => r !== undefined && i18n.exists(`room.errors.${r}`);
    return known(reason) ? t(`room.errors.${reason}`, body?.params ?? {}) : message(failure);
  };

  const run = async (action: () => Promise<unknown>, done: string | null) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await action();
      if (done) setNote(done);
    } catch (failure) {
      setError(said(failure));
    } finally {
      setBusy(false);
    }
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const portNumber = Number(port);
    void run(() => api.call('room.configure', { enabled, address, port: Number.isInteger(portNumber) ? portNumber : -1 }), null);
  };
  const addPeer = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.call('room.addPeer', { code: code.trim() });
      setCode('');
    }, t('room.added'));
  };
  const copy = () =>
    void navigator.clipboard.writeText(status.peerCode ?? '').then(
      () => setNote(t('room.copied')),
      () => setError(t('room.copyFailed')),
    );

  // Only decides whether a time shows its day: a minute's precision is plenty.
  const now = useNow(60_000);
  const stateText = status.state === 'serving' ? t('room.state.serving', { address: status.address, port: status.boundPort }) : t(`room.state.${status.state}`);
  const changed = enabled !== status.enabled || address !== status.address || port !== String(status.port);

  return (
    <section className="room-sync" aria-labelledby="room-sync-title" data-testid="room-sync">
      <h3 id="room-sync-title">{t('room.title')}</h3>
      <p className="muted">{t('room.intro')}</p>
      <p className={`room-state room-${status.state}`} data-testid="room-state" role="status">
        {stateText}
        {status.problem && <span className="sync-detail">{t(`room.problems.${status.problem}`)}</span>}
      </p>
      {!status.hasTeamKey && <p className="hint">{t('room.needsKey')}</p>}

      <form className="room-row" onSubmit={apply}>
        <label className="sync-enabled room-enabled">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          {t('room.enabled')}
        </label>
        <label htmlFor="room-address">{t('room.address')}</label>
        <select id="room-address" value={address} aria-describedby="room-address-hint" onChange={(e) => setAddress(e.target.value)}>
          {!status.interfaces.some((i) => i.address === status.address) && <option value={status.address}>{status.address}</option>}
          {status.interfaces.map((i) => (
            <option key={`${i.name}-${i.address}`} value={i.address}>
              {t(i.internal ? 'room.interfaceLoopback' : 'room.interface', { name: i.name, address: i.address })}
            </option>
          ))}
        </select>
        <label htmlFor="room-port">{t('room.port')}</label>
        <input
          id="room-port"
          className="room-port"
          inputMode="numeric"
          autoComplete="off"
          value={port}
          aria-describedby="room-port-hint"
          onChange={(e) => setPort(e.target.value)}
        />
        <button type="submit" className={changed ? 'primary' : undefined} disabled={busy}>
          {t('room.apply')}
        </button>
        <span id="room-address-hint" className="hint">
          {t('room.addressHint')}
        </span>
        <span id="room-port-hint" className="hint">
          {t('room.portHint')}
        </span>
      </form>

      {status.peerCode && (
        <div className="room-row">
          <label htmlFor="room-own-code">{t('room.yourCode')}</label>
          <input
            id="room-own-code"
            className="room-code"
            readOnly
            value={status.peerCode}
            aria-describedby="room-own-code-hint"
            onFocus={(e) => e.target.select()}
          />
          <button type="button" onClick={copy}>
            {t('room.copy')}
          </button>
          <span id="room-own-code-hint" className="hint">
            {t('room.yourCodeHint', { address: status.address, port: status.boundPort, fingerprint: status.fingerprint })}
          </span>
        </div>
      )}

      <form className="room-row" onSubmit={addPeer}>
        <label htmlFor="room-peer-code">{t('room.addLabel')}</label>
        <input
          id="room-peer-code"
          className="room-code"
          value={code}
          placeholder={t('room.addPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" disabled={busy || code.trim() === ''}>
          {t('room.add')}
        </button>
      </form>

      <h4 className="room-peers-title">{t('room.peers')}</h4>
      {status.peers.length === 0 ? (
        <p className="hint">{t('room.noPeers')}</p>
      ) : (
        <ul className="room-peers" data-testid="room-peers">
          {status.peers.map((peer) => (
            <PeerRow
              key={peer.id}
              peer={peer}
              now={now}
              locale={locale}
              busy={busy}
              onRemove={() => void run(() => api.call('room.removePeer', { peerId: peer.id }), null)}
            />
          ))}
        </ul>
      )}
      <div className="room-row">
        <button type="button" disabled={busy || !status.enabled || status.peers.length === 0} onClick={() => void run(() => api.call('room.now', {}), null)}>
          {t('room.syncNow')}
        </button>
      </div>
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
      <ErrorNote text={error} />
    </section>
  );
}

function PeerRow({
  peer,
  now,
  locale,
  busy,
  onRemove,
}: {
  peer: RoomPeerView;
  now: number;
  locale: ReturnType<typeof useDateLocale>;
  busy: boolean;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const name = t('room.peer', { host: peer.host, port: peer.port });
  const time = peer.lastSyncedAt !== null ? shortTime(peer.lastSyncedAt, now, locale) : null;
  return (
    <li className={`room-peer room-peer-${peer.state}`} data-testid="room-peer">
      <span className="room-peer-name">{name}</span>
      <span className="muted">{t('room.peerFingerprint', { fingerprint: peer.fingerprint })}</span>
      <span className="room-peer-state">
        {peer.state === 'ok' && time ? t('room.peerState.ok', { time }) : t(`room.peerState.${peer.state}`)}
        {peer.state !== 'ok' && time && ` — ${t('room.lastSynced', { time })}`}
      </span>
      <button type="button" disabled={busy} aria-label={t('room.removeLabel', { peer: name })} onClick={onRemove}>
        {t('room.remove')}
      </button>
      {peer.problem && (
        <span className="room-peer-problem" title={peer.detail ?? undefined}>
          {t(`room.problems.${peer.problem}`)}
        </span>
      )}
    </li>
  );
}
