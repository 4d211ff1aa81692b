import { z } from 'zod';
import { TimeZoneNameSchema } from '../record/events.js';

/**
 * The IANA name as this machine's time-zone data spells it ("asia/tokyo" → "Asia/Tokyo"),
 * or null when the data does not know the zone. Intl is the zone database every runtime
 * (Node, Chromium, Electron) ships, so no list of names needs keeping here.
 */
export function canonicalZone(name: string): string | null {
  if (!TimeZoneNameSchema.safeParse(name).success) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** What a user types as a zone: trimmed, checked against the zone data, stored in its canonical spelling. */
export const ZoneInputSchema = z
  .string()
  .trim()
  .max(64)
  .transform((name, ctx) => {
    const zone = canonicalZone(name);
    if (zone === null) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown time zone "${name}": use an IANA name such as Europe/Paris or America/New_York`,
        params: { reason: 'unknown_zone', value: name },
      });
      return z.NEVER;
    }
    return zone;
  });

export interface ZonedTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Offset from UTC in minutes at that moment (daylight saving included). */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock reading in `zone` at instant `at`; null for a zone this machine does not know. */
export function zonedTime(zone: string, at: number): ZonedTime | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(zone).formatToParts(at);
  } catch {
    return null;
  }
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const t = { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  const flooredAt = Math.floor(at / 60_000) * 60_000;
  return { ...t, offsetMinutes: Math.round((asUtc - flooredAt) / 60_000) };
}

/** "UTC+2", "UTC−3:30", "UTC": how far a zone stands from UTC at that moment. */
export function offsetLabel(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const sign = offsetMinutes > 0 ? '+' : '−';
  const abs = Math.abs(offsetMinutes);
  const minutes = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

/** The last segment of a zone name, readable: "America/New_York" → "New York". */
export function zoneCity(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}
