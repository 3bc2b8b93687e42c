import { durationToMs } from '../../schemas/index.js';
import type { EventRecord, VenRecord } from './records.js';

/** Messages to this VEN are pushed (not left for its polls). */
export function isPushVen(ven: VenRecord): boolean {
  return ven.state === 'registered' && !ven.httpPullModel && ven.transportAddress !== undefined;
}

/** When an event stops mattering to a VEN: the end of its active period (plus the recovery period). */
export function eventEndsAt(e: EventRecord): number {
  const p = e.event.activePeriod;
  const length = durationToMs(p.duration, p.dtstart);
  // A zero duration means "until further notice" in 2.0b; keep such events for a year.
  return p.dtstart.epochMs + (length === 0 ? 365 * 86_400_000 : length) + (p.recovery ? durationToMs(p.recovery, p.dtstart) : 0);
}

/** The transport name of VENs that speak OpenADR 3 (REST): they read events and are notified, they poll no 2.0b outbox. */
export const OPENADR3_TRANSPORT = 'openadr3';
