import { checkProfiles, isWeekend, meanProfile, sum, type DayProfile } from './profile.js';
import { ContractInputError, InsufficientHistoryError } from '../errors.js';

/** A baseline: the expected power per interval of the event day, and how it was obtained. */
export interface Baseline {
  readonly values: number[];
  readonly method: string;
  /** The history days it averages, most recent first: what a verifier recomputes. */
  readonly days: string[];
}

export interface HighLowXofYOptions {
  /** How many recent non-event days form the candidate set (seed: 35). */
  readonly y?: number;
  /** How many of them are averaged for a weekday event (HighXofY, seed: 21). */
  readonly xWeekday?: number;
  /** How many for a weekend event (LowXofY, seed: 14). */
  readonly xWeekend?: number;
  /**
   * The day the Y candidates are counted back from: the notification day (default — a baseline
   * known when the event is notified, as seed 002 §4.5 step 3 evaluates it at notification) or the
   * event day (the experiment of §5.4.1, which used the 35 recorded days before the event day).
   */
  readonly countFrom?: 'notification' | 'event';
  /** Fewest eligible days for a baseline (default: X for the event's day type). */
  readonly minDays?: number;
}

/** How many eligible days a HighXofY/LowXofY baseline of an event on `eventDate` needs. */
export function requiredBaselineDays(eventDate: string, options: HighLowXofYOptions = {}): number {
  return options.minDays ?? (isWeekend(eventDate) ? options.xWeekend ?? 14 : options.xWeekday ?? 21);
}

/** Non-event days strictly before `before`, most recent first; order of the input never matters. */
function eligibleDays(history: readonly DayProfile[], before: string, filter: (p: DayProfile) => boolean = () => true): DayProfile[] {
  const seen = new Set<string>();
  for (const p of history) {
    if (seen.has(p.date)) throw new ContractInputError(`two profiles for ${p.date}`);
    seen.add(p.date);
  }
  return history.filter((p) => !p.eventDay && p.date < before && filter(p)).sort((a, b) => (a.date < b.date ? 1 : -1));
}

/**
 * Seed 002 eq. 4.2–4.3. The candidate set is the Y most recent non-event days before the
 * notification day (or the event day, `countFrom`), all day types, as the seed says both methods
 * "work on the same set". For a weekday event the baseline averages the X days of that set with
 * the highest daily energy (HighXofY); for a weekend event, the X days with the lowest (LowXofY).
 * Ties go to the more recent day. With fewer than `minDays` candidates (default X) there is no
 * baseline: InsufficientHistoryError says how many there were. The method names what was used:
 * High21of35 is 21 days averaged of 35 candidates, High21of30 when only 30 were eligible.
 */
export function baselineHighLowXofY(history: readonly DayProfile[], eventDate: string, notifiedOn: string, intervals: number, options: HighLowXofYOptions = {}): Baseline {
  checkProfiles(history, intervals);
  const y = options.y ?? 35;
  const weekend = isWeekend(eventDate);
  const x = weekend ? options.xWeekend ?? 14 : options.xWeekday ?? 21;
  const before = options.countFrom === 'event' ? eventDate : notifiedOn;
  const candidates = eligibleDays(history, before).slice(0, y);
  const required = Math.max(1, requiredBaselineDays(eventDate, options));
  if (candidates.length < required) {
    throw new InsufficientHistoryError(candidates.length, required, `${candidates.length} non-event days before ${before}; a ${weekend ? 'Low' : 'High'}${x}of${y} baseline needs at least ${required}`);
  }
  const ranked = candidates
    .map((p, recency) => ({ p, energy: sum(p.values), recency }))
    .sort((a, b) => (weekend ? a.energy - b.energy : b.energy - a.energy) || a.recency - b.recency)
    .slice(0, x)
    .map((r) => r.p)
    .sort((a, b) => (a.date < b.date ? 1 : -1));
  return { values: meanProfile(ranked.map((p) => p.values), intervals), method: `${weekend ? 'Low' : 'High'}${ranked.length}of${candidates.length}`, days: ranked.map((p) => p.date) };
}

export interface EventWindow {
  /** First interval of the event (inclusive) and the interval after its end (exclusive). */
  readonly start: number;
  readonly end: number;
}

