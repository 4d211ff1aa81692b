import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ChannelIdSchema } from '../../shared/deliveries/events.js';

/**
 * The hub's own configuration for updates going out and the status page: one JSON file, named
 * with `serve --config FILE`, read at start. It alone holds the channel secrets (SMTP password,
 * webhook URLs, signing keys): they never reach a laptop or an event. It is also the only source
 * of addresses the hub will post to (`allowedTargets`), whatever an event says.
 */

const HttpsOrLoopbackUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  }, 'a webhook URL must be https (plain http only on loopback, for tests)');

const Audiences = z.array(z.string().trim().min(1).max(120)).min(1).max(50);

const EmailChannelSchema = z.strictObject({
  id: ChannelIdSchema,
  kind: z.literal('email'),
  audiences: Audiences,
  smtp: z.strictObject({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535).default(587),
    /** true: TLS from the first byte (port 465). false: STARTTLS, which `requireTLS` makes mandatory. */
    secure: z.boolean().default(false),
    requireTLS: z.boolean().default(true),
    auth: z.strictObject({ user: z.string().min(1).max(320), pass: z.string().min(1).max(1024) }).optional(),
    /** A PEM file of the certificate authority to trust for this server (a private CA). */
    caFile: z.string().min(1).optional(),
  }),
  from: z.string().min(3).max(320),
  to: z.array(z.string().min(3).max(320)).min(1).max(500),
});

const HookSchema = <K extends 'slack' | 'teams' | 'mattermost'>(kind: K) =>
  z.strictObject({ id: ChannelIdSchema, kind: z.literal(kind), audiences: Audiences, url: HttpsOrLoopbackUrl });

const WebhookChannelSchema = z.strictObject({
  id: ChannelIdSchema,
  kind: z.literal('webhook'),
  audiences: Audiences,
  url: HttpsOrLoopbackUrl,
  /** Key of the HMAC-SHA256 signature in X-Warroom-Signature, so the receiver knows the post is ours. */
  secret: z.string().min(16).max(1024),
});

export const ChannelConfigSchema = z.discriminatedUnion('kind', [
  EmailChannelSchema,
  HookSchema('slack'),
  HookSchema('teams'),
  HookSchema('mattermost'),
  WebhookChannelSchema,
]);
export type ChannelConfig = z.infer<typeof ChannelConfigSchema>;

export const RetrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(50).default(8),
  firstDelayMs: z.number().int().min(10).max(3_600_000).default(2_000),
  maxDelayMs: z.number().int().min(10).max(86_400_000).default(300_000),
  timeoutMs: z.number().int().min(100).max(300_000).default(20_000),
});

const TeamConfigSchema = z.strictObject({
  channels: z.array(ChannelConfigSchema).max(100).default([]),
  statusPage: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** The page's heading, e.g. "Acme status". */
      name: z.string().trim().min(1).max(120),
      /** Where readers reach the page (behind the TLS proxy), for the feed's links; relative links without it. */
      publicUrl: z
        .url({ protocol: /^https?$/ })
        .max(500)
        .transform((u) => u.replace(/\/+$/, ''))
        .optional(),
    })
    .optional(),
});

export const HubConfigSchema = z
  .strictObject({
    teams: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), TeamConfigSchema).default({}),
    retry: RetrySchema.default({ attempts: 8, firstDelayMs: 2_000, maxDelayMs: 300_000, timeoutMs: 20_000 }),
  })
  .superRefine((config, ctx) => {
    for (const [team, teamConfig] of Object.entries(config.teams)) {
      const ids = new Set<string>();
      for (const channel of teamConfig.channels) {
        if (ids.has(channel.id)) ctx.addIssue({ code: 'custom', path: ['teams', team, 'channels'], message: `channel id "${channel.id}" is used twice` });
        ids.add(channel.id);
      }
    }
  });
export type HubConfig = z.infer<typeof HubConfigSchema>;

export const EMPTY_CONFIG: HubConfig = HubConfigSchema.parse({});

/** Read and check the file; a secret-bearing file others can read is refused, as ssh refuses a private key. */
export function loadHubConfig(file: string): HubConfig {
  const mode = statSync(file).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`${file} holds channel secrets and is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
  }
  const parsed = HubConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Every host:port the configuration names: the only places the hub ever connects to for a delivery. */
export function allowedTargets(config: HubConfig): Set<string> {
  const targets = new Set<string>();
  for (const team of Object.values(config.teams)) {
    for (const channel of team.channels) {
      if (channel.kind === 'email') targets.add(`smtp://${channel.smtp.host}:${channel.smtp.port}`);
      else targets.add(new URL(channel.url).origin);
    }
  }
  return targets;
}
