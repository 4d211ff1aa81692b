import { createHash } from 'node:crypto';
import type { PublicStatus } from '../../shared/status/events.js';
import type { PublicIncident } from './store.js';
import { html, trustedHtml } from '../../shared/text/html.js';
import { labelOf, sentenceTranslator } from '../../shared/record/sentences.js';
import { translator, type Words } from '../../shared/text/translator.js';

/**
 * The public status page in three forms: HTML (no script at all, one inline style allowed by its
 * hash, every value escaped by the html`` tag (shared/text/html.ts), readable on a phone), JSON and an Atom feed. Everything shown was
 * published on purpose; it is still text from people, so it is escaped everywhere.
 */
export type Lang = 'en' | 'fr';
type Shown = PublicIncident & { visibility: NonNullable<PublicIncident['visibility']> };

const WORDS = {
  en: {
    allGood: 'No incident reported. All systems are operating normally.',
    affected: 'Affected services:',
    updated: 'Updated',
    feed: 'Subscribe (Atom feed)',
    json: 'JSON',
    other: 'Français',
  },
  fr: {
    allGood: 'Aucun incident signalé. Tous les services fonctionnent normalement.',
    affected: 'Services touchés :',
    updated: 'Mis à jour',
    feed: 'S’abonner (flux Atom)',
    json: 'JSON',
    other: 'English',
  },
} satisfies Record<Lang, Record<string, string>>;

/** The page's words (shared/text/translator.ts); a public status is said as the console says it (the record's sentence catalogue). */
const SAY = { en: translator(WORDS.en, 'en'), fr: translator<Words<typeof WORDS.en>>(WORDS.fr, 'fr') };
const statusWord = (lang: Lang, status: PublicStatus) => labelOf(sentenceTranslator(lang), 'publicStatus', status);

/** The Atom feed is XML, not HTML: its own escaping, and the control characters XML 1.0 forbids dropped. */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#111;background:#f6f7f9}
main{max-width:46rem;margin:0 auto;padding:1rem}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
h1{font-size:1.5rem;margin:.5rem 0}
article{background:#fff;border:1px solid #d0d4da;border-radius:8px;padding:1rem;margin:1rem 0}
h2{font-size:1.15rem;margin:0 0 .25rem}
.state{display:inline-block;font-weight:700;font-size:.85rem;padding:.1rem .5rem;border-radius:4px;background:#fde68a;color:#3b2f00}
.state.resolved{background:#bbf7d0;color:#073b1c}
ol{list-style:none;padding:0;margin:.5rem 0 0}
li{border-top:1px solid #e5e7eb;padding:.5rem 0}
p.body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0}
time,.muted{color:#4b5563;font-size:.9rem}
footer{font-size:.9rem;margin:1.5rem 0}
a{color:#1d4ed8}
@media (prefers-color-scheme:dark){body{background:#0b0f14;color:#e5e7eb}article{background:#111827;border-color:#374151}li{border-color:#374151}time,.muted{color:#9ca3af}a{color:#93c5fd}}`;

/** The one inline style, allowed by its hash: no 'unsafe-inline', and no script of any kind. */
export const STATUS_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const iso = (ms: number) => new Date(ms).toISOString();

function when(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(ms) + ' UTC';
}

export function renderHtml(pageName: string, team: string, incidents: Shown[], lang: Lang): string {
  const w = SAY[lang];
  const otherLang: Lang = lang === 'en' ? 'fr' : 'en';
  const base = `/status/${encodeURIComponent(team)}`;
  const state = (status: PublicStatus) => html`<span class="state${status === 'resolved' ? ' resolved' : ''}">${statusWord(lang, status)}</span>`;
  const items = incidents.map((incident) => {
    const latest = incident.updates[incident.updates.length - 1]!;
    const services = incident.visibility.services.length ? html`<p class="muted">${w('affected')} ${incident.visibility.services.join(', ')}</p>` : '';
    const updates = [...incident.updates]
      .reverse()
      .map((u) => html`<li>${state(u.status)} <time datetime="${iso(u.at)}">${when(u.at, lang)}</time><p class="body">${u.body}</p></li>`);
    return html`<article><h2>${incident.visibility.title}</h2><p>${state(latest.status)} <span class="muted">${w('updated')} <time datetime="${iso(latest.at)}">${when(latest.at, lang)}</time></span></p>${services}<ol>${updates}</ol></article>`;
  });
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${pageName}</title><link rel="alternate" type="application/atom+xml" href="${base}/feed.atom?lang=${lang}"><style>${trustedHtml(STYLE)}</style></head><body><main><header><h1>${pageName}</h1><a href="${base}?lang=${otherLang}" hreflang="${otherLang}">${w('other')}</a></header>${items.length ? items : html`<p>${w('allGood')}</p>`}<footer><a href="${base}/feed.atom?lang=${lang}">${w('feed')}</a> · <a href="${base}/status.json">${w('json')}</a></footer></main></body></html>`
    .markup;
}

export function renderJson(pageName: string, incidents: Shown[]): unknown {
  return {
    name: pageName,
    incidents: incidents.map((i) => ({
      id: i.incidentId,
      title: i.visibility.title,
      services: i.visibility.services,
      status: i.updates[i.updates.length - 1]!.status,
      updatedAt: iso(i.updates[i.updates.length - 1]!.at),
      updates: i.updates.map((u) => ({ id: u.draftId, status: u.status, body: u.body, publishedAt: iso(u.at) })),
    })),
  };
}

const xml = (text: string) => escapeXml(text).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** Atom (RFC 4287): one entry per published update, newest first. */
export function renderAtom(pageName: string, team: string, origin: string, incidents: Shown[], lang: Lang): string {
  const base = `${origin}/status/${encodeURIComponent(team)}`;
  const entries = incidents
    .flatMap((i) => i.updates.map((u) => ({ i, u })))
    .sort((a, b) => b.u.at - a.u.at)
    .map(
      ({ i, u }) =>
        `<entry><id>urn:uuid:${u.draftId}</id><title>${xml(`${i.visibility.title} — ${statusWord(lang, u.status)}`)}</title><updated>${iso(u.at)}</updated><link href="${xml(base)}?lang=${lang}"/><content type="text">${xml(u.body)}</content></entry>`,
    )
    .join('');
  const updated = incidents.length ? iso(Math.max(...incidents.flatMap((i) => i.updates.map((u) => u.at)))) : iso(0);
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}"><id>urn:warroom:status:${xml(team)}</id><title>${xml(pageName)}</title><updated>${updated}</updated><link rel="self" href="${xml(base)}/feed.atom?lang=${lang}"/><link href="${xml(base)}?lang=${lang}"/>${entries}</feed>`;
}
