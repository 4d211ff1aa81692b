import { z } from 'zod';

/**
 * Room sync's part of the API contract (issue #14), spread into `channels` in shared/api/api.ts.
 * The core worker answers it (electron/sync/room-engine.ts): it serves the hub's pull/push
 * protocol to the team's other laptops on the interface the user picked, and syncs with the
 * peers added by their peer code. Off by default; loopback until the user picks another interface.
 */

/** A network interface of this machine, from the core's os.networkInterfaces(). */
export const RoomInterfaceSchema = z.strictObject({
  name: z.string(),
  address: z.string(),
  family: z.enum(['IPv4', 'IPv6']),
  /** Loopback: reachable from this machine only. */
  internal: z.boolean(),
});
export type RoomInterface = z.infer<typeof RoomInterfaceSchema>;

/** Why room sync, or one peer, is not working: each has words in EN/FR (renderer/i18n/room.*.ts). */
export const ROOM_PROBLEMS = [
  'room_needs_team_key',
  'room_address_gone',
  'room_port_in_use',
  'room_listen_failed',
  'room_peer_other_key',
  'room_peer_unreachable',
  'room_peer_refused',
  'room_peer_answer_invalid',
] as const;
export const RoomProblemSchema = z.enum(ROOM_PROBLEMS);
export type RoomProblem = z.infer<typeof RoomProblemSchema>;

export const RoomPeerViewSchema = z.strictObject({
  /** host:port, the peer's identity in this console. */
  id: z.string(),
  host: z.string(),
  port: z.number().int(),
  fingerprint: z.string(),
  addedAt: z.number(),
  lastSyncedAt: z.number().nullable(),
  state: z.enum(['waiting', 'syncing', 'ok', 'error']),
  problem: RoomProblemSchema.nullable(),
  /** The underlying words (English), for the detail line and logs. */
  detail: z.string().nullable(),
});
export type RoomPeerView = z.infer<typeof RoomPeerViewSchema>;

export const RoomStatusSchema = z.strictObject({
  enabled: z.boolean(),
  /** The address served on (one of `interfaces`); 127.0.0.1 until the user picks another. */
  address: z.string(),
  /** The port asked for (0 = any free port, a new one at each start). */
  port: z.number().int().min(0).max(65535),
  state: z.enum(['off', 'starting', 'serving', 'error']),
  problem: RoomProblemSchema.nullable(),
  detail: z.string().nullable(),
  /** What to give the other laptops (address, port actually bound, team key fingerprint); null unless serving. */
  peerCode: z.string().nullable(),
  boundPort: z.number().int().nullable(),
  fingerprint: z.string().nullable(),
  hasTeamKey: z.boolean(),
  interfaces: z.array(RoomInterfaceSchema),
  peers: z.array(RoomPeerViewSchema),
});
export type RoomStatus = z.infer<typeof RoomStatusSchema>;

/** At most this many peers: a room, not a network. */
export const MAX_ROOM_PEERS = 32;
export const DEFAULT_ROOM_PORT = 4790;

const channel = <I extends z.ZodType, O extends z.ZodType>(kind: 'query' | 'command', input: I, output: O) => ({ kind, input, output }) as const;

export const ROOM_CHANNELS = {
  'room.status': channel('query', z.strictObject({}), RoomStatusSchema),
  /** Turn serving on or off, on this address and port; the address must be one of this machine's. */
  'room.configure': channel(
    'command',
    z.strictObject({ enabled: z.boolean(), address: z.string().trim().min(1).max(64), port: z.number().int().min(0).max(65535) }),
    RoomStatusSchema,
  ),
  /** Add a peer by the code it shows (wrp1.…); the code is checked, nothing is sent until it parses. */
  'room.addPeer': channel('command', z.strictObject({ code: z.string().trim().min(1).max(600) }), RoomStatusSchema),
  'room.removePeer': channel('command', z.strictObject({ peerId: z.string().min(1).max(300) }), RoomStatusSchema),
  /** Sync with every peer now rather than at the next round. */
  'room.now': channel('command', z.strictObject({}), RoomStatusSchema),
} as const;
