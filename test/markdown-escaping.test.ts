import { describe, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { HlcClock } from '../shared/record/hlc.js';
import { toMarkdown } from '../shared/comms/templates.js';
import { webhookPayload } from '../hub/deliveries/senders.js';
import { fileText, openCore } from './library-fixtures.js';
import { declareInput, tempDir } from './helpers.js';

/**
 * Every Markdown we make escapes by default (md``, shared/text/markdown.ts): the report, an update
 * copied as Markdown and the hub's Mattermost post. Text a person typed — emphasis, a
 * javascript: link, an image, backticks, a heading or a list at the start of a line, a "|" in a
 * table cell, raw HTML, an entity — is fed through each, and the Markdown's structure must be
 * exactly the one the same text made of plain letters gives: nothing typed added a heading, a
 * list, a table cell, emphasis, code, a link or a tag.
 */

const LINE = '*e* __s__ [x](javascript:alert(1)) ![i](h:i) `code` <b>h</b> | c | ~~g~~ \\ &amp; #t';
const LINES = `${LINE}\n# Heading\n- item\n1. one\n2) two\n===\n    indented\n> quote`;

/** The same text with every character Markdown could read as markup made a letter (spaces, line breaks, "-", ":" and digits kept). */
const plain = (text: string) => text.replace(/[*_[\]()!`<>|~\\&#=+{}]/g, 'a');

/** A line's block start and how many unescaped markup characters it holds ("(" and "!" are markup only after a "[" or "]", counted as such). */
function structure(markdown: string) {
  return markdown.split('\n').map((line) => {
    const bare = line
      .replace(/\\[\s\S]/g, '')
      .replace(/&(amp|lt|gt);/g, '')
      .replace(/<br>/g, '');
    const start = /^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||={3,}|\s{4})/.exec(bare)?.[1] ?? '';
    const count = (c: string) => bare.split(c).length - 1;
    return [start, ...['|', '*', '_', '`', '[', ']', '](', '<', '>', '~', '#'].map(count)].join(' ');
  });
}

function hostileIncident(said: (field: string, multiline?: boolean) => string) {
  const { core } = openCore(tempDir());
  const { incidentId } = core.handle('incident.declare', {
    ...declareInput,
    title: said('Title'),
    description: said('Description', true),
    services: [said('Service')],
    reporter: said('Reporter'),
    commander: said('Commander'),
  });
  core.handle('incident.assignRole', { incidentId, role: 'scribe', person: said('Scribe') });
  const note = core.handle('timeline.log', { incidentId, entryKind: 'hypothesis', text: said('Note', true) });
  const secret = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'password hunter2' });
  core.handle('timeline.redact', { incidentId, targetId: secret.eventId, reason: said('Reason') });
  core.handle('task.create', { incidentId, title: said('Task'), owner: said('Owner'), kind: 'followup', dueAt: Date.UTC(2026, 11, 1) });
  const { draftId } = core.handle('comms.draft', { incidentId, audience: said('Audience'), channel: 'email', body: said('Body', true) });
  core.handle('comms.approve', { incidentId, draftId });
  core.handle('comms.send', { incidentId, draftId, channel: 'email' });
  core.handle('incident.setStatus', { incidentId, status: 'resolved' });
  core.handle('review.comment', { incidentId, targetId: note.eventId, text: said('Comment', true) });
  core.handle('review.saveWhy', { incidentId, why: said('Why', true), because: said('Because', true), cites: [] });
  core.handle('review.saveFactor', { incidentId, category: 'process', text: said('Factor', true), cites: [] });
  core.handle('review.saveNote', { incidentId, section: 'lesson', text: said('Lesson', true), cites: [] });
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

function reportMarkdownOf(language: 'en' | 'fr', hostile: boolean): string {
  const said = (field: string, multiline = false) => {
    const text = `${field} ${multiline ? LINES : LINE}`;
    return hostile ? text : plain(text);
  };
  const { core, incidentId } = hostileIncident(said);
  return fileText(core.handle('export.report', { incidentId, format: 'markdown', language }));
}

function expectNoMarkupFrom(markdown: string) {
  expect(markdown).not.toMatch(/(?<!\\)\]\(javascript:/);
  expect(markdown).not.toContain('<b>');
  expect(markdown).not.toMatch(/^# Heading/m);
  expect(markdown).not.toMatch(/(?<!\\)`code(?<!\\)`/);
}

describe('hostile text through every Markdown we make stays text', () => {
  test.each(['en', 'fr'] as const)('the report in %s', (language) => {
    const hostile = reportMarkdownOf(language, true);
    const benign = reportMarkdownOf(language, false);
    expect(hostile).toContain('javascript:alert');
    expectNoMarkupFrom(hostile);
    expect(structure(hostile)).toEqual(structure(benign));
  });

  test('an update copied as Markdown', () => {
    const body = `Checkout ${LINE}\nStatus: ${LINE}\n- ${LINE}\nWhat changed:\n${LINES}`;
    const hostile = toMarkdown(body);
    expectNoMarkupFrom(hostile);
    expect(structure(hostile)).toEqual(structure(toMarkdown(plain(body))));
  });

  test("the hub's Mattermost post", () => {
    const post = (text: string) => {
      const payload = webhookPayload({ kind: 'mattermost', id: 'mm', audiences: ['executives'], url: 'https://chat.example/hooks/x' } as never, {
        deliveryId: 'd/mm',
        draftId: 'd',
        incidentId: 'i',
        audience: 'executives',
        subject: text,
        body: `${text}\n${LINES}`,
        language: 'en',
        sentAt: 0,
      }) as { text: string };
      return payload.text;
    };
    const hostile = post(LINE);
    expectNoMarkupFrom(hostile);
    expect(hostile).toMatch(/^#### Incident update: /);
    expect(structure(hostile)).toEqual(structure(post(plain(LINE))));
  });
});
