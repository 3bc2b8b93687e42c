import { durationFromMs, durationToMs, formatDuration, type OadrEvent } from '../../schemas/index.js';
import type { EventRecord } from '../store/records.js';
import { OperatorApiError } from '../errors.js';
import { iso, type EventRequest } from './model.js';

/** What the VTN writes: optional fields absent rather than null. */
interface PeriodOut { readonly start?: string; readonly duration?: string }
interface IntervalOut { readonly id: number; readonly intervalPeriod?: PeriodOut; readonly payloads: readonly { readonly type: string; readonly values: readonly (number | string | boolean)[] }[] }

// One event, two generations: an OpenADR 3 event becomes the operator JSON of a 2.0b event (one
// signal per payload type, the intervals laid end to end from the start), and a stored event is
// shown as an OpenADR 3 event. docs/openadr3.md tabulates what crosses and what is refused.

interface SignalMapping { readonly signalName: string; readonly signalType: string }

/** 3.x payload types that have a 2.0b signal of the same meaning. */
const TO_2B: Readonly<Record<string, SignalMapping>> = {
  SIMPLE: { signalName: 'SIMPLE', signalType: 'level' },
  PRICE: { signalName: 'ELECTRICITY_PRICE', signalType: 'price' },
  DISPATCH_SETPOINT: { signalName: 'LOAD_DISPATCH', signalType: 'setpoint' },
  DISPATCH_SETPOINT_RELATIVE: { signalName: 'LOAD_DISPATCH', signalType: 'delta' },
  CHARGE_STATE_SETPOINT: { signalName: 'CHARGE_STATE', signalType: 'setpoint' },
  CONTROL_SETPOINT: { signalName: 'LOAD_CONTROL', signalType: 'x-loadControlSetpoint' },
  CONTROL_LEVEL_OFFSET: { signalName: 'LOAD_CONTROL', signalType: 'x-loadControlLevelOffset' },
  CONTROL_LEVEL_OFFSET_PERCENT: { signalName: 'LOAD_CONTROL', signalType: 'x-loadControlPercentOffset' },
  // 2.0b names that 3.x carries as private strings.
  ENERGY_PRICE: { signalName: 'ENERGY_PRICE', signalType: 'price' },
  DEMAND_CHARGE: { signalName: 'DEMAND_CHARGE', signalType: 'price' },
  BID_PRICE: { signalName: 'BID_PRICE', signalType: 'price' },
  BID_LOAD: { signalName: 'BID_LOAD', signalType: 'setpoint' },
  BID_ENERGY: { signalName: 'BID_ENERGY', signalType: 'setpoint' },
};

/** The 2.0b signal for a 3.x payload type: a known one, or the 2.0b extension name `x-<type>`. */
export function signalFor(payloadType: string): SignalMapping {
  return TO_2B[payloadType] ?? { signalName: `x-${payloadType}`, signalType: 'level' };
}

/** The 3.x payload type of a 2.0b signal. */
export function payloadTypeFor(signalName: string, signalType: string): string {
  const known = Object.entries(TO_2B).find(([, m]) => m.signalName === signalName && m.signalType === signalType);
  if (known) return known[0];
  if (signalName.startsWith('x-')) return signalName.slice(2);
  return signalName.toUpperCase();
}

const refuse = (detail: string): never => { throw new OperatorApiError(400, detail); };

/** An ISO 8601 duration in ms; years, months and the infinite P9999Y have no fixed length in 2.0b. */
export function durationMs3(text: string, what: string): number {
  const m = /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m) return refuse(`${what}: '${text}' is not an ISO 8601 duration`);
  if (m[2] || m[3]) return refuse(`${what}: '${text}' counts years or months (P9999Y is 'infinite'); a 2.0b event needs intervals of fixed length`);
  const days = Number(m[4] ?? 0) * (m[5] === 'W' ? 7 : 1);
  const ms = (((days * 24 + Number(m[6] ?? 0)) * 60 + Number(m[7] ?? 0)) * 60 + Number(m[8] ?? 0)) * 1000;
  return m[1] ? -ms : Math.round(ms);
}

/** A start; "0001-01-01…" means now (User Guide). */
function startMs(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  return /^0001-01-01/.test(text) ? now : Date.parse(text);
}

/**
 * The operator JSON (as POST /api/events takes it) for a 3.x event request: validated again by the
 * operator API's schema, so every limit of a 2.0b event applies (intervals, dates, priority).
 */
export function eventInputJson(request: EventRequest, eventId: string | undefined, now: number): Record<string, unknown> {
  if (request.intervals.length === 0) refuse('intervals: an event needs at least one interval to reach 2.0b VENs');
  const eventStart = startMs(request.intervalPeriod?.start, now);
  const defaultDuration = request.intervalPeriod?.duration;
  let cursor = eventStart;
  let first: number | undefined;
  const durations: number[] = [];
  for (const [i, interval] of request.intervals.entries()) {
    const where = `intervals[${i}] (id ${interval.id})`;
    const start = startMs(interval.intervalPeriod?.start, now) ?? cursor;
    if (start === undefined) refuse(`${where}: no start; give the event or the interval an intervalPeriod with a start`);
    if (cursor !== undefined && i > 0 && start !== cursor) refuse(`${where}: starts at ${iso(start!)}, not where the previous interval ends (${iso(cursor)}); 2.0b intervals follow each other without gaps`);
    const text = interval.intervalPeriod?.duration ?? defaultDuration;
    if (text === undefined) refuse(`${where}: no duration; give the event or the interval an intervalPeriod with a duration`);
    const ms = durationMs3(text!, `${where} duration`);
    if (ms <= 0 || ms % 1000 !== 0) refuse(`${where}: duration ${text} must be positive whole seconds`);
    first ??= start!;
    durations.push(ms);
    cursor = start! + ms;
  }
  if (request.duration) {
    const total = durations.reduce((a, b) => a + b, 0);
    if (durationMs3(request.duration, 'duration') !== total) refuse(`duration ${request.duration}: looping intervals over a longer event cannot be carried to 2.0b (the intervals last ${formatDuration(durationFromMs(total))})`);
  }
  // One signal per payload type, in order of first appearance; each must have one number in every interval.
  const types = [...new Set(request.intervals.flatMap((i) => i.payloads.map((p) => p.type)))];
  if (types.length === 0) refuse('intervals: no payloads');
  const units = new Map((request.payloadDescriptors ?? []).map((d) => [d.payloadType, d.units?.toUpperCase()]));
  const signals = types.map((type) => {
    const mapping = signalFor(type);
    const unit = units.get(type);
    return {
      signalName: mapping.signalName, signalType: mapping.signalType, signalId: type,
      ...(unit === 'KW' ? { units: 'kW' } : unit === 'W' ? { units: 'W' } : {}),
      intervals: request.intervals.map((interval, i) => {
        const payload = interval.payloads.find((p) => p.type === type);
        if (!payload) return refuse(`intervals[${i}]: no ${type} payload; a 2.0b signal has a value in every interval`);
        if (payload.values.length !== 1 || typeof payload.values[0] !== 'number') return refuse(`intervals[${i}] ${type}: 2.0b carries one number per interval, got ${JSON.stringify(payload.values).slice(0, 80)}`);
        return { durationMs: durations[i]!, value: payload.values[0] };
      }),
    };
  });
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
