import { z } from 'zod';

/**
 * Why the hub could not deliver an update, as a code and its values rather than a sentence: the
 * hub has no reader, so each console says it in its reader's language (the timeline, the comms
 * pane, the report). The hub still writes an English `reason` beside it, made from these same
 * words, for consoles older than the code and for a code this version does not know yet.
 */
export const DELIVERY_FAILURE_TEXT = {
  en: {
    no_channel: 'no channel on the hub serves the audience “{{audience}}”',
    channel_removed: 'the channel “{{channel}}” is no longer in the hub’s configuration',
    target_not_allowed: '{{target}} is not a destination the hub’s configuration names',
    unreachable: 'could not reach {{host}} ({{cause}})',
    no_answer_resent: '{{host}} did not answer ({{cause}}); sent again under the same idempotency key',
    no_answer: '{{host}} received it but its answer never came ({{cause}}); it may or may not have been delivered, so it is not sent again',
    http_status: '{{host}} answered HTTP {{status}} {{detail}}',
    smtp: 'the mail server {{server}} refused or failed: {{detail}}',
    smtp_no_answer:
      'the mail server {{server}} took the message but its answer never came ({{detail}}); it may or may not have been delivered, so it is not sent again',
    hub_stopped: 'the hub stopped while sending; it may or may not have been delivered, so it is not sent again',
    unexpected: 'unexpected error on the hub: {{detail}}',
  },
  fr: {
    no_channel: 'aucun canal du hub ne dessert le public « {{audience}} »',
    channel_removed: 'le canal « {{channel}} » n’est plus dans la configuration du hub',
    target_not_allowed: '{{target}} n’est pas une destination nommée dans la configuration du hub',
    unreachable: 'impossible de joindre {{host}} ({{cause}})',
    no_answer_resent: '{{host}} n’a pas répondu ({{cause}}) ; renvoyé sous la même clé d’idempotence',
    no_answer: '{{host}} l’a reçu mais sa réponse n’est jamais venue ({{cause}}) ; livré ou non, il n’est pas renvoyé',
    http_status: '{{host}} a répondu HTTP {{status}} {{detail}}',
    smtp: 'le serveur de mail {{server}} a refusé ou échoué : {{detail}}',
    smtp_no_answer: 'le serveur de mail {{server}} a pris le message mais sa réponse n’est jamais venue ({{detail}}) ; livré ou non, il n’est pas renvoyé',
    hub_stopped: 'le hub s’est arrêté pendant l’envoi ; livré ou non, il n’est pas renvoyé',
    unexpected: 'erreur inattendue sur le hub : {{detail}}',
  },
} as const satisfies { en: Record<string, string>; fr: Record<string, string> };

export type DeliveryFailureCode = keyof (typeof DELIVERY_FAILURE_TEXT)['en'];
const CODES = new Set<string>(Object.keys(DELIVERY_FAILURE_TEXT.en));

/**
 * As it travels in a `delivery.outcome`. The code is any short word, not an enum: an event from a
 * newer hub with a code this console does not know must still be accepted (its English reason is
 * shown instead), not quarantined.
 */
export const DeliveryFailureSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z_]{0,39}$/),
  params: z.record(z.string().regex(/^[a-zA-Z]{1,20}$/), z.string().max(300)).refine((params) => Object.keys(params).length <= 8, 'at most 8 values'),
});
export type DeliveryFailure = z.infer<typeof DeliveryFailureSchema>;

export function isKnownFailure(code: string): code is DeliveryFailureCode {
  return CODES.has(code);
}

/** The words of a failure: its code said in the reader's language when known, else the hub's own reason. */
export function failureWords(
  outcome: { reason: string; failure?: DeliveryFailure | undefined },
  say: (code: DeliveryFailureCode, values: Record<string, string>) => string,
): string {
  const { failure } = outcome;
  return failure && isKnownFailure(failure.code) ? say(failure.code, failure.params).trim() : outcome.reason;
}
