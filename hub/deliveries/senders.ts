import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { translator } from '../../shared/text/translator.js';
import { md } from '../../shared/text/markdown.js';
import { toMarkdown } from '../../shared/comms/templates.js';
import type { ChannelConfig } from './config.js';
import { DELIVERY_FAILURE_TEXT, type DeliveryFailure, type DeliveryFailureCode } from '../../shared/deliveries/failures.js';

/** What goes out: the approved words, the incident's title, and the ids that make a retry recognisable. */
export interface Outgoing {
  /** `<update id>/<channel id>`: the idempotency key every channel receives. */
  deliveryId: string;
  draftId: string;
  incidentId: string;
  audience: string;
  subject: string;
  body: string;
  language: 'en' | 'fr';
  sentAt: number;
}

const ENGLISH = translator(DELIVERY_FAILURE_TEXT.en, 'en');

/** A failure's code and values (each cut to what the event carries), and its English words. */
export function deliveryFailure(code: DeliveryFailureCode, params: Record<string, string | number> = {}): { failure: DeliveryFailure; reason: string } {
  const values = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value).slice(0, 300)]));
  return { failure: { code, params: values }, reason: ENGLISH(code, values).trim() };
}

/**
 * A failure and whether trying again can help (a 400 from a webhook will not get better). It
 * carries its code and values for the consoles to say in their reader's language (shared/deliveries/failures.ts).
 */
export class DeliveryError extends Error {
  readonly failure: DeliveryFailure;
  constructor(
    code: DeliveryFailureCode,
    params: Record<string, string | number>,
    readonly retryable: boolean,
  ) {
    const said = deliveryFailure(code, params);
    super(said.reason);
    this.failure = said.failure;
    this.name = 'DeliveryError';
  }
}

/**
 * The request went out whole and no answer came (a timeout or a dropped connection after the
 * data): the receiver may have acted on it. Sending again is safe only where the receiver dedupes
 * on the idempotency key; elsewhere the delivery fails with this reason and is never sent twice.
 */
export class AmbiguousDelivery extends DeliveryError {
  constructor(code: 'no_answer' | 'smtp_no_answer', params: Record<string, string>) {
    super(code, params, false);
    this.name = 'AmbiguousDelivery';
  }
}

/** The subject line in the update's language (French typography wants a space before the colon). */
const SUBJECT = {
  en: translator({ subject: 'Incident update: {{subject}}' }, 'en'),
  fr: translator({ subject: 'Point de situation : {{subject}}' }, 'fr'),
};

export function subjectOf(item: Outgoing): string {
  return SUBJECT[item.language]('subject', { subject: item.subject });
}

/** Slack's mrkdwn: &, < and > are its only control characters (api.slack.com/reference/surfaces/formatting#escaping). */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The JSON body each chat service documents for its incoming webhooks. */
export function webhookPayload(channel: Exclude<ChannelConfig, { kind: 'email' }>, item: Outgoing): unknown {
  const subject = subjectOf(item);
  switch (channel.kind) {
    case 'slack':
      // Incoming webhooks: `text` is the notification fallback; blocks carry the layout.
      return {
        text: slackEscape(`${subject}\n${item.body}`),
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150) } },
          { type: 'section', text: { type: 'mrkdwn', text: slackEscape(item.body).slice(0, 3000) } },
        ],
      };
    case 'teams':
      // An Adaptive Card in a message, as Teams incoming webhooks (and Workflows) accept it.
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                { type: 'TextBlock', text: subject, weight: 'Bolder', size: 'Medium', wrap: true },
                { type: 'TextBlock', text: item.body, wrap: true },
              ],
            },
          },
        ],
      };
    case 'mattermost':
      // Mattermost renders Markdown in `text`: a heading line carries the subject, the update is
      // written as the console's copy-as-Markdown writes it, everything typed escaped (md``).
      return { text: `${md`#### ${subject}`.text}\n${toMarkdown(item.body)}` };
    case 'webhook':
      return {
        id: item.deliveryId,
        updateId: item.draftId,
        incidentId: item.incidentId,
        audience: item.audience,
        subject,
        body: item.body,
        language: item.language,
        sentAt: new Date(item.sentAt).toISOString(),
      };
  }
}

export interface SendOptions {
  timeoutMs: number;
  /** The origins and SMTP servers the configuration names; anything else is refused before connecting. */
  allowed: Set<string>;
}

/**
 * One POST with node:http(s) rather than fetch, because the outcome of a failure depends on how far
 * the request went: until the whole body has been handed to a connected socket ('finish') the
 * receiver cannot have acted on it and trying again is safe; after that, a timeout or a dropped
 * connection leaves it unknown. The generic webhook is then sent again with the same
 * Idempotency-Key and the same bytes (its receivers dedupe on it, hub/README.md says so); Slack,
 * Teams and Mattermost honour no such key, so there it is an AmbiguousDelivery and never sent twice.
 * No redirects are followed: a 3xx must not take the update (or a signature) to a host the
 * configuration does not name.
 */
