import { describe, expect, it } from 'vitest';
import { dailyPattern, isDueToday, lastScheduledRun, localDate } from '../../src/digest/schedule.js';

const at = (iso: string) => new Date(iso);

describe('digest schedule', () => {
  it('turns instants into local dates per time zone', () => {
    const instant = at('2026-11-27T22:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-11-27');
    expect(localDate(instant, 'Europe/Kyiv')).toBe('2026-11-28');
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-11-27');
  });

  it('builds a daily cron pattern from HH:MM', () => {
    expect(dailyPattern('09:05')).toBe('0 5 9 * * *');
  });

  it('follows a daylight-saving change: 09:00 in Kyiv is 07:00 UTC in winter and 06:00 UTC in summer', () => {
    expect(lastScheduledRun(at('2026-03-28T12:00:00Z'), '09:00', 'Europe/Kyiv')?.toISOString()).toBe(
      '2026-03-28T07:00:00.000Z',
    );
    expect(lastScheduledRun(at('2026-03-29T12:00:00Z'), '09:00', 'Europe/Kyiv')?.toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });

  it('still runs once on a day when the local time does not exist (spring forward)', () => {
    const run = lastScheduledRun(at('2026-03-08T12:00:00Z'), '02:30', 'America/New_York');
    expect(run && localDate(run, 'America/New_York')).toBe('2026-03-08');
  });

  it('is due from the scheduled time until the local day ends, never for a previous day', () => {
    expect(isDueToday(at('2026-11-27T06:59:00Z'), '09:00', 'Europe/Kyiv')).toBe(false);
    expect(isDueToday(at('2026-11-27T07:00:00Z'), '09:00', 'Europe/Kyiv')).toBe(true);
    expect(isDueToday(at('2026-11-27T21:59:00Z'), '09:00', 'Europe/Kyiv')).toBe(true);
    // Past local midnight the new day's digest is not due until 09:00 again.
    expect(isDueToday(at('2026-11-27T22:00:00Z'), '09:00', 'Europe/Kyiv')).toBe(false);
  });

  it('reads the same instant differently in different zones', () => {
    const instant = at('2026-11-27T15:00:00Z');
    expect(isDueToday(instant, '09:00', 'America/New_York')).toBe(true);
    expect(isDueToday(instant, '09:00', 'America/Los_Angeles')).toBe(false);
    expect(isDueToday(instant, '09:00', 'Asia/Tokyo')).toBe(false);
  });
});
