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

  it('keeps every item in its order when nothing is typed', () => {
    expect(rank(ACTIONS, '  ', (a) => a)).toEqual(ACTIONS);
  });
});
