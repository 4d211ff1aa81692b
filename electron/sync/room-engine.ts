import os from 'node:os';
import { z } from 'zod';

import { refuse, type ParsedInput } from '../../shared/api/api.js';
import {
  DEFAULT_ROOM_PORT,
  MAX_ROOM_PEERS,
  type RoomInterface,
  type RoomPeerView,
  type RoomProblem,
  type RoomStatus,
} from '../../shared/sync/room-channels.js';
import { currentKey, fingerprintOf, fromBase64Url, type TeamKeyring } from '../../shared/sync/team-key.js';
import { message } from '../../shared/text/errors.js';
import type { RoomControl, WarroomCore } from '../core/core.js';
import type { Store } from '../store/store.js';
import { decodePeerCode, encodePeerCode, holdsFingerprint, RoomError, RoomPeer, RoomServer, type PeerCode } from './room.js';

/**
 * Room sync as the console runs it (issue #14): the settings say whether this console serves
 * the peer endpoint (electron/sync/room.ts) and on which of this machine's addresses, and which
 * peers it syncs with. It lives in the core worker, next to the store it serves, so browser mode
 * and Electron start and stop it alike.
 *
 * Settings and peers are kept in the store's meta table, like the hub URL and the per-peer
 * cursors they go with: they describe this record's sync, not the person, and a peer without its
 * cursor would only resend everything. A handful of peers needs no table of its own.
 */
const ENABLED_KEY = 'room.enabled';
const ADDRESS_KEY = 'room.address';
const PORT_KEY = 'room.port';
const PEERS_KEY = 'room.peers';
const LOOPBACK = '127.0.0.1';

export interface RoomTiming {
  /** How often every peer is synced while room sync is on. */
  pollMs: number;
  /** Pause after a local write before telling the peers, so a burst of typing goes as one batch. */
  pushDelayMs: number;
}
export const DEFAULT_ROOM_TIMING: RoomTiming = { pollMs: 5_000, pushDelayMs: 300 };

const SavedPeerSchema = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  fingerprint: z.string().max(64),
  addedAt: z.number(),
  lastSyncedAt: z.number().nullable(),
});
type SavedPeer = z.infer<typeof SavedPeerSchema>;

interface Peer extends SavedPeer {
  client: RoomPeer;
  state: RoomPeerView['state'];
  problem: RoomProblem | null;
  detail: string | null;
}

const peerId = (code: { host: string; port: number }) => `${code.host}:${code.port}`;

/** This machine's addresses a peer could reach, loopback first; IPv6 link-local ones need a scope a peer code cannot carry. */
export function machineInterfaces(): RoomInterface[] {
  const found: RoomInterface[] = [];
  for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family !== 'IPv4' && a.family !== 'IPv6') continue;
      if (a.family === 'IPv6' && a.scopeid) continue;
      found.push({ name, address: a.address, family: a.family, internal: a.internal });
    }
  }
  if (!found.some((i) => i.address === LOOPBACK)) found.push({ name: 'lo', address: LOOPBACK, family: 'IPv4', internal: true });
  const rank = (i: RoomInterface) => (i.address === LOOPBACK ? 0 : i.internal ? 1 : i.family === 'IPv4' ? 2 : 3);
  return found.sort((x, y) => rank(x) - rank(y));
}

export interface RoomEngineOptions {
  core: WarroomCore;
  store: Store;
  keyring: () => TeamKeyring | null;
  timing?: Partial<RoomTiming>;
  interfaces?: () => RoomInterface[];
  now?: () => number;
}

export class RoomEngine implements RoomControl {
  private readonly core: WarroomCore;
  private readonly store: Store;
  private readonly keyring: () => TeamKeyring | null;
  private readonly timing: RoomTiming;
  private readonly interfaces: () => RoomInterface[];
  private readonly now: () => number;
  private readonly server: RoomServer;
  private readonly peers = new Map<string, Peer>();
  private readonly listeners = new Set<(status: RoomStatus) => void>();
  private enabled: boolean;
  private address: string;
  private port: number;
  private state: RoomStatus['state'] = 'off';
  private problem: RoomProblem | null = null;
  private detail: string | null = null;
  private bound: PeerCode | null = null;
  /** Listening and closing one after the other: a quick off-on never leaves two servers. */
  private serving: Promise<void> = Promise.resolve();
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(options: RoomEngineOptions) {
    this.core = options.core;
    this.store = options.store;
    this.keyring = options.keyring;
    this.timing = { ...DEFAULT_ROOM_TIMING, ...options.timing };
    this.interfaces = options.interfaces ?? machineInterfaces;
    this.now = options.now ?? Date.now;
    this.server = new RoomServer({ core: this.core, store: this.store, keyring: this.keyring, now: this.now });
    this.enabled = this.store.getMeta(ENABLED_KEY) === 'true';
    this.address = this.store.getMeta(ADDRESS_KEY) ?? LOOPBACK;
    const savedPort = Number(this.store.getMeta(PORT_KEY) ?? DEFAULT_ROOM_PORT);
    this.port = Number.isInteger(savedPort) && savedPort >= 0 && savedPort <= 65535 ? savedPort : DEFAULT_ROOM_PORT;
    for (const saved of this.loadPeers()) this.peers.set(peerId(saved), this.makePeer(saved));
    this.core.onChange((notice) => {
      if (notice.eventIds.length && this.enabled) this.schedule(this.timing.pushDelayMs);
    });
  }

