/**
 * When digests are due. croner computes run times in each channel's time
 * zone, daylight-saving changes included; this module only asks it when
 * today's run is (or was) and turns instants into local dates.
 */
import { Cron } from 'croner';

/** The local calendar date of an instant in a time zone, YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** The cron pattern for a daily HH:MM. */
export function dailyPattern(time: string): string {
  const [hours, minutes] = time.split(':').map(Number);
  return `0 ${minutes ?? 0} ${hours ?? 0} * * *`;
}

/**
 * The most recent scheduled run at or before `now` for a daily `time` in
 * `timeZone`, or null if there was none in the last two days.
 */
export function lastScheduledRun(now: Date, time: string, timeZone: string): Date | null {
  const cron = new Cron(dailyPattern(time), { timezone: timeZone, paused: true });
  let run = cron.nextRun(new Date(now.getTime() - 48 * 3600_000));
  let last: Date | null = null;
  while (run && run.getTime() <= now.getTime()) {
    last = run;
    run = cron.nextRun(run);
  }
  cron.stop();
  return last;
}

/**
 * Whether a channel's digest for its current local day is due: today's
 * scheduled time has passed. A run missed while the bot was down is due
 * until the local day ends, and never later: a previous day's digest is
 * never posted.
 */
export function isDueToday(now: Date, time: string, timeZone: string): boolean {
  const last = lastScheduledRun(now, time, timeZone);
  return last !== null && localDate(last, timeZone) === localDate(now, timeZone);
}
