import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { ChannelConfig } from './config.js';

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

/** A failure and whether trying again can help (a 400 from a webhook will not get better). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** French typography wants a space before the colon. */
const SUBJECT_PREFIX = { en: 'Incident update: ', fr: 'Point de situation : ' } as const;

export function subjectOf(item: Outgoing): string {
  return `${SUBJECT_PREFIX[item.language]}${item.subject}`;
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
      // Mattermost renders Markdown in `text`; a heading line carries the subject.
      return { text: `#### ${subject}\n${item.body}` };
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

async function postJson(channel: Exclude<ChannelConfig, { kind: 'email' }>, item: Outgoing, options: SendOptions): Promise<void> {
  const url = new URL(channel.url);
  if (!options.allowed.has(url.origin)) throw new DeliveryError(`${url.origin} is not a target the hub's configuration names`, false);
  const body = JSON.stringify(webhookPayload(channel, item));
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': item.deliveryId, 'user-agent': 'Warroom-hub' };
  if (channel.kind === 'webhook') headers['x-warroom-signature'] = `sha256=${createHmac('sha256', channel.secret).update(body).digest('hex')}`;
  let response: Response;
  try {
    // No redirects: a 3xx must not take the update (or a signature) to a host the configuration does not name.
    response = await fetch(url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new DeliveryError(`could not reach ${url.host}: ${cause ?? (error as Error).message}`, true);
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const detail = (await response.text().catch(() => '')).slice(0, 200);
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new DeliveryError(`${url.host} answered ${response.status}${detail ? `: ${detail}` : ''}`, retryable);
}

async function sendMail(channel: Extract<ChannelConfig, { kind: 'email' }>, item: Outgoing, options: SendOptions): Promise<void> {
  const { smtp } = channel;
  if (!options.allowed.has(`smtp://${smtp.host}:${smtp.port}`)) throw new DeliveryError(`${smtp.host}:${smtp.port} is not a server the hub's configuration names`, false);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    ...(smtp.auth ? { auth: { user: smtp.auth.user, pass: smtp.auth.pass } } : {}),
    ...(smtp.caFile ? { tls: { ca: [readFileSync(smtp.caFile)] } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  try {
    await transport.sendMail({
      from: channel.from,
      to: channel.to,
      subject: subjectOf(item),
      text: item.body,
      // The same id on every attempt: a mail system that saw it already can drop the copy.
      messageId: `<${item.deliveryId.replace('/', '.')}@warroom.invalid>`,
      headers: { 'X-Warroom-Delivery-Id': item.deliveryId, 'Content-Language': item.language },
    });
  } catch (error) {
    const e = error as { responseCode?: number; code?: string; message: string };
    // 5xx from the server is a refusal (bad address, auth refused); connection problems and 4xx may pass later.
    const retryable = e.responseCode === undefined || e.responseCode < 500 || e.code === 'ETIMEDOUT';
    throw new DeliveryError(`SMTP ${smtp.host}: ${e.message.slice(0, 200)}`, retryable && e.code !== 'EAUTH');
  } finally {
    transport.close();
  }
}

export async function send(channel: ChannelConfig, item: Outgoing, options: SendOptions): Promise<void> {
  return channel.kind === 'email' ? sendMail(channel, item, options) : postJson(channel, item, options);
}
