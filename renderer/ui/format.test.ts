import { describe, expect, it } from 'vitest';
import { enUS, fr } from 'date-fns/locale';
import { deadlineTime, describeClock, entryTime, fromLocalInput, neighbourColumn, splitDuration, splitServices, toLocalInput } from './format.js';
import type { SlaClock } from '../../shared/clocks/sla.js';

describe('durations and times', () => {
  it('splits a duration into days and a padded clock', () => {
    expect(splitDuration(0)).toEqual({ days: 0, hms: '00:00:00' });
    expect(splitDuration(59_999)).toEqual({ days: 0, hms: '00:00:59' });
    expect(splitDuration(3_723_000)).toEqual({ days: 0, hms: '01:02:03' });
    expect(splitDuration(86_400_000 + 3_723_000)).toEqual({ days: 1, hms: '01:02:03' });
    expect(splitDuration(-5)).toEqual({ days: 0, hms: '00:00:00' });
  });

  it("says a header deadline short: the time alone within a day (an evening P1's deadline after midnight), the weekday within the week, else the date", () => {
    const evening = new Date(2026, 11, 3, 21, 10).getTime();
    expect(deadlineTime(new Date(2026, 11, 3, 23, 5).getTime(), evening, fr)).toBe('23:05');
    expect(deadlineTime(new Date(2026, 11, 4, 0, 17).getTime(), evening, fr)).toBe('00:17');
    expect(deadlineTime(new Date(2026, 11, 4, 0, 17).getTime(), evening, enUS)).toBe('00:17');
    // Overdue since yesterday evening, less than a day ago.
    expect(deadlineTime(new Date(2026, 11, 2, 23, 50).getTime(), evening, enUS)).toBe('23:50');
    expect(deadlineTime(new Date(2026, 11, 5, 9, 0).getTime(), evening, fr)).toBe('sam. 09:00');
    expect(deadlineTime(new Date(2026, 11, 5, 9, 0).getTime(), evening, enUS)).toBe('Sat 09:00');
    expect(deadlineTime(new Date(2026, 11, 20, 9, 0).getTime(), evening, fr)).toBe('20 déc. 09:00');
  });

  it('shows only the clock time for today and adds the date otherwise', () => {
    const now = new Date(2025, 10, 25, 15, 0, 0).getTime();
    expect(entryTime(new Date(2025, 10, 25, 9, 5, 7).getTime(), now, enUS)).toBe('09:05:07');
    expect(entryTime(new Date(2025, 10, 24, 23, 59, 1).getTime(), now, enUS)).toBe('24 Nov 23:59:01');
    expect(entryTime(new Date(2025, 10, 24, 23, 59, 1).getTime(), now, fr)).toBe('24 nov. 23:59:01');
    expect(entryTime(new Date(2024, 0, 2, 3, 4, 5).getTime(), now, enUS)).toBe('2 Jan 2024 03:04:05');
  });

  it('round-trips datetime-local values through UTC milliseconds at minute precision', () => {
    const at = new Date(2025, 2, 30, 2, 30).getTime();
    expect(fromLocalInput(toLocalInput(at))).toBe(at);
    expect(toLocalInput(new Date(2025, 0, 5, 7, 8).getTime())).toBe('2025-01-05T07:08');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('not a date')).toBeNull();
  });
});

describe('splitServices', () => {
  it('splits on commas and drops blanks', () => {
    expect(splitServices(' checkout , payments-api,, ')).toEqual(['checkout', 'payments-api']);
    expect(splitServices('')).toEqual([]);
  });
});

describe('neighbourColumn', () => {
  it('moves one column at a time and stops at the edges', () => {
    expect(neighbourColumn('todo', 1)).toBe('doing');
    expect(neighbourColumn('doing', 1)).toBe('blocked');
    expect(neighbourColumn('blocked', -1)).toBe('doing');
    expect(neighbourColumn('todo', -1)).toBeNull();
    expect(neighbourColumn('done', 1)).toBeNull();
  });
});

describe('describeClock', () => {
  const base: SlaClock = {
    targetMs: 900_000,
    elapsedMs: 300_000,
    remainingMs: 600_000,
    fraction: 1 / 3,
    warning: false,
    breached: false,
    deadline: 0,
    stoppedAt: null,
    phase: 'running',
  };

  it('tells time left, amber past the warning share, red and by how much once breached', () => {
    expect(describeClock(base)).toEqual({ key: 'left', ms: 600_000, tone: 'ok' });
    expect(describeClock({ ...base, elapsedMs: 800_000, remainingMs: 100_000, warning: true })).toEqual({ key: 'left', ms: 100_000, tone: 'warning' });
    expect(describeClock({ ...base, elapsedMs: 960_000, remainingMs: -60_000, breached: true, phase: 'breached' })).toEqual({
      key: 'breachedBy',
      ms: 60_000,
      tone: 'breached',
    });
  });

  it('says met, paused or best effort', () => {
    expect(describeClock({ ...base, stoppedAt: 1, phase: 'met' })).toEqual({ key: 'met', ms: 300_000, tone: 'met' });
    expect(describeClock({ ...base, phase: 'paused' })).toEqual({ key: 'paused', ms: 600_000, tone: 'paused' });
    expect(describeClock({ ...base, targetMs: null, remainingMs: null, fraction: null, phase: 'none' })).toEqual({ key: 'bestEffort', ms: 0, tone: 'none' });
  });
});
