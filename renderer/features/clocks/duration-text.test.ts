import { describe, expect, it } from 'vitest';
import { compactClock, durationInput, parseDurationInput } from './duration-text.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('durations as typed in the settings', () => {
  it('reads minutes, hours, days (d or French j) and their mixes', () => {
    expect(parseDurationInput('15m')).toBe(15 * MIN);
    expect(parseDurationInput(' 15 min ')).toBe(15 * MIN);
    expect(parseDurationInput('90')).toBe(90 * MIN);
    expect(parseDurationInput('4h')).toBe(4 * HOUR);
    expect(parseDurationInput('1h30')).toBe(90 * MIN);
    expect(parseDurationInput('1h 30m')).toBe(90 * MIN);
    expect(parseDurationInput('3d')).toBe(3 * DAY);
    expect(parseDurationInput('3j')).toBe(3 * DAY);
    expect(parseDurationInput('2 jours')).toBe(2 * DAY);
    expect(parseDurationInput('1d2h5m')).toBe(DAY + 2 * HOUR + 5 * MIN);
  });

  it('empty means no clock; anything else unreadable is refused', () => {
    expect(parseDurationInput('')).toBeNull();
    expect(parseDurationInput('   ')).toBeNull();
    for (const bad of ['soon', '1.5h', '-5m', 'h', '1h30m20', '5 weeks', '14:30']) expect(parseDurationInput(bad)).toBeUndefined();
  });

  it('writes back what it reads, in the compact form', () => {
    for (const ms of [15 * MIN, 4 * HOUR, 90 * MIN, 3 * DAY, DAY + 2 * HOUR + 5 * MIN]) expect(parseDurationInput(durationInput(ms, 'd'))).toBe(ms);
    expect(durationInput(3 * DAY, 'j')).toBe('3j');
    expect(durationInput(null, 'd')).toBe('');
  });

  it('shows a countdown as short as it reads', () => {
    expect(compactClock(4 * MIN + 59_999)).toBe('04:59');
    expect(compactClock(HOUR + 59 * MIN + 59_000)).toBe('1:59:59');
    expect(compactClock(-5)).toBe('00:00');
  });
});