  /** Start serving and syncing if room sync was left on; called once the core is ready. */
  start(): void {
    this.apply();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.generation++;
    await this.serving.then(() => this.server.close());
  }

  onStatus(listener: (status: RoomStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The team keyring changed (created, imported, rotated): serve if that was all that was missing; the peer code names the new key. */
  keyringChanged(): void {
    if (this.enabled && (this.state !== 'serving' || !this.keyring())) this.apply();
    else this.announce();
  }

  status(): RoomStatus {
    const ring = this.keyring();
    const fingerprint = ring ? fingerprintOf(fromBase64Url(currentKey(ring).key)) : null;
    const serving = this.state === 'serving' && this.bound !== null && fingerprint !== null;
    return {
      enabled: this.enabled,
      address: this.address,
      port: this.port,
      state: this.state,
      problem: this.problem,
      detail: this.detail,
      peerCode: serving ? encodePeerCode({ host: this.bound!.host, port: this.bound!.port, fingerprint: fingerprint! }) : null,
      boundPort: serving ? this.bound!.port : null,
      fingerprint,
      hasTeamKey: ring !== null,
      interfaces: this.interfaces(),
      peers: [...this.peers.values()].map((p) => ({
        id: peerId(p),
        host: p.host,
        port: p.port,
        fingerprint: p.fingerprint,
        addedAt: p.addedAt,
        lastSyncedAt: p.lastSyncedAt,
        state: p.state,
        problem: p.problem,
        detail: p.detail,
      })),
    };
  }

  configure(settings: ParsedInput<'room.configure'>): RoomStatus {
    const known = this.interfaces().some((i) => i.address === settings.address);
    if (!known && settings.enabled) {
      throw refuse('invalid_input', 'room_address_unknown', `${settings.address} is not an address of this machine.`, { address: settings.address });
    }
    if (settings.enabled && !this.keyring())
      throw refuse('conflict', 'room_needs_team_key', 'Room sync needs a team key: every request between consoles is authenticated with it.');
    this.enabled = settings.enabled;
    if (known) this.address = settings.address;
    this.port = settings.port;
    this.store.setMeta(ENABLED_KEY, String(this.enabled));
    this.store.setMeta(ADDRESS_KEY, this.address);
    this.store.setMeta(PORT_KEY, String(this.port));
    this.apply();
    return this.status();
  }

  addPeer({ code }: ParsedInput<'room.addPeer'>): RoomStatus {
    const decoded = decodePeerCode(code);
    if (!decoded)
      throw refuse(
        'invalid_input',
        'room_peer_code_invalid',
        'This is not a peer code: a peer code starts with wrp1. and is shown in the other console’s room sync settings.',
      );
    const ring = this.keyring();
    if (!ring) throw refuse('conflict', 'room_needs_team_key', 'Room sync needs a team key: every request between consoles is authenticated with it.');
    if (!holdsFingerprint(ring, decoded.fingerprint)) {
      throw refuse('conflict', 'room_peer_other_key', 'This peer holds another team key (its fingerprint differs from every key this laptop holds).', {
        fingerprint: decoded.fingerprint,
      });
    }
    if (this.bound && this.bound.host === decoded.host && this.bound.port === decoded.port)
      throw refuse('invalid_input', 'room_peer_self', 'This is this console’s own peer code.');
    const id = peerId(decoded);
    if (!this.peers.has(id) && this.peers.size >= MAX_ROOM_PEERS)
      throw refuse('conflict', 'room_too_many_peers', `A console syncs with ${MAX_ROOM_PEERS} peers at most.`, { limit: MAX_ROOM_PEERS });
    // The same address again (a rotated key, a new code): the newer code replaces the older, cursors kept.
    const previous = this.peers.get(id);
    this.peers.set(
      id,
      this.makePeer({
        host: decoded.host,
        port: decoded.port,
        fingerprint: decoded.fingerprint,
        addedAt: previous?.addedAt ?? this.now(),
        lastSyncedAt: previous?.lastSyncedAt ?? null,
      }),
    );
    this.savePeers();
    if (this.enabled) this.schedule(0);
    return this.status();
  }

  removePeer({ peerId: id }: ParsedInput<'room.removePeer'>): RoomStatus {
    if (!this.peers.delete(id)) throw refuse('not_found', 'room_no_peer', 'This peer is not in the list any more.');
    this.savePeers();
    return this.status();
  }

  syncNow(): RoomStatus {
    if (!this.enabled) throw refuse('conflict', 'room_off', 'Room sync is off: turn it on first.');
    this.schedule(0);
    return this.status();
  }

  private makePeer(saved: SavedPeer): Peer {
    const code = { host: saved.host, port: saved.port, fingerprint: saved.fingerprint };
    return { ...saved, client: new RoomPeer(this.core, this.store, this.keyring, code, { now: this.now }), state: 'waiting', problem: null, detail: null };
  }

  private loadPeers(): SavedPeer[] {
    try {
      const parsed = z
        .array(SavedPeerSchema)
        .max(MAX_ROOM_PEERS)
        .safeParse(JSON.parse(this.store.getMeta(PEERS_KEY) ?? '[]'));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  private savePeers(): void {
    const saved: SavedPeer[] = [...this.peers.values()].map(({ host, port, fingerprint, addedAt, lastSyncedAt }) => ({
      host,
      port,
      fingerprint,
      addedAt,
      lastSyncedAt,
    }));
    this.store.setMeta(PEERS_KEY, JSON.stringify(saved));
  }

  private announce(): void {
    if (this.stopped || this.listeners.size === 0) return;
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  private setState(state: RoomStatus['state'], problem: RoomProblem | null = null, detail: string | null = null): void {
    this.state = state;
    this.problem = problem;
    this.detail = detail;
    this.announce();
  }

  /** Bring the server in line with the settings: closed when off, listening on the chosen address when on. */
  private apply(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.stopped;
    this.bound = null;
    if (!this.enabled || !this.keyring()) {
      this.serving = this.serving.then(() => this.server.close());
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      for (const peer of this.peers.values()) Object.assign(peer, { state: 'waiting', problem: null, detail: null });
      if (this.enabled) this.setState('error', 'room_needs_team_key', 'Room sync needs a team key.');
      else this.setState('off');
      return;
    }
    if (!this.interfaces().some((i) => i.address === this.address)) {
      // The laptop left the network it served on: say so rather than serve somewhere else unasked.
      this.serving = this.serving.then(() => this.server.close());
      this.setState('error', 'room_address_gone', `${this.address} is no longer an address of this machine.`);
      this.schedule(0);
      return;
    }
    this.setState('starting');
    const { address, port } = this;
    this.serving = this.serving.then(() =>
      this.server.listen(address, port).then(
        (bound) => {
          if (!current()) return;
          this.bound = bound;
          this.setState('serving');
        },
        (error: unknown) => {
          if (!current()) return;
          const code = (error as NodeJS.ErrnoException).code;
          this.setState('error', code === 'EADDRINUSE' ? 'room_port_in_use' : 'room_listen_failed', message(error));
        },
      ),
    );
    // Peers are synced whether or not this console manages to serve: pulling from them needs no server here.
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || !this.enabled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round();
    }, delayMs);
  }

  /** One round: every peer in turn; a round asked for while one runs follows it. */
  private async round(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        for (const peer of [...this.peers.values()]) {
          if (this.stopped || !this.enabled) return;
          if (this.peers.get(peerId(peer)) !== peer) continue;
          await this.syncPeer(peer);
        }
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
      this.schedule(this.timing.pollMs);
    }
  }

  private async syncPeer(peer: Peer): Promise<void> {
    Object.assign(peer, { state: 'syncing' });
    this.announce();
    try {
      await peer.client.syncOnce();
      Object.assign(peer, { state: 'ok', problem: null, detail: null, lastSyncedAt: this.now() });
      this.savePeers();
    } catch (error) {
      const problem = error instanceof RoomError ? error.problem : 'room_peer_refused';
      Object.assign(peer, { state: 'error', problem, detail: message(error) });
    }
    this.announce();
  }
}
