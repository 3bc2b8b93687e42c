/**
 * Exact time values of the 2.0b model. Date-times are integer epoch milliseconds plus the
 * sub-millisecond digits as integer microseconds, never float seconds; durations keep their
 * calendar components, because a month has no fixed length.
 */

/** An instant in UTC. */
export interface DateTime {
  readonly epochMs: number;
  /** Microseconds within the millisecond (0–999), for peers that write six fractional digits. */
  readonly microsOfMs: number;
}

/** An ISO 8601 duration as xs:duration carries it (xcal DurationValueType); weeks are read as 7 days. */
export interface Duration {
  readonly negative: boolean;
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  /** Fractional seconds as integer milliseconds (0–999). */
  readonly milliseconds: number;
}

export const ZERO_DURATION: Duration = { negative: false, years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0, milliseconds: 0 };

export function dateTimeFromEpochMs(epochMs: number): DateTime {
  if (!Number.isSafeInteger(epochMs)) throw new RangeError(`epochMs must be an integer, got ${epochMs}`);
  return { epochMs, microsOfMs: 0 };
}

/** Builds a duration from exact milliseconds, split into days, hours, minutes, seconds. */
export function durationFromMs(totalMs: number): Duration {
  if (!Number.isSafeInteger(totalMs)) throw new RangeError(`duration must be integer milliseconds, got ${totalMs}`);
  const negative = totalMs < 0;
  let rest = Math.abs(totalMs);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return { ...ZERO_DURATION, negative, days, hours, minutes, seconds, milliseconds: rest - seconds * 1000 };
}

/**
 * Exact length in milliseconds. Years and months need the instant they start from, because
 * their length depends on the calendar; without one they are refused rather than guessed.
 */
export function durationToMs(duration: Duration, from?: DateTime): number {
  const fixed =
    duration.days * 86_400_000 +
    duration.hours * 3_600_000 +
    duration.minutes * 60_000 +
    duration.seconds * 1000 +
    duration.milliseconds;
  let calendar = 0;
  if (duration.years !== 0 || duration.months !== 0) {
    if (!from) throw new RangeError('a duration with years or months needs a start instant to be measured');
    const start = new Date(from.epochMs);
    const sign = duration.negative ? -1 : 1;
    const end = new Date(start.getTime());
    end.setUTCMonth(end.getUTCMonth() + sign * (duration.years * 12 + duration.months));
    calendar = Math.abs(end.getTime() - start.getTime());
  }
  const total = fixed + calendar;
  return duration.negative ? -total : total;
}

export function addDuration(at: DateTime, duration: Duration): DateTime {
  return { epochMs: at.epochMs + durationToMs(duration, at), microsOfMs: at.microsOfMs };
}
