import { describe, expect, it } from 'vitest';
import { PayloadSchemas } from '../record/events.js';
import { canonicalZone, offsetLabel, zoneCity, zonedTime, ZoneInputSchema } from './zones.js';

describe('time zones', () => {
  it('accepts IANA names in any case and stores their canonical spelling', () => {
    expect(canonicalZone('Europe/Paris')).toBe('Europe/Paris');
    expect(canonicalZone('asia/tokyo')).toBe('Asia/Tokyo');
    expect(canonicalZone('UTC')).toBe('UTC');
    expect(ZoneInputSchema.parse(' america/new_york ')).toBe('America/New_York');
  });

  it('refuses what is not a zone, with the reason', () => {
    for (const bad of ['Mars/Olympus', '+01:00', 'Europe/Paris; DROP', '', '../etc/passwd']) expect(canonicalZone(bad)).toBeNull();
    expect(ZoneInputSchema.safeParse('Mars/Olympus').error?.issues[0]?.message).toMatch(/unknown time zone "Mars\/Olympus": use an IANA name/);
  });

  it('an event checks the shape only, so a zone unknown to an older laptop still syncs', () => {
    const schema = PayloadSchemas['incident.timezones'];
    expect(schema.safeParse({ zones: ['Mars/Olympus'], occurredAt: 0 }).success).toBe(true);
    expect(schema.safeParse({ zones: ['<script>'], occurredAt: 0 }).success).toBe(false);
  });

  it('reads the wall clock of a zone, across a date line and with daylight saving', () => {
    const summer = Date.UTC(2026, 6, 1, 22, 30);
    expect(zonedTime('Europe/Paris', summer)).toEqual({ year: 2026, month: 7, day: 2, hour: 0, minute: 30, offsetMinutes: 120 });
    expect(zonedTime('America/New_York', summer)).toMatchObject({ day: 1, hour: 18, minute: 30, offsetMinutes: -240 });
    expect(zonedTime('Asia/Kolkata', summer)).toMatchObject({ day: 2, hour: 4, minute: 0, offsetMinutes: 330 });
    const winter = Date.UTC(2026, 0, 15, 12, 0);
    expect(zonedTime('Europe/Paris', winter)).toMatchObject({ hour: 13, offsetMinutes: 60 });
    expect(zonedTime('Mars/Olympus', winter)).toBeNull();
  });

  it('labels offsets and cities for the clocks strip', () => {
    expect(offsetLabel(0)).toBe('UTC');
    expect(offsetLabel(120)).toBe('UTC+2');
    expect(offsetLabel(-210)).toBe('UTC−3:30');
    expect(zoneCity('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
    expect(zoneCity('UTC')).toBe('UTC');
  });
});