async function postJson(channel: Exclude<ChannelConfig, { kind: 'email' }>, item: Outgoing, options: SendOptions): Promise<void> {
  const url = new URL(channel.url);
  if (!options.allowed.has(url.origin)) throw new DeliveryError('target_not_allowed', { target: url.origin }, false);
  const body = Buffer.from(JSON.stringify(webhookPayload(channel, item)), 'utf8');
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    'idempotency-key': item.deliveryId,
    'user-agent': 'Warroom-hub',
  };
  if (channel.kind === 'webhook') headers['x-warroom-signature'] = `sha256=${createHmac('sha256', channel.secret).update(body).digest('hex')}`;
  let sentWhole = false;
  let answer: { status: number; detail: string };
  try {
    answer = await new Promise((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request(url, { method: 'POST', headers });
      const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
      request.on('finish', () => (sentWhole = true));
      request.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      request.on('response', (response) => {
        let detail = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (detail.length < 200) detail += chunk;
        });
        response.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: response.statusCode ?? 0, detail: detail.slice(0, 200) });
        });
        response.on('error', (error) => {
          clearTimeout(deadline);
          reject(error);
        });
      });
      request.end(body);
    });
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (!sentWhole) throw new DeliveryError('unreachable', { host: url.host, cause }, true);
    if (channel.kind === 'webhook') throw new DeliveryError('no_answer_resent', { host: url.host, cause }, true);
    throw new AmbiguousDelivery('no_answer', { host: url.host, cause });
  }
  if (answer.status >= 200 && answer.status < 300) return;
  const retryable = answer.status >= 500 || answer.status === 408 || answer.status === 429;
  throw new DeliveryError('http_status', { host: url.host, status: answer.status, detail: answer.detail }, retryable);
}

/**
 * One mail over one SMTP session, driven step by step (nodemailer's SMTPConnection rather than its
 * transport) so a failure can be placed: before the server said 354 to DATA nothing of the message
 * reached it and trying again is safe; once the message started to flow, a timeout or a dropped
 * connection leaves it unknown whether the server kept it (RFC 1047: the reply to the final dot is
 * lost), and sending again could reach every reader twice. That case is an AmbiguousDelivery, which
 * the worker never retries. The Message-ID and X-Warroom-Delivery-Id are derived from the update and
 * channel, the same on every attempt, so a mail system that dedupes on Message-ID drops a copy.
 */
async function sendMail(channel: Extract<ChannelConfig, { kind: 'email' }>, item: Outgoing, options: SendOptions): Promise<void> {
  const { smtp } = channel;
  if (!options.allowed.has(`smtp://${smtp.host}:${smtp.port}`)) throw new DeliveryError('target_not_allowed', { target: `${smtp.host}:${smtp.port}` }, false);
  const composed = new MailComposer({
    from: channel.from,
    to: channel.to,
    subject: subjectOf(item),
    text: item.body,
    messageId: mailMessageId(item.deliveryId),
    headers: { 'X-Warroom-Delivery-Id': item.deliveryId, 'Content-Language': item.language },
  }).compile();
  const message = await composed.build();
  const envelope = composed.getEnvelope();
  const connection = new SMTPConnection({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    ...(smtp.caFile ? { tls: { ca: [readFileSync(smtp.caFile)] } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  // Read by the connection only once the server has answered DATA with 354.
  let messageFlowing = false;
  const source = new Readable({
    read() {
      messageFlowing = true;
      this.push(message);
      this.push(null);
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect((error) => {
        if (error) return reject(error);
        const deliver = () =>
          connection.send({ from: envelope.from || channel.from, to: envelope.to }, source, (sendError) => (sendError ? reject(sendError) : resolve()));
        if (!smtp.auth) return deliver();
        connection.login({ user: smtp.auth.user, pass: smtp.auth.pass }, (loginError) => (loginError ? reject(loginError) : deliver()));
      });
    });
  } catch (error) {
    const e = error as { responseCode?: number; code?: string; message: string };
    // A reply from the server after the data (a 4xx/5xx to the final dot) is an answer, not a doubt.
    if (messageFlowing && e.responseCode === undefined) {
      throw new AmbiguousDelivery('smtp_no_answer', { server: smtp.host, detail: e.message.slice(0, 120) });
    }
    // 5xx from the server is a refusal (bad address, auth refused); connection problems and 4xx may pass later.
    const retryable = e.responseCode === undefined || e.responseCode < 500;
    throw new DeliveryError('smtp', { server: smtp.host, detail: e.message.slice(0, 200) }, retryable && e.code !== 'EAUTH');
  } finally {
    connection.close();
  }
}

/** The Message-ID of an update's mail on a channel, the same on every attempt. */
export function mailMessageId(deliveryId: string): string {
  return `<${deliveryId.replace('/', '.')}@warroom.invalid>`;
}

export async function send(channel: ChannelConfig, item: Outgoing, options: SendOptions): Promise<void> {
  return channel.kind === 'email' ? sendMail(channel, item, options) : postJson(channel, item, options);
}
