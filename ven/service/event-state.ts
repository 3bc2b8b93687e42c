import { durationToMs, type EventStatus, type OadrEvent } from '../../schemas/index.js';

/** One interval of one signal, placed in time. */
export interface SignalInterval {
  readonly signalName: string;
  readonly signalType: string;
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly value: number;
}

/** Start of the event for this VEN: dtstart plus the random offset it drew within startAfter. */
export function effectiveStart(event: OadrEvent, startOffsetMs: number): number {
  return event.activePeriod.dtstart.epochMs + startOffsetMs;
}

/** The event's status for this VEN at `now` (2.0b: far → near → active → completed, or cancelled). */
export function venStatus(event: OadrEvent, startOffsetMs: number, now: number): EventStatus {
  if (event.descriptor.eventStatus === 'cancelled') return 'cancelled';
  const start = effectiveStart(event, startOffsetMs);
  const length = durationToMs(event.activePeriod.duration, event.activePeriod.dtstart);
  if (length > 0 && now >= start + length) return 'completed';
  if (now >= start) return 'active';
  const rampUp = event.activePeriod.rampUp ? durationToMs(event.activePeriod.rampUp, event.activePeriod.dtstart) : 0;
  if (event.descriptor.eventStatus === 'near' || (rampUp > 0 && now >= start - rampUp)) return 'near';
  return 'far';
}

/** Every signal interval of the event, in time, intervals following each other from the (shifted) start. */
export function signalIntervals(event: OadrEvent, startOffsetMs: number): SignalInterval[] {
  const out: SignalInterval[] = [];
  for (const signal of event.signals) {
    let cursor = effectiveStart(event, startOffsetMs);
    signal.intervals.forEach((interval, index) => {
      const start = interval.dtstart ? interval.dtstart.epochMs + startOffsetMs : cursor;
      const length = interval.duration ? durationToMs(interval.duration, { epochMs: start, microsOfMs: 0 }) : 0;
      const payload = interval.payloads[0];
      out.push({ signalName: signal.signalName, signalType: signal.signalType, index, start, end: start + length, value: payload?.kind === 'float' ? payload.value : NaN });
      cursor = start + length;
    });
  }
  return out;
}

/** The value of each signal at `now` (only signals with an interval covering `now`). */
export function valuesAt(event: OadrEvent, startOffsetMs: number, now: number): SignalInterval[] {
  return signalIntervals(event, startOffsetMs).filter((i) => now >= i.start && now < i.end);
}
