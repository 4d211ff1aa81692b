import type { TFunction } from 'i18next';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A target or an interval in words: "15 min", "4 h", "1 h 30 min", "3 days". */
export function describeDuration(ms: number, t: TFunction): string {
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.round((ms % HOUR) / MIN);
  const parts = [
    days ? t('units.days', { count: days }) : '',
    hours ? t('units.hours', { count: hours }) : '',
    minutes || (!days && !hours) ? t('units.minutes', { count: minutes }) : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/**
 * What a settings field shows: "15m", "4h", "1h30m", "3d" (or "3j" in French). Compact,
 * because the same field takes it back as typed.
 */
export function durationInput(ms: number | null, dayUnit: string): string {
  if (ms === null) return '';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.round((ms % HOUR) / MIN);
  return [days ? `${days}${dayUnit}` : '', hours ? `${hours}h` : '', minutes ? `${minutes}m` : ''].join('') || '0m';
}

/**
 * Reads "15m", "15 min", "4h", "1h30", "1h 30m", "3d", "3j" (French jours) or a bare number
 * of minutes. Empty gives null (best effort / off); anything else unreadable gives undefined.
 */
export function parseDurationInput(text: string): number | null | undefined {
  const value = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * MIN;
  const match = /^(?:(\d+)(?:d|j|days?|jours?))?(?:(\d+)h(?:(\d+)(?:m|min)?)?)?(?:(\d+)(?:m|min))?$/.exec(value);
  if (!match || match.slice(1).every((g) => g === undefined)) return undefined;
  // "1h30" and "1h30m" both mean ninety minutes; "1h 30m" too once spaces are gone.
  if (match[3] !== undefined && match[4] !== undefined) return undefined;
  const [days, hours, minutesAfterHours, minutes] = match.slice(1).map((g) => (g === undefined ? 0 : Number(g))) as [number, number, number, number];
  return days * DAY + hours * HOUR + (minutesAfterHours + minutes) * MIN;
}

/** A countdown as short as it reads: "04:59" under an hour, "1:59:59" past it. */
export function compactClock(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const pad = (n: number) => String(n).padStart(2, '0');
  const mmss = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return hours ? `${hours}:${mmss}` : mmss;
}
