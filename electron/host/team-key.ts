import { refuse, type ChannelName, type ChannelOutput, type ParsedInput } from '../../shared/api/api.js';
import { parseUntrustedJson } from '../../shared/record/untrusted.js';
import { PairingGetSchema, PairingPutResponseSchema } from '../../shared/sync/sealed-protocol.js';
import {
  createKeyring,
  currentKey,
  keyStatus,
  mergeKeyrings,
  newPairingCode,
  normalisePairingCode,
  pairingSlot,
  rotateKeyring,
  TeamKeyringSchema,
  unwrapKeyring,
  wrapKeyring,
  type TeamKeyring,
} from '../../shared/sync/team-key.js';
import { hubUrlProblem, plainHttpAllowed } from '../sync/hub-url.js';
import type { SecretSlot } from './handle.js';

/**
 * The team key's commands, answered on the host side: like the hub token, the keyring is kept
 * in the OS keychain or a private file (electron/host/secrets.ts) and the core worker only ever
 * holds it in memory, handed over after every change. Never in SQLite, never in an event.
 */
export type TeamKeyChannel = Extract<ChannelName, `teamKey.${string}`>;

export interface TeamKeyHost {
  /** The keyring kept here, or null (none, or a file this version cannot read: said by `teamKey.status`). */
  load(): TeamKeyring | null;
  handle<C extends TeamKeyChannel>(channel: C, input: ParsedInput<C>): Promise<ChannelOutput<C>>;
}

export interface TeamKeyHostDeps {
  slot: SecretSlot | null;
  storedIn: string;
  /** Give the core its new keyring (in memory). */
  hand(ring: TeamKeyring | null): Promise<void>;
  /** Where the hub is and its token, for pairing through it; null without one. */
  hub(): Promise<{ url: string; token: string } | null>;
  now?: () => number;
  fetch?: typeof fetch;
}

const PAIRING_TIMEOUT_MS = 20_000;

export function teamKeyHost(deps: TeamKeyHostDeps): TeamKeyHost {
  const now = deps.now ?? Date.now;
  const fetchHub = deps.fetch ?? fetch;

  const load = (): TeamKeyring | null => {
    const raw = deps.slot?.load();
    if (!raw) return null;
    try {
      const parsed = TeamKeyringSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };

  const keep = async (ring: TeamKeyring) => {
    if (!deps.slot) throw refuse('conflict', 'team_key_no_store', 'This console cannot store a team key.');
    deps.slot.save(JSON.stringify(ring));
    await deps.hand(ring);
    return keyStatus(ring, deps.storedIn);
  };

  const held = (): TeamKeyring => {
    const ring = load();
    if (!ring) throw refuse('conflict', 'team_key_none', 'This laptop holds no team key yet: create one, import a key file or join with a pairing code.');
    return ring;
  };

  const hub = async () => {
    const found = await deps.hub();
    if (!found) throw refuse('conflict', 'pairing_needs_hub', 'Pairing goes through the team hub: set the hub and its token first, or use a key file.');
    const problem = hubUrlProblem(found.url, plainHttpAllowed(process.env));
    if (problem) throw refuse('conflict', 'pairing_needs_hub', problem);
    return found;
  };

  const call = async (method: string, url: string, token: string, body?: unknown): Promise<Response> => {
    try {
      return await fetchHub(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(PAIRING_TIMEOUT_MS),
      });
    } catch {
      throw refuse('conflict', 'pairing_hub_unreachable', 'The hub could not be reached; try again, or use a key file.');
    }
  };

  const handlers: { [C in TeamKeyChannel]: (input: ParsedInput<C>) => Promise<ChannelOutput<C>> } = {
    'teamKey.status': async () => keyStatus(load(), deps.storedIn),
    'teamKey.create': async ({ team }) => {
      if (load()) throw refuse('conflict', 'team_key_exists', 'This laptop already holds a team key; rotate it instead.');
      return keep(createKeyring(team, now()));
    },
    'teamKey.rotate': async () => keep(rotateKeyring(held(), now())),
    'teamKey.exportFile': async () => {
      const ring = held();
      return {
        fileName: `warroom-team-key-${ring.team.replace(/[^A-Za-z0-9_-]/g, '_')}-${currentKey(ring).id}.json`,
        text: `${JSON.stringify(ring, null, 2)}\n`,
      };
    },
    'teamKey.importFile': async ({ text }) => {
      let parsed;
      try {
        parsed = TeamKeyringSchema.safeParse(parseUntrustedJson(text));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) throw refuse('invalid_input', 'team_key_file_invalid', 'This is not a Warroom team key file.');
      return keep(merged(load(), parsed.data));
    },
    'teamKey.pairOffer': async ({ passphrase }) => {
      const ring = held();
      const { url, token } = await hub();
      const code = newPairingCode();
      const wrapped = await wrapKeyring(ring, code, passphrase);
      const response = await call('PUT', `${url}/v1/pairings/${pairingSlot(code)}`, token, { wrapped });
      const answer = PairingPutResponseSchema.safeParse(response.ok ? await response.json().catch(() => null) : null);
      if (!answer.success) throw refuse('conflict', 'pairing_hub_refused', `The hub did not keep the pairing (HTTP ${response.status}).`);
      return { code, expiresAt: answer.data.expiresAt };
    },
    'teamKey.pairJoin': async ({ code: typed, passphrase }) => {
      const code = normalisePairingCode(typed);
      if (!code) throw refuse('invalid_input', 'pairing_code_invalid', 'A pairing code is 12 letters and digits, like K7QF-2M9X-4RTA.');
      const { url, token } = await hub();
      const slotUrl = `${url}/v1/pairings/${pairingSlot(code)}`;
      const response = await call('GET', slotUrl, token);
      if (response.status === 404)
        throw refuse('not_found', 'pairing_not_found', 'No pairing under this code: it is mistyped, expired (15 minutes) or already used.');
      const offered = PairingGetSchema.safeParse(response.ok ? await response.json().catch(() => null) : null);
      if (!offered.success) throw refuse('conflict', 'pairing_hub_refused', `The hub did not hand over the pairing (HTTP ${response.status}).`);
      const ring = await unwrapKeyring(offered.data.wrapped, code, passphrase);
      if (!ring) throw refuse('invalid_input', 'pairing_wrong_passphrase', 'The passphrase does not open this pairing.');
      const status = await keep(merged(load(), ring));
      // Used once: the wrapped key does not wait on the hub for someone else to guess at.
      await call('DELETE', slotUrl, token).catch(() => undefined);
      return status;
    },
  };

  return {
    load,
    handle: (channel, input) => handlers[channel](input as never) as never,
  };
}

function merged(held: TeamKeyring | null, received: TeamKeyring): TeamKeyring {
  try {
    return mergeKeyrings(held, received);
  } catch (error) {
    throw refuse('conflict', 'team_key_other_team', error instanceof Error ? error.message : String(error));
  }
}
