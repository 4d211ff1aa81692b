import { describe, expect, it } from 'vitest';
import { LEVELS, priorityOf, type Level, type Priority } from './priority.js';

/** The ITIL matrix exactly as DOMAIN.md publishes it, one row per cell. */
const MATRIX: ReadonlyArray<[impact: Level, urgency: Level, priority: Priority]> = [
  ['high', 'high', 'P1'],
  ['high', 'medium', 'P2'],
  ['medium', 'high', 'P2'],
  ['high', 'low', 'P3'],
  ['medium', 'medium', 'P3'],
  ['low', 'high', 'P3'],
  ['medium', 'low', 'P4'],
  ['low', 'medium', 'P4'],
  ['low', 'low', 'P5'],
];

describe('priorityOf (ITIL impact × urgency)', () => {
  it.each(MATRIX)('impact %s × urgency %s → %s', (impact, urgency, priority) => {
    expect(priorityOf(impact, urgency)).toBe(priority);
  });

  it('the table above covers all nine cells once', () => {
    const cells = new Set(MATRIX.map(([i, u]) => `${i}×${u}`));
    expect(cells.size).toBe(LEVELS.length * LEVELS.length);
  });
});
