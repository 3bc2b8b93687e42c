import { baselineHighLowXofY, type EventWindow, type HighLowXofYOptions } from './baseline.js';
import type { DayProfile } from './profile.js';
import { InsufficientHistoryError } from '../errors.js';

/** How well a customer's baseline method predicted its own recent ordinary days. */
export interface BaselineAccuracy {
  /** The back-cast days, most recent first. */
  readonly days: string[];
  /** √(mean squared error) ÷ mean actual load, over the event window of every back-cast day. */
  readonly relativeRmse: number;
  /** Mean (baseline − actual) ÷ mean actual load: above 0 the method over-predicts (pays too much). */
  readonly relativeBias: number;
}

export interface AccuracyOptions extends HighLowXofYOptions {
  /** How many recent eligible days to back-cast (default 10). */
  readonly backcastDays?: number;
  /** Fewest back-cast days for a figure at all (default 5). */
  readonly minBackcastDays?: number;
}

const previousDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Baseline accuracy by back-casting, as PJM's and AEMO's baseline tests do: each of the most
 * recent non-event days before the notification is treated as if it had been an event day,
 * notified the day before, and baselined by the same method from the days before it; the
 * baseline is compared with what the meter actually drew there, over the event's intervals.
 * Undefined when fewer than `minBackcastDays` days can be back-cast (too little history).
 */
export function baselineAccuracy(history: readonly DayProfile[], notifiedOn: string, intervals: number, window: EventWindow, options: AccuracyOptions = {}): BaselineAccuracy | undefined {
  const wanted = options.backcastDays ?? 10;
  const targets = history.filter((p) => !p.eventDay && p.date < notifiedOn).sort((a, b) => (a.date < b.date ? 1 : -1)).slice(0, wanted);
  const days: string[] = [];
  let squared = 0;
  let difference = 0;
  let actual = 0;
  let count = 0;
  for (const day of targets) {
    let baseline: number[];
    try {
      // Only what was known before that day's notification: the day itself and later are not history.
      const known = history.filter((p) => p.date < day.date);
      baseline = baselineHighLowXofY(known, day.date, previousDay(day.date), intervals, options).values;
    } catch (error) {
      if (error instanceof InsufficientHistoryError) continue;
      throw error;
    }
    for (let k = window.start; k < window.end; k++) {
      const e = baseline[k]! - day.values[k]!;
      squared += e * e;
      difference += e;
      actual += day.values[k]!;
      count++;
    }
    days.push(day.date);
  }
  if (days.length < (options.minBackcastDays ?? 5) || count === 0) return undefined;
  const meanActual = actual / count;
  if (!(meanActual > 0)) return undefined;
  return { days, relativeRmse: Math.sqrt(squared / count) / meanActual, relativeBias: difference / count / meanActual };
}
