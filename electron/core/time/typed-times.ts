import { refuse, type ApiError } from '../../../shared/api/api.js';
import { MAX_DURATION_MS } from '../../../shared/time/duration.js';
import { parseDelay } from '../../../shared/tasks/tasks.js';
import { resolveFutureTime, resolvePastTime, type TypedTime } from '../../../shared/time/typed-time.js';

/**
 * Moments people type, read by the core (issue #10, item 3): on the core's clock and in its time
 * zone, whatever the window's clock says. What cannot be read for sure is refused with a stable
 * reason (EN/FR in renderer/i18n/record.*.ts) and records nothing.
 */
export class TypedTimes {
  private zone: string | undefined;

  constructor(
    private readonly now: () => number,
    /** IANA name; this machine's zone unless the core was given one. */
    timeZone?: string,
  ) {
    this.zone = timeZone;
  }

  /** Asked the first time a typed time is read: loading the zone data took ~20 ms of the core's start. */
  get timeZone(): string {
    return (this.zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone);
  }

  /** When something happened: "14:32" (today, or yesterday when today's is to come), "-5m", "now", "2026-03-14 17:00". */
  past(typed: string): number {
    return this.take(resolvePastTime(typed, this.now(), this.timeZone), typed);
  }

  /** A moment to come: a delay, "14:32" (the next time this zone's clock shows it), "2026-03-14", "2026-03-14 17:00". */
  future(typed: string): number {
    // A delay ("5m", "in 10 min") needs no zone: it is counted from the core's now.
    const delay = parseDelay(typed);
    if (delay !== null) return this.now() + delay;
    return this.take(resolveFutureTime(typed, this.now(), this.timeZone, MAX_DURATION_MS), typed);
  }

  private take(result: TypedTime, typed: string): number {
    if (result.ok) return result.at;
    throw this.refusal(result.reason, typed.trim());
  }

  private refusal(reason: Exclude<TypedTime, { ok: true }>['reason'], value: string): ApiError {
    const zone = this.timeZone;
    switch (reason) {
      case 'ambiguous_time':
        return refuse('invalid_input', 'ambiguous_time', `${value} happens twice in ${zone} (the clocks go back): give it as a delay, e.g. -20m.`, {
          value,
          zone,
        });
      case 'skipped_time':
        return refuse('invalid_input', 'skipped_time', `${value} does not happen in ${zone} (the clocks go forward): give another time or a delay.`, {
          value,
          zone,
        });
      case 'time_not_ahead':
        return refuse('invalid_input', 'time_not_ahead', `${value} is not a moment to come (or is too far ahead).`, { value });
      case 'time_not_past':
        return refuse('invalid_input', 'time_not_past', `${value} is still to come on this console's clock: give when it happened.`, { value });
      case 'unreadable_time':
        return refuse('invalid_input', 'unreadable_time', `${value} is not a time this console can read (14:32, -5m, 2026-03-14 17:00).`, { value });
    }
  }
}
