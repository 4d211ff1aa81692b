import { z } from 'zod';
import { AlertSourceKindSchema } from '../../shared/alerts/events.js';
import type { HubStorage } from '../storage.js';
import { translator, type Words } from '../../shared/text/translator.js';
import {
  AUTH_MODES,
  createIntegration,
  INTEGRATION_ID_PATTERN,
  IntegrationNameSchema,
  listIntegrations,
  revokeIntegration,
  rotateIntegration,
} from './integrations.js';

/** `npm run hub -- integration …`: one alert source per integration, each with its own secret. */
const words = {
  en: {
    created:
      'Integration {{id}} ({{kind}}, {{auth}}) created for team "{{team}}". Post alerts to /v1/alerts/{{id}}. Its secret, shown only this once, is on the next line.',
    rotated: 'Integration {{id}}: new secret below; the old one no longer works.',
    revoked: 'Integration {{id}} revoked.',
    notFound: 'No active integration with id {{id}}.',
    none: 'No integrations yet. Create one with: npm run hub -- integration create TEAM alertmanager|grafana|generic NAME [--auth bearer|hmac]',
    header: 'ID            TEAM                  KIND          AUTH    NAME                  STATE',
    active: 'active',
    revokedState: 'revoked',
  },
  fr: {
    created:
      'Intégration {{id}} ({{kind}}, {{auth}}) créée pour l’équipe « {{team}} ». Les alertes se postent sur /v1/alerts/{{id}}. Son secret, affiché cette seule fois, est à la ligne suivante.',
    rotated: 'Intégration {{id}} : nouveau secret ci-dessous ; l’ancien ne fonctionne plus.',
    revoked: 'Intégration {{id}} révoquée.',
    notFound: 'Aucune intégration active avec l’id {{id}}.',
    none: 'Aucune intégration. Créez-en une avec : npm run hub -- integration create ÉQUIPE alertmanager|grafana|generic NOM [--auth bearer|hmac]',
    header: 'ID            ÉQUIPE                TYPE          AUTH    NOM                   ÉTAT',
    active: 'active',
    revokedState: 'révoquée',
  },
} as const;

export class IntegrationUsageError extends Error {}

const translators = { en: translator(words.en, 'en'), fr: translator<Words<(typeof words)['en']>>(words.fr, 'fr') };

function say(lang: 'en' | 'fr', key: keyof (typeof words)['en'], values: Record<string, string> = {}): string {
  return translators[lang](key, values);
}

const TeamNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a team name is 1–64 letters, digits, ".", "_" or "-"');

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new IntegrationUsageError(result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

export async function integrationCommand(args: string[], auth: string | undefined, storage: HubStorage, lang: 'en' | 'fr'): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'create') {
    const [teamName, kind, ...nameParts] = rest;
    const team = await storage.ensureTeam(parse(TeamNameSchema, teamName));
    const issued = await createIntegration(
      storage,
      team,
      parse(IntegrationNameSchema, nameParts.join(' ')),
      parse(AlertSourceKindSchema, kind),
      parse(z.enum(AUTH_MODES), auth ?? 'bearer'),
    );
    const { id, kind: k, auth: a } = issued.integration;
    console.error(say(lang, 'created', { id, kind: k, auth: a, team: team.name }));
    // Alone on stdout, so a script can capture it.
    console.log(issued.secret);
    return 0;
  }
  if (action === 'rotate' || action === 'revoke') {
    const id = parse(z.string().regex(INTEGRATION_ID_PATTERN, 'an integration id is 12 hexadecimal digits (see integration list)'), rest[0]);
    if (action === 'rotate') {
      const issued = await rotateIntegration(storage, id);
      if (!issued) {
        console.error(say(lang, 'notFound', { id }));
        return 1;
      }
      console.error(say(lang, 'rotated', { id }));
      console.log(issued.secret);
      return 0;
    }
    if (!(await revokeIntegration(storage, id))) {
      console.error(say(lang, 'notFound', { id }));
      return 1;
    }
    console.log(say(lang, 'revoked', { id }));
    return 0;
  }
  if (action === 'list') {
    const all = await listIntegrations(storage);
    if (all.length === 0) {
      console.log(say(lang, 'none'));
      return 0;
    }
    console.log(say(lang, 'header'));
    for (const i of all) {
      console.log(
        `${i.id}  ${i.teamName.padEnd(20)}  ${i.kind.padEnd(12)}  ${i.auth.padEnd(6)}  ${i.name.padEnd(20)}  ${say(lang, i.revokedAt === null ? 'active' : 'revokedState')}`,
      );
    }
    return 0;
  }
  throw new IntegrationUsageError(`unknown integration action "${action ?? ''}"`);
}
