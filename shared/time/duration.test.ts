import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, formatDuration, HOUR_MS, looksLikeTime, MAX_DURATION_MS, MINUTE_MS, parseDuration } from './duration.js';

const MIN = MINUTE_MS;

describe('the one duration grammar (quick entry, task fields, settings)', () => {
  it('reads what may be typed', () => {
    const accepted: [string, number][] = [
      ['5', 5 * MIN],
      ['90', 90 * MIN],
      ['5m', 5 * MIN],
      ['5 m', 5 * MIN],
      ['5min', 5 * MIN],
      [' 15 min ', 15 * MIN],
      ['10 mins', 10 * MIN],
      ['5mn', 5 * MIN],
      ['90s', 90_000],
      ['30 sec', 30_000],
      ['4h', 4 * HOUR_MS],
      ['2H', 2 * HOUR_MS],
      ['1h30', 90 * MIN],
      ['1h 30', 90 * MIN],
      ['1h30m', 90 * MIN],
      ['1h 30m', 90 * MIN],
      ['1m30', 90_000],
      ['1m 30s', 90_000],
      ['3d', 3 * DAY_MS],
      ['3j', 3 * DAY_MS],
      ['2 jours', 2 * DAY_MS],
      ['1 day', DAY_MS],
      ['1d2h5m', DAY_MS + 2 * HOUR_MS + 5 * MIN],
      ['1d 2h 5m 10s', DAY_MS + 2 * HOUR_MS + 5 * MIN + 10_000],
      ['366d', MAX_DURATION_MS],
    ];
    for (const [typed, ms] of accepted) expect(parseDuration(typed), typed).toBe(ms);
  });

  it('refuses everything else, so a typo is shown rather than turned into another time', () => {
    const refused = [
      '',
      '   ',
      '0',
      '0m',
      '-5m',
      '-5x',
      '5x',
      '1.5h',
      'soon',
      'h',
      'm5',
      '14:30',
      '25:99',
      '5 weeks',
      '1h30 15m',
      '1m30 20s',
      '1h75',
      '1h30m20',
      '2d 3',
      '5m 2h',
      '367d',
      'in 5m',
      '+5m',
      '5m5m',
    ];
    for (const typed of refused) expect(parseDuration(typed), typed).toBeNull();
  });

  it('reads back every duration it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_DURATION_MS / 1000 }), (seconds) => {
        const ms = seconds * 1000;
        expect(parseDuration(formatDuration(ms))).toBe(ms);
        expect(parseDuration(formatDuration(ms, 'j'))).toBe(ms);
      }),
    );
  });

  it('tells a mistyped time from the words of a title', () => {
    for (const word of ['5m', '-5x', '25:99', '3', '+2h']) expect(looksLikeTime(word), word).toBe(true);
    for (const word of ['DNS', 'v2', '@ana', 'x5']) expect(looksLikeTime(word), word).toBe(false);
  });
});
