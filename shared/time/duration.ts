/**
 * The one duration grammar of the console: the quick-entry bar (`/task … @ana 5m`), the task
 * fields ("back to me in 5") and the team settings (SLA targets, cadences) all read a typed
 * duration through `parseDuration`, so the same words mean the same time everywhere.
 *
 *   duration := minutes | parts
 *   minutes  := N                       a bare number is minutes ("5")
 *   parts    := [N day] [N h [N]] [N min [N]] [N s]
 *               units in that order, each at most once, spaces allowed anywhere between;
 *               a last bare number after hours is minutes ("1h30", "1h 30"), after minutes alone
 *               seconds ("1m30"); "1h30m20" is refused
 *   day      := d | j | day | days | jour | jours      (French "j" for jours)
 *   h        := h | hr | hrs
 *   min      := m | mn | min | mins
 *   s        := s | sec | secs
 *
 * Zero, negative, fractional and anything longer than MAX_DURATION_MS are refused (null): a
 * typo must be shown to the person who typed it, never turned into some other duration.
 */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** A year and a day: no SLA target, cadence or check-back is longer. */
export const MAX_DURATION_MS = 366 * DAY_MS;

const GRAMMAR =
  /^(?:(\d{1,4})\s*(?:days?|jours?|d|j)\s*)?(?:(\d{1,4})\s*(?:hrs?|h)\s*(?:(\d{1,2})(?=\s*$))?\s*)?(?:(\d{1,5})\s*(?:mins?|mn|m)\s*(?:(\d{1,2})(?=\s*$))?\s*)?(?:(\d{1,6})\s*(?:secs?|s))?$/;

/** Milliseconds, or null when `input` is not a duration of this grammar. */
export function parseDuration(input: string): number | null {
  const text = input.trim().toLowerCase();
  if (!text) return null;
  let total: number;
  if (/^\d{1,6}$/.test(text)) total = Number(text) * MINUTE_MS;
  else {
    const match = GRAMMAR.exec(text);
    if (!match || match.slice(1).every((g) => g === undefined)) return null;
    const [days, hours, minutesAfterHours, minutes, secondsAfterMinutes, seconds] = match.slice(1).map((g) => (g === undefined ? 0 : Number(g))) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    // "1h30 15m" or "1m30 20s" say the same unit twice.
    if ((match[3] !== undefined && match[4] !== undefined) || (match[5] !== undefined && match[6] !== undefined)) return null;
    // "1h30m20": a bare number is seconds only right after minutes alone ("1m30"), as a stopwatch reads.
    if (match[5] !== undefined && match[2] !== undefined) return null;
    if (match[3] !== undefined && minutesAfterHours > 59) return null;
    if (match[5] !== undefined && secondsAfterMinutes > 59) return null;
    total = days * DAY_MS + hours * HOUR_MS + (minutesAfterHours + minutes) * MINUTE_MS + (secondsAfterMinutes + seconds) * SECOND_MS;
  }
  return total > 0 && total <= MAX_DURATION_MS ? total : null;
}

/**
 * Whether a word was meant as a time ("5m", "-5x", "25:99", "3") rather than as words of a
 * title: it starts with a digit, or a sign and a digit. Used to refuse a mistyped delay instead
 * of keeping it as text.
 */
export function looksLikeTime(word: string): boolean {
  return /^[+-]?\d/.test(word.trim());
}

/** The compact form the same grammar reads back: "15m", "4h", "1h30m", "3d" (or "3j"), "90s". */
export function formatDuration(ms: number, dayUnit: 'd' | 'j' = 'd'): string {
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  const seconds = Math.round((ms % MINUTE_MS) / SECOND_MS);
  return [days ? `${days}${dayUnit}` : '', hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', seconds ? `${seconds}s` : ''].join('') || '0m';
}
