import { describe, expect, it } from 'vitest';
import { fuzzyScore, rank } from './palette.js';

const ACTIONS = [
  'Log to the timeline: Decision',
  'Assign a role',
  'Pause the SLA clocks',
  'Add a task',
  'Switch to P1 · Payments down (Investigating)',
  'Dark theme',
  'Noter dans la chronologie : Décision',
];

describe('palette filter', () => {
  it('finds an action from a few letters of each word, in order', () => {
    expect(fuzzyScore('as ro', 'Assign a role')).not.toBeNull();
    expect(fuzzyScore('ro as', 'Assign a role')).not.toBeNull();
    expect(fuzzyScore('xyz', 'Assign a role')).toBeNull();
    expect(fuzzyScore('roel', 'Assign a role')).toBeNull();
  });

  it('ranks word starts and letters in a row above scattered letters', () => {
    expect(rank(ACTIONS, 'as ro', (a) => a)[0]).toBe('Assign a role');
    expect(rank(ACTIONS, 'task', (a) => a)[0]).toBe('Add a task');
    expect(rank(ACTIONS, 'p1', (a) => a)[0]).toBe('Switch to P1 · Payments down (Investigating)');
    expect(rank(ACTIONS, 'dark', (a) => a)[0]).toBe('Dark theme');
  });

  it('ignores case and accents, so French labels are found without them', () => {
    expect(rank(ACTIONS, 'noter decision', (a) => a)).toEqual(['Noter dans la chronologie : Décision']);
  });

  it('prefers a word starting with what was typed over letters scattered across another', () => {
    const actions = ['Roles: who does what (Incident)', 'Approve the update for Customers (E-mail)', 'Mark sent: the update for Executives (E-mail)'];
    expect(rank(actions, 'appro', (a) => a)[0]).toBe('Approve the update for Customers (E-mail)');
    expect(rank(actions, 'sent', (a) => a)[0]).toBe('Mark sent: the update for Executives (E-mail)');
    // A prefix beats the same letters found inside a word, and the label beats the words after it.
    expect(rank(['Unassigned tasks', 'Assign a role'], 'assign', (a) => a)[0]).toBe('Assign a role');
    expect(rank(['Pause the clocks Timeline', 'Timeline: jump to now'], 'timeline', (a) => a)[0]).toBe('Timeline: jump to now');
    // Words in the order typed: "urgency medium" is the urgency that is medium.
    const levels = ['P2 — impact Medium, urgency High', 'P2 — impact High, urgency Medium'];
    expect(rank(levels, 'P2 urgency medium', (a) => a)[0]).toBe('P2 — impact High, urgency Medium');
  });

  it('keeps every item in its order when nothing is typed', () => {
    expect(rank(ACTIONS, '  ', (a) => a)).toEqual(ACTIONS);
  });
});