/** Multiplies the event intervals by avg(actual)/avg(baseline) over a window before the event, capped. */
function dayOfAdjustment(values: number[], dayOf: readonly number[] | undefined, event: EventWindow, window: EventWindow, cap: number): { values: number[]; factor: number } {
  if (!dayOf) return { values, factor: 1 };
  const actual = sum(dayOf.slice(window.start, window.end));
  const expected = sum(values.slice(window.start, window.end));
  if (expected <= 0) return { values, factor: 1 };
  const factor = Math.min(1 + cap, Math.max(1 - cap, actual / expected));
  return { values: values.map((v, k) => (k >= event.start && k < event.end ? v * factor : v)), factor };
}

export interface DayOfOptions {
  /** Today's readings before the event, for the day-of adjustment (same length as a profile). */
  readonly dayOf?: readonly number[];
  /** Adjustment window (default: for Avg10of10 the 4 hours, for High4of5 the 3 hours, ending 1 hour before the event). */
  readonly adjustmentWindow?: EventWindow;
  /** Cap of the multiplicative adjustment (default 0.2: ±20 %). */
  readonly cap?: number;
}

/**
 * Avg10of10: the mean of the 10 most recent non-event weekdays (the 4 most recent weekend days
 * for a weekend event), times an optional day-of factor capped at ±20 %. A generic shape of the
 * "10-in-10" family, not any ISO's rule as published (docs/dr-contract.md says how it differs).
 */
export function baselineAverage10of10(history: readonly DayProfile[], eventDate: string, intervals: number, event: EventWindow, options: DayOfOptions = {}): Baseline {
  checkProfiles(history, intervals);
  const weekend = isWeekend(eventDate);
  const days = eligibleDays(history, eventDate, (p) => isWeekend(p.date) === weekend).slice(0, weekend ? 4 : 10);
  if (days.length === 0) throw new ContractInputError(`no eligible ${weekend ? 'weekend' : 'weekday'} history before ${eventDate}`);
  const perHour = intervals / 24;
  const window = options.adjustmentWindow ?? { start: Math.max(0, event.start - 5 * perHour), end: Math.max(0, event.start - perHour) };
  const { values, factor } = dayOfAdjustment(meanProfile(days.map((p) => p.values), intervals), options.dayOf, event, window, options.cap ?? 0.2);
  return { values, method: `${weekend ? 'Avg4of4' : 'Avg10of10'} (day-of factor ${factor.toFixed(4)})`, days: days.map((p) => p.date) };
}

/**
 * High4of5: of the 5 most recent non-event weekdays, the 4 with the highest load over the event
 * window, averaged (no day-of adjustment unless given, then multiplicative and capped). A generic
 * shape of the "high 4 of 5" family, not PJM's CBL as published (docs/dr-contract.md).
 */
export function baselineHigh4of5(history: readonly DayProfile[], eventDate: string, intervals: number, event: EventWindow, options: DayOfOptions = {}): Baseline {
  checkProfiles(history, intervals);
  const days = eligibleDays(history, eventDate, (p) => !isWeekend(p.date)).slice(0, 5);
  if (days.length === 0) throw new ContractInputError(`no eligible weekday history before ${eventDate}`);
  const chosen = days
    .map((p, recency) => ({ p, load: sum(p.values.slice(event.start, event.end)), recency }))
    .sort((a, b) => b.load - a.load || a.recency - b.recency)
    .slice(0, 4)
    .map((r) => r.p)
    .sort((a, b) => (a.date < b.date ? 1 : -1));
  const perHour = intervals / 24;
  const window = options.adjustmentWindow ?? { start: Math.max(0, event.start - 4 * perHour), end: Math.max(0, event.start - perHour) };
  const { values } = dayOfAdjustment(meanProfile(chosen.map((p) => p.values), intervals), options.dayOf, event, window, options.cap ?? 0.2);
  return { values, method: 'High4of5', days: chosen.map((p) => p.date) };
}

/**
 * Meter-before/meter-after: the mean load of the `before` intervals just ahead of the event, held
 * flat over the event (intervals outside the event keep the day's readings).
 */
export function baselineMeterBeforeMeterAfter(dayOf: readonly number[], event: EventWindow, before = 1): Baseline {
  if (event.start - before < 0) throw new ContractInputError('meter-before needs readings before the event starts');
  const level = sum(dayOf.slice(event.start - before, event.start)) / before;
  return { values: dayOf.map((v, k) => (k >= event.start && k < event.end ? level : v)), method: `meter-before (${before} interval${before > 1 ? 's' : ''})`, days: [] };
}
