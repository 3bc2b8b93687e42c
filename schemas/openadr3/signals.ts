import { durationFromMs } from '../model/time.js';
import { formatDuration } from '../codec/time-format.js';
import { Openadr3Error } from '../errors.js';
import { iso, type EventRequest } from './model.js';

// How an OpenADR 3 event's intervals and payloads become 2.0b signals: one signal per payload
// type, the intervals laid end to end from the start, one number each. Pure; the VTN builds its
// 2.0b event from this and a 3.1 VEN reads 3.1 events through it (docs/openadr3.md).

export interface SignalMapping { readonly signalName: string; readonly signalType: string }

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

const refuse = (detail: string): never => { throw new Openadr3Error(detail); };

/** An ISO 8601 duration in ms; years, months and the infinite P9999Y have no fixed length in 2.0b. */
export function durationMs3(text: string, what: string): number {
  const m = /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m) return refuse(`${what}: '${text}' is not an ISO 8601 duration`);
  // Zero years and months are written by some VTNs (openleadr-rs: P0Y0M0DT0H30M0S) and mean nothing.
  if (Number(m[2] ?? 0) > 0 || Number(m[3] ?? 0) > 0) return refuse(`${what}: '${text}' counts years or months (P9999Y is 'infinite'); a 2.0b event needs intervals of fixed length`);
  const days = Number(m[4] ?? 0) * (m[5] === 'W' ? 7 : 1);
  const ms = (((days * 24 + Number(m[6] ?? 0)) * 60 + Number(m[7] ?? 0)) * 60 + Number(m[8] ?? 0)) * 1000;
  return m[1] ? -ms : Math.round(ms);
}

/** A start; "0001-01-01…" means now (User Guide). */
export function startMs3(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  return /^0001-01-01/.test(text) ? now : Date.parse(text);
}


/** A 2.0b signal made of a 3.x event's payloads of one type. */
export interface Signal3 {
  readonly signalName: string;
  readonly signalType: string;
  /** The 3.x payload type it carries. */
  readonly signalId: string;
  readonly units?: 'kW' | 'W';
  readonly intervals: readonly { readonly durationMs: number; readonly value: number }[];
}

/**
 * The start and signals of a 3.x event, or an Openadr3Error saying why 2.0b cannot carry it. Each
 * payload type is one signal; its intervals (those that carry it) must follow each other without
 * gaps from the event's start. Intervals carrying different types may overlap: that is how a 2.0b
 * event whose signals have different intervals reads in 3.x.
 */
export function signalsOf3(request: EventRequest, now: number): { readonly dtstart: number; readonly signals: readonly Signal3[] } {
  if (request.intervals.length === 0) refuse('intervals: an event needs at least one interval to reach 2.0b VENs');
  const eventStart = startMs3(request.intervalPeriod?.start, now);
  const defaultDuration = request.intervalPeriod?.duration;
  // Where each interval lies: its own start, else where the previous one in the list ends.
  let cursor = eventStart;
  const periods: { readonly start: number; readonly ms: number }[] = [];
  for (const [i, interval] of request.intervals.entries()) {
    const where = `intervals[${i}] (id ${interval.id})`;
    const start = startMs3(interval.intervalPeriod?.start, now) ?? cursor;
    if (start === undefined) refuse(`${where}: no start; give the event or the interval an intervalPeriod with a start`);
    const text = interval.intervalPeriod?.duration ?? defaultDuration;
    if (text === undefined) refuse(`${where}: no duration; give the event or the interval an intervalPeriod with a duration`);
    const ms = durationMs3(text!, `${where} duration`);
    if (ms <= 0 || ms % 1000 !== 0) refuse(`${where}: duration ${text} must be positive whole seconds`);
    periods.push({ start: start!, ms });
    cursor = start! + ms;
  }
  const first = Math.min(...periods.map((p) => p.start));
  // One signal per payload type, in order of first appearance, one number in each of its intervals.
  const types = [...new Set(request.intervals.flatMap((i) => i.payloads.map((p) => p.type)))];
  if (types.length === 0) refuse('intervals: no payloads');
  const units = new Map((request.payloadDescriptors ?? []).map((d) => [d.payloadType, d.units?.toUpperCase()]));
  const signals = types.map((type) => {
    const mapping = signalFor(type);
    const unit = units.get(type);
    let end = first;
    const intervals: { durationMs: number; value: number }[] = [];
    for (const [i, interval] of request.intervals.entries()) {
      const payload = interval.payloads.find((p) => p.type === type);
      if (!payload) continue;
      const { start, ms } = periods[i]!;
      if (start !== end) refuse(`intervals[${i}] (id ${interval.id}): its ${type} starts at ${iso(start)}, not where ${intervals.length ? `the previous ${type} interval ends` : 'the event starts'} (${iso(end)}); 2.0b intervals follow each other without gaps`);
      if (payload.values.length !== 1 || typeof payload.values[0] !== 'number') refuse(`intervals[${i}] ${type}: 2.0b carries one number per interval, got ${JSON.stringify(payload.values).slice(0, 80)}`);
      intervals.push({ durationMs: ms, value: payload.values[0] as number });
      end = start + ms;
    }
    return {
      signalName: mapping.signalName, signalType: mapping.signalType, signalId: type,
      ...(unit === 'KW' ? { units: 'kW' as const } : unit === 'W' ? { units: 'W' as const } : {}),
      intervals,
    };
  });
  if (request.duration) {
    const total = Math.max(...signals.map((sig) => sig.intervals.reduce((a, b) => a + b.durationMs, 0)));
    if (durationMs3(request.duration, 'duration') !== total) refuse(`duration ${request.duration}: looping intervals over a longer event cannot be carried to 2.0b (the intervals last ${formatDuration(durationFromMs(total))})`);
  }
  return { dtstart: first, signals };
}
