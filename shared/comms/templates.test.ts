import { describe, expect, it } from 'vitest';
import { changesSince, MAX_CHANGES, toMarkdown } from './templates.js';
import type { Change } from '../record/fold.js';
import type { Status } from '../record/events.js';
import type { Priority } from '../incidents/priority.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 4, 10, 0);
const change = <T>(value: T, at: number, i: number): Change<T> => ({ eventId: String(i), value, at, hlc: String(i), actor: 'Ada' });

describe('what changed since the last update', () => {
  const view = {
    declaredAt: T0,
    statusChanges: [change<Status>('declared', T0, 0), change<Status>('investigating', T0 + 5 * MIN, 1), change<Status>('mitigated', T0 + 40 * MIN, 2)],
    priorityChanges: [change<Priority>('P2', T0, 0), change<Priority>('P1', T0 + 10 * MIN, 3)],
  };
  const decisions = [{ text: 'Roll back', at: T0 + 30 * MIN }];

  it('since the declaration: every status and priority change and decision, oldest first, not the declaration itself', () => {
    expect(changesSince(view, decisions, T0)).toEqual([
      { kind: 'status', status: 'investigating', at: T0 + 5 * MIN },
      { kind: 'priority', priority: 'P1', at: T0 + 10 * MIN },
      { kind: 'decision', text: 'Roll back', at: T0 + 30 * MIN },
      { kind: 'status', status: 'mitigated', at: T0 + 40 * MIN },
    ]);
  });

  it('since an update sent at 0:20: only what came after it', () => {
    expect(changesSince(view, decisions, T0 + 20 * MIN).map((c) => c.kind)).toEqual(['decision', 'status']);
    expect(changesSince(view, decisions, T0 + 40 * MIN)).toEqual([]);
  });

  it('keeps the newest few when much happened', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ text: `d${i}`, at: T0 + (i + 1) * MIN }));
    const kept = changesSince({ ...view, statusChanges: [], priorityChanges: [] }, many, T0);
    expect(kept).toHaveLength(MAX_CHANGES);
    expect(kept[kept.length - 1]).toMatchObject({ text: 'd19' });
  });
});

describe('Markdown copy', () => {
  it('bolds the heading and labels, keeps list items and line breaks', () => {
    const body = [
      'Internal update — Checkout down',
      'Status: Investigating · Priority: P1',
      'Since the last update (10:20):',
      '- Decision: Roll back (10:30)',
      '',
      'Next update: 11:00',
    ].join('\n');
    expect(toMarkdown(body)).toBe(
      [
        '**Internal update — Checkout down**',
        '',
        '**Status:** Investigating · Priority: P1  ',
        '**Since the last update (10:20):**',
        '- Decision: Roll back (10:30)',
        '',
        '**Next update:** 11:00',
        '',
      ].join('\n'),
    );
  });

  it('reads French labels with a space before the colon', () => {
    expect(toMarkdown('Titre\nStatut : En cours')).toBe('**Titre**\n\n**Statut:** En cours\n');
  });

  it('escapes what a person typed, so it is never formatting or HTML', () => {
    expect(toMarkdown('# Title <b>\n- item *x*')).toBe('**\\# Title &lt;b&gt;**\n\n- item \\*x\\*\n');
  });

  it('leaves a time in a sentence alone', () => {
    expect(toMarkdown('Head\nNext update by 14:45.')).toBe('**Head**\n\nNext update by 14:45.\n');
  });
});
