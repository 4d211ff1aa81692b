import type { TFunction } from 'i18next';
import { parseDuration } from '../../../shared/time/duration.js';

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
 * A settings field, read with the one duration grammar (shared/time/duration.ts): "15m",
 * "15 min", "4h", "1h30", "3d", "3j", a bare number of minutes. Empty gives null (best effort
 * / off); anything else unreadable gives undefined.
 */
export function parseDurationInput(text: string): number | null | undefined {
  if (!text.trim()) return null;
  return parseDuration(text) ?? undefined;
}

/** A countdown as short as it reads: "04:59" under an hour, "1:59:59" past it. */
export function compactClock(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const pad = (n: number) => String(n).padStart(2, '0');
  const mmss = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return hours ? `${hours}:${mmss}` : mmss;
}
