import { z } from 'zod';

/**
 * The team key's part of the API contract (spread into `channels` in shared/api/api.ts). Kept
 * apart from shared/sync/team-key.ts so the renderer's bundle never carries the cryptography.
 * The host (electron/host/host.ts) answers every command here: it keeps the keyring, like the hub
 * token, in the OS keychain or a private file, and hands it to the core in memory only.
 */
export const TeamKeyStatusSchema = z.strictObject({
  /** none: events go to the hub in clear, as before; sealed: every event leaves this laptop sealed. */
  state: z.enum(['none', 'sealed']),
  team: z.string().nullable(),
  keyId: z.string().nullable(),
  fingerprint: z.string().nullable(),
  /** Keys held: the current one and those kept to open older events. */
  keys: z.number().int().min(0),
  sealedSince: z.number().nullable(),
  /** Where the keyring is kept, like the hub token: 'keychain' | 'private_file' | 'none'. */
  storedIn: z.string(),
});
export type TeamKeyStatus = z.infer<typeof TeamKeyStatusSchema>;

/**
 * Which implementation seals and opens on this laptop (app.info, named in the team key's settings):
 * libsodium's native library; Node's OpenSSL ChaCha20-Poly1305; or the pure-JavaScript fallback,
 * several times slower on a sealed catch-up, used only when neither of the others works here.
 */
export const SEAL_CIPHER_KINDS = ['libsodium', 'node-crypto', 'javascript'] as const;
export type SealCipherKind = (typeof SEAL_CIPHER_KINDS)[number];

/** A key file is a few hundred bytes per key; 64 keys at most. */
export const MAX_KEY_FILE_CHARS = 64 * 1024;
export const PassphraseSchema = z.string().min(8, 'at least 8 characters').max(256);

const channel = <I extends z.ZodType, O extends z.ZodType>(kind: 'query' | 'command', input: I, output: O) => ({ kind, input, output }) as const;

export const TEAM_KEY_CHANNELS = {
  'teamKey.status': channel('query', z.strictObject({}), TeamKeyStatusSchema),
  /** Make the team's first key on this laptop; from then on it never sends an event in clear. */
  'teamKey.create': channel('command', z.strictObject({ team: z.string().trim().min(1).max(64) }), TeamKeyStatusSchema),
  /** A new key for new events; the old ones are kept to open old events. */
  'teamKey.rotate': channel('command', z.strictObject({}), TeamKeyStatusSchema),
  /** The keyring as a file to hand to a team member (it is the key itself: a secret). */
  'teamKey.exportFile': channel('command', z.strictObject({}), z.strictObject({ fileName: z.string(), text: z.string() })),
  'teamKey.importFile': channel('command', z.strictObject({ text: z.string().min(1).max(MAX_KEY_FILE_CHARS) }), TeamKeyStatusSchema),
  /** Wrap the keyring with a new pairing code and this passphrase, and leave it on the hub for 15 minutes. */
  'teamKey.pairOffer': channel('command', z.strictObject({ passphrase: PassphraseSchema }), z.strictObject({ code: z.string(), expiresAt: z.number() })),
  /** Fetch the keyring a team member left on the hub under this code and open it with the passphrase. */
  'teamKey.pairJoin': channel('command', z.strictObject({ code: z.string().trim().min(1).max(32), passphrase: PassphraseSchema }), TeamKeyStatusSchema),
} as const;
