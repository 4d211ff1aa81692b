import type { TFunction } from 'i18next';
import { AUDIENCES, COMMS_CHANNELS, type EventEnvelope } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { describeEvent, SENTENCES_KEY, type Translate } from '../../../shared/record/sentences.js';
import { shortTime } from '../../ui/format.js';
import { dateLocales, i18n, isLanguage } from '../../i18n/index.js';
import { describeDuration } from '../clocks/duration-text.js';
import type { EntryText } from './entry-text.js';

export type { EntryText } from './entry-text.js';

export function audienceLabel(audience: string, t: TFunction): string {
  return (AUDIENCES as readonly string[]).includes(audience) ? t(`audience.${audience as (typeof AUDIENCES)[number]}`) : audience;
}

export function channelLabel(channel: string, t: TFunction): string {
  return (COMMS_CHANNELS as readonly string[]).includes(channel) ? t(`channel.${channel as (typeof COMMS_CHANNELS)[number]}`) : channel;
}

/** The shared catalogue (shared/record/sentences.ts) as the console's i18next mounts it. */
export function sentenceT(t: TFunction): Translate {
  const translate = t as unknown as (key: string, values?: object) => string;
  return (key, values) => translate(`${SENTENCES_KEY}.${key}`, values);
}

/**
 * The sentence a timeline row shows: the registry's sentence for its kind (the same the report
 * prints), in the console's language, naming tasks and audiences from the incident view.
 */
export function describeEntry(raw: EventEnvelope, view: IncidentView | null, t: TFunction): EntryText {
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  return describeEvent(raw, {
    t: sentenceT(t),
    view,
    time: (at) => shortTime(at, Date.now(), dateLocales[language]),
    duration: (ms) => describeDuration(ms, t),
  });
}
