import { LocalDayError } from './errors.js';

/**
 * Days as a program's customers live them: a meter-day is a local calendar day of the program's
 * IANA time zone, so a day of daylight-saving change has 23 or 25 hours (92 or 100 quarter-hours in
 * Europe/Rome). Baselines compare like intervals by local clock time: every day is laid on a
 * clock grid of 1440 / intervalMinutes slots (slot k = the local wall-clock time k × interval after
 * midnight). On a 23-hour day the skipped hour's slots have no interval; on a 25-hour day the
 * repeated hour's two intervals share their slots. docs/dr-contract.md states what the contract
 * does with each.
 *
 * Pure and deterministic given the time-zone database: Node's ICU data, the same on every peer that
 * runs the contract (they run one Node build). On the ground floor because the VTN (program zones),
 * the DR contract and the dashboard all count days this way.
 */
export interface LocalDay {
  readonly date: string;
  readonly timeZone: string;
  readonly intervalMinutes: number;
  /** The first instant of the local day and of the next one (epoch ms). */
  readonly startMs: number;
  readonly endMs: number;
  /** How many intervals the day has (96 on an ordinary day of quarter-hours, 92 or 100 on a change day). */
  readonly intervals: number;
  /** The clock-grid slot of each interval, in order (repeated on a 25-hour day, with a gap on a 23-hour day). */
  readonly slots: readonly number[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MINUTE = 60_000;

// One formatter per zone (Intl formatters are costly to build); bounded, zones in use are few.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    } catch {
      throw new LocalDayError(`'${timeZone}' is not an IANA time zone`);
    }
    if (formatters.size >= 64) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date (YYYY-MM-DD) and minute of the day of an instant. */
export function localClock(ms: number, timeZone: string): { date: string; minuteOfDay: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function localDateOf(ms: number, timeZone: string): string {
  return localClock(ms, timeZone).date;
}

/** Throws unless `timeZone` names a zone of the database. */
export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The first instant (to the minute) whose local date is `date` or later: local midnight, or the first minute after a skipped one. */
function startOfLocalDate(date: string, timeZone: string): number {
  const m = DATE.exec(date);
  if (!m) throw new LocalDayError(`'${date}' is not a YYYY-MM-DD date`);
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Every zone's offset lies within ±15 h of UTC: the local midnight is in this range, found by bisection to the minute.
  let lo = (utcMidnight - 15 * 60 * MINUTE) / MINUTE;
  let hi = (utcMidnight + 15 * 60 * MINUTE) / MINUTE;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDateOf(mid * MINUTE, timeZone) >= date) hi = mid;
    else lo = mid + 1;
  }
  return lo * MINUTE;
}

const nextDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

// Days are asked for again and again (every meter, every event): remembered, bounded.
const days = new Map<string, LocalDay>();

/** The local day `date` of `timeZone`, cut into intervals of `intervalMinutes`. */
export function localDay(date: string, timeZone: string, intervalMinutes: number): LocalDay {
  const cacheKey = `${timeZone}|${date}|${intervalMinutes}`;
  const cached = days.get(cacheKey);
  if (cached) return cached;
  if (!Number.isInteger(intervalMinutes) || intervalMinutes <= 0 || 1440 % intervalMinutes !== 0) throw new LocalDayError('intervalMinutes must divide a day');
  const startMs = startOfLocalDate(date, timeZone);
  const endMs = startOfLocalDate(nextDate(date), timeZone);
  const intervalMs = intervalMinutes * MINUTE;
  if ((endMs - startMs) % intervalMs !== 0) throw new LocalDayError(`${date} in ${timeZone} lasts ${(endMs - startMs) / MINUTE} minutes, not a whole number of ${intervalMinutes}-minute intervals`);
  const intervals = (endMs - startMs) / intervalMs;
  const slots = Array.from({ length: intervals }, (_, k) => Math.floor(localClock(startMs + k * intervalMs, timeZone).minuteOfDay / intervalMinutes));
  const day: LocalDay = { date, timeZone, intervalMinutes, startMs, endMs, intervals, slots };
  if (days.size >= 4096) days.clear();
  days.set(cacheKey, day);
  return day;
}

/** The local day and the interval of that day an instant falls in. */
export function intervalAt(ms: number, timeZone: string, intervalMinutes: number): { day: LocalDay; index: number } {
  const day = localDay(localDateOf(ms, timeZone), timeZone, intervalMinutes);
  return { day, index: Math.floor((ms - day.startMs) / (intervalMinutes * MINUTE)) };
}

/** Slots of the clock grid for a day of `intervalMinutes` (96 for quarter-hours). */
export const gridSlots = (intervalMinutes: number): number => 1440 / intervalMinutes;

/**
 * A day's values laid on the clock grid: a repeated slot (25-hour day) takes the mean of its
 * intervals; a skipped slot (23-hour day) is interpolated linearly between the intervals on
 * either side of the gap, so that days of every length rank and average alike.
 */
export function toClockGrid(values: readonly number[], day: LocalDay): number[] {
  if (values.length !== day.intervals) throw new LocalDayError(`${day.date} in ${day.timeZone} has ${day.intervals} intervals, got ${values.length} values`);
  const n = gridSlots(day.intervalMinutes);
  const total = new Array<number>(n).fill(0);
  const count = new Array<number>(n).fill(0);
  day.slots.forEach((slot, k) => { total[slot]! += values[k]!; count[slot]!++; });
  const grid = total.map((t, s) => (count[s]! > 0 ? t / count[s]! : NaN));
  for (let s = 0; s < n; s++) {
    if (!Number.isNaN(grid[s]!)) continue;
    let before = s - 1;
    while (before >= 0 && Number.isNaN(grid[before]!)) before--;
    let after = s + 1;
    while (after < n && Number.isNaN(grid[after]!)) after++;
    const left = before >= 0 ? grid[before]! : undefined;
    const right = after < n ? grid[after]! : undefined;
    grid[s] = left !== undefined && right !== undefined ? left + ((right - left) * (s - before)) / (after - before) : (left ?? right ?? 0);
  }
  return grid;
}

/** Grid values placed on a day's own intervals: each interval takes its slot's value (both intervals of a repeated slot). */
export function fromClockGrid(grid: readonly number[], day: LocalDay): number[] {
  if (grid.length !== gridSlots(day.intervalMinutes)) throw new LocalDayError(`a clock grid of ${day.intervalMinutes}-minute slots has ${gridSlots(day.intervalMinutes)} values, got ${grid.length}`);
  return day.slots.map((slot) => grid[slot]!);
}

/**
 * Per-interval values of a day (some undefined: intervals where nothing was asked) reduced to the
 * clock grid: a slot takes the mean of its defined intervals, undefined when it has none (a
 * skipped slot, or a slot never asked).
 */
export function sparseToClockGrid(values: readonly (number | undefined)[], day: LocalDay): (number | undefined)[] {
  const n = gridSlots(day.intervalMinutes);
  const total = new Array<number>(n).fill(0);
  const count = new Array<number>(n).fill(0);
  day.slots.forEach((slot, k) => {
    const v = values[k];
    if (v !== undefined) { total[slot]! += v; count[slot]!++; }
  });
  return total.map((t, s) => (count[s]! > 0 ? t / count[s]! : undefined));
}
