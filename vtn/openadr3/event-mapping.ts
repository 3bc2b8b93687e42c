import { durationFromMs, durationToMs, formatDuration, type OadrEvent } from '../../schemas/index.js';
import type { EventRecord } from '../store/records.js';
import { durationMs3, payloadTypeFor, signalsOf3 } from '../../schemas/openadr3/signals.js';
import { iso, type EventRequest } from '../../schemas/openadr3/model.js';

/** What the VTN writes: optional fields absent rather than null. */
interface PeriodOut { readonly start?: string; readonly duration?: string }
interface IntervalOut { readonly id: number; readonly intervalPeriod?: PeriodOut; readonly payloads: readonly { readonly type: string; readonly values: readonly (number | string | boolean)[] }[] }

// One event, two generations: an OpenADR 3 event becomes the operator JSON of a 2.0b event (one
// signal per payload type, the intervals laid end to end from the start), and a stored event is
// shown as an OpenADR 3 event. docs/openadr3.md tabulates what crosses and what is refused.

/**
 * The operator JSON (as POST /api/events takes it) for a 3.x event request: validated again by the
 * operator API's schema, so every limit of a 2.0b event applies (intervals, dates, priority).
 */
export function eventInputJson(request: EventRequest, eventId: string | undefined, now: number): Record<string, unknown> {
  const { dtstart: first, signals } = signalsOf3(request, now);
  const randomize = request.intervalPeriod?.randomizeStart;
  return {
    programId: request.programID,
    ...(eventId ? { eventId } : {}),
    dtstart: first!,
    signals,
    ...(request.targets?.length ? { targets: { groupIds: request.targets } } : {}),
    ...(request.priority !== undefined ? { priority: request.priority } : {}),
    ...(randomize ? { startAfterMs: durationMs3(randomize, 'randomizeStart') } : {}),
    ...(request.eventName ? { vtnComment: request.eventName } : {}),
  };
}

/** What the 3.x API keeps of an event beside the shared record: as the client gave it, for that version. */
export interface EventExtras {
  readonly modificationNumber: number;
  readonly request: EventRequest;
}

/** The stored event as an OpenADR 3 event object. */
export function eventObject(record: EventRecord, extras: EventExtras | undefined): Record<string, unknown> {
  const metadata = { id: record.eventId, createdDateTime: iso(record.createdAt), modificationDateTime: iso(record.updatedAt), objectType: 'EVENT' };
  // The client's own representation while it describes the current version.
  if (extras && extras.modificationNumber === record.modificationNumber) {
    const { programID: _p, ...rest } = extras.request;
    return compact({ ...metadata, programID: record.programId, ...rest });
  }
  const event = record.event;
  const { intervalPeriod, intervals } = intervalsOf(event);
  return compact({
    ...metadata,
    programID: record.programId,
    eventName: event.descriptor.vtnComment,
    priority: event.descriptor.priority,
    targets: event.target.groupIds?.length ? [...event.target.groupIds] : undefined,
    payloadDescriptors: event.signals.some((s) => s.itemBase?.kind === 'powerReal')
      ? event.signals.filter((s) => s.itemBase?.kind === 'powerReal').map((s) => ({ objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: payloadTypeFor(s.signalName, s.signalType), units: s.itemBase && 'siScaleCode' in s.itemBase && s.itemBase.siScaleCode === 'k' ? 'KW' : 'W' }))
      : undefined,
    intervalPeriod,
    intervals,
  });
}

/** 2.0b signals as 3.x intervals: one list with a payload per signal when they share their intervals, else each interval with its own period. */
function intervalsOf(event: OadrEvent): { intervalPeriod: PeriodOut; intervals: IntervalOut[] } {
  const dtstart = event.activePeriod.dtstart;
  const lengths = event.signals.map((s) => s.intervals.map((i) => (i.duration ? durationToMs(i.duration, dtstart) : 0)));
  const same = lengths.every((l) => l.length === lengths[0]!.length && l.every((ms, k) => ms === lengths[0]![k]));
  const value = (p: unknown): number | string | boolean => {
    const v = p as { kind?: string; value?: unknown };
    return v.kind === 'float' && typeof v.value === 'number' ? v.value : String(v.value ?? '');
  };
  const typeOf = (k: number): string => payloadTypeFor(event.signals[k]!.signalName, event.signals[k]!.signalType);
  if (same) {
    const uniform = lengths[0]!.every((ms) => ms === lengths[0]![0]);
    let at = dtstart.epochMs;
    return {
      intervalPeriod: { start: iso(dtstart.epochMs), ...(uniform && lengths[0]!.length ? { duration: formatDuration(durationFromMs(lengths[0]![0]!)) } : {}) },
      intervals: lengths[0]!.map((ms, i) => {
        const interval: IntervalOut = {
          id: i,
          ...(uniform ? {} : { intervalPeriod: { start: iso(at), duration: formatDuration(durationFromMs(ms)) } }),
          payloads: event.signals.map((s, k) => ({ type: typeOf(k), values: [value(s.intervals[i]!.payloads[0])] })),
        };
        at += ms;
        return interval;
      }),
    };
  }
  const intervals: IntervalOut[] = [];
  event.signals.forEach((s, k) => {
    let at = dtstart.epochMs;
    s.intervals.forEach((interval, i) => {
      const ms = lengths[k]![i]!;
      intervals.push({ id: intervals.length, intervalPeriod: { start: iso(at), duration: formatDuration(durationFromMs(ms)) }, payloads: [{ type: typeOf(k), values: [value(interval.payloads[0])] }] });
      at += ms;
    });
  });
  return { intervalPeriod: { start: iso(dtstart.epochMs) }, intervals };
}

/** Leaves out absent optional fields (the specification allows omitting nulls). */
export function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== null));
}
