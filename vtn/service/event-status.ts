import { durationToMs, type EventStatus, type OadrEvent } from '../../schemas/index.js';
import type { EventRecord } from '../store/records.js';

/**
 * 2.0b event status at `now`: cancelled is stored; the others follow from the clock, so a status
 * change is not a modification (modificationNumber stays).
 */
export function statusAt(record: EventRecord, now: number, nearWindowMs: number): EventStatus {
  if (record.cancelled) return 'cancelled';
  const period = record.event.activePeriod;
  const start = period.dtstart.epochMs;
  const length = durationToMs(period.duration, period.dtstart);
  if (length > 0 && now >= start + length) return 'completed';
  if (now >= start) return 'active';
  const near = period.rampUp ? durationToMs(period.rampUp, period.dtstart) : nearWindowMs;
  return now >= start - near ? 'near' : 'far';
}

/** The event as sent at `now`: its stored content with the status of the moment. */
export function eventAt(record: EventRecord, now: number, nearWindowMs: number): OadrEvent {
  return { ...record.event, descriptor: { ...record.event.descriptor, modificationNumber: record.modificationNumber, eventStatus: statusAt(record, now, nearWindowMs) } };
}
