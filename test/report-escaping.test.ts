import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { HlcClock } from '../shared/record/hlc.js';
import { CHROMIUM, CHROMIUM_ARGS } from './e2e/harness.js';
import { fileText, openCore } from './library-fixtures.js';
import { declareInput, tempDir } from './helpers.js';

/**
 * The HTML report escapes by default (shared/text/html.ts): hostile text typed into every field
 * the report prints — titles, notes, names, audiences, review items, even the author's name from
 * another laptop — comes out as text. Checked by a real parser: Debian's Chromium opens the file
 * with scripts enabled and finds no script, no event-handler attribute, one stylesheet, and
 * every hostile value verbatim in the page's text.
 */

const HOSTILE = `<script>alert(1)</script> "onerror=alert(2) ' onfocus='alert(3) </style><b>bold</b>`;
const said = (field: string) => `${field} ${HOSTILE}`;

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

function hostileIncident() {
  const { core } = openCore(tempDir());
  const { incidentId } = core.handle('incident.declare', {
    ...declareInput,
    title: said('Title'),
    description: said('Description'),
    services: [said('Service')],
    reporter: said('Reporter'),
    commander: said('Commander'),
  });
  core.handle('incident.assignRole', { incidentId, role: 'scribe', person: said('Scribe') });
  const note = core.handle('timeline.log', { incidentId, entryKind: 'hypothesis', text: said('Note') });
  const secret = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'password hunter2' });
  core.handle('timeline.redact', { incidentId, targetId: secret.eventId, reason: said('Reason') });
  core.handle('task.create', { incidentId, title: said('Task'), owner: said('Owner'), kind: 'followup', dueAt: Date.UTC(2026, 11, 1) });
  const { draftId } = core.handle('comms.draft', { incidentId, audience: said('Audience'), channel: 'email', body: said('Body') });
  core.handle('comms.approve', { incidentId, draftId });
  core.handle('comms.send', { incidentId, draftId, channel: 'email' });
  core.handle('incident.setStatus', { incidentId, status: 'resolved' });
  core.handle('review.comment', { incidentId, targetId: note.eventId, text: said('Comment') });
  core.handle('review.saveWhy', { incidentId, why: said('Why'), because: said('Because'), cites: [] });
  core.handle('review.saveFactor', { incidentId, category: 'process', text: said('Factor'), cites: [] });
  core.handle('review.saveNote', { incidentId, section: 'lesson', text: said('Lesson'), cites: [] });
  // Someone on another laptop whose name is hostile too.
  const clock = new HlcClock('other-laptop', Date.now);
  core.ingest([
    {
      id: uuidv7(),
      incidentId,
      kind: 'timeline.entry',
      payload: { entryKind: 'finding', text: 'Error rate at 60%', occurredAt: Date.now() },
      actor: said('Actor'),
      deviceId: 'other-laptop',
      hlc: clock.tick(),
      recordedAt: Date.now(),
    },
  ]);
  return { core, incidentId };
}

const FIELDS = [
  'Title',
  'Description',
  'Service',
  'Reporter',
  'Commander',
  'Scribe',
  'Note',
  'Reason',
  'Task',
  'Owner',
  'Audience',
  'Body',
  'Comment',
  'Why',
  'Because',
  'Factor',
  'Lesson',
  'Actor',
];

describe('the HTML report shows hostile text as text', () => {
  test.each([
    ['en', 'screen'],
    ['fr', 'print'],
  ] as const)('in %s, %s layout', async (language, layout) => {
    const { core, incidentId } = hostileIncident();
    const file = core.handle('export.report', { incidentId, format: 'html', language, layout });
    const html = fileText(file);
    expect(html).not.toContain(HOSTILE);

    const context = await browser.newContext({ offline: true, javaScriptEnabled: true });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.setContent(html, { waitUntil: 'load' });
    const found = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      styles: document.querySelectorAll('style').length,
      bold: document.querySelectorAll('b').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`),
      ),
      title: document.title,
      h1: document.querySelector('h1')?.textContent,
      text: document.body.textContent ?? '',
    }));
    await context.close();
    expect(found).toMatchObject({ scripts: 0, styles: 1, bold: 0, handlers: [], h1: said('Title') });
    expect(found.title).toContain(said('Title'));
    for (const field of FIELDS) expect(found.text, field).toContain(said(field));
    expect(dialogs).toEqual([]);
  });
});
