import { OadrValueError } from '../errors.js';
import type { DateTime, Duration } from '../model/time.js';

// xs:dateTime with an optional zone. The 2.0b XSD only allows 'Z' or no zone, but peers send
// offsets; we honour them when reading and always write UTC 'Z' so our output validates.
const DATE_TIME = /^([+-]?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

export function parseDateTime(text: string, path: string): DateTime {
  const m = DATE_TIME.exec(text.trim());
  if (!m) throw new OadrValueError(path, `not an xs:dateTime: '${text}'`);
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 24 || minute > 59 || second > 59) {
    throw new OadrValueError(path, `date-time out of range: '${text}'`);
  }
  const digits = (frac + '000000').slice(0, 6);
  if (hour === 24 && (minute !== 0 || second !== 0 || /[1-9]/.test(frac))) throw new OadrValueError(path, `date-time out of range: '${text}'`);
  // A missing zone is read as UTC: 2.0b date-times are UTC on the wire.
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const oh = Number(zone.slice(1, 3)), om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59) throw new OadrValueError(path, `bad time-zone offset in '${text}'`);
    offsetMinutes = sign * (oh * 60 + om);
  }
  const base = Date.UTC(2000, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0–99 to 1900s; set the year separately to keep it exact.
  const date = new Date(base);
  date.setUTCFullYear(year);
  const epochMs = date.getTime() + Number(digits.slice(0, 3)) - offsetMinutes * 60_000;
  // Beyond ±8.64e15 ms a date is NaN: refused here, not left to fail a check further on.
  if (!Number.isFinite(epochMs) || Math.abs(epochMs) > 8.64e15) throw new OadrValueError(path, `date-time outside the representable range: '${text}'`);
  return { epochMs, microsOfMs: Number(digits.slice(3, 6)) };
}

export function formatDateTime(value: DateTime): string {
  const iso = new Date(value.epochMs).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const [main = '', fraction = ''] = iso.slice(0, -1).split('.');
  const micros = value.microsOfMs === 0 ? '' : String(value.microsOfMs).padStart(3, '0');
  const digits = (fraction + micros).replace(/0+$/, '');
  return digits ? `${main}.${digits}Z` : `${main}Z`;
}

const DURATION = /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?$/;

export function parseDuration(text: string, path: string): Duration {
  const trimmed = text.trim();
  const m = DURATION.exec(trimmed);
  // 'P' alone and a dangling 'T' carry no component: xs:duration forbids both.
  if (!m || trimmed.endsWith('P') || trimmed.endsWith('T')) throw new OadrValueError(path, `not an ISO 8601 duration: '${text}'`);
  const [, sign, y, mo, w, d, h, mi, s, frac = ''] = m;
  if (frac.length > 3 && /[1-9]/.test(frac.slice(3))) throw new OadrValueError(path, `duration finer than a millisecond: '${text}'`);
  const n = (v: string | undefined): number => {
    const value = v === undefined ? 0 : Number(v);
    if (!Number.isSafeInteger(value)) throw new OadrValueError(path, `duration component too large: '${text}'`);
    return value;
  };
  return {
    negative: sign === '-',
    years: n(y), months: n(mo), days: n(d) + 7 * n(w), hours: n(h), minutes: n(mi), seconds: n(s),
    milliseconds: Number((frac + '000').slice(0, 3)),
  };
}

export function formatDuration(value: Duration): string {
  const date = `${part(value.years, 'Y')}${part(value.months, 'M')}${part(value.days, 'D')}`;
  const seconds = value.milliseconds === 0
    ? part(value.seconds, 'S')
    : `${value.seconds}.${String(value.milliseconds).padStart(3, '0').replace(/0+$/, '')}S`;
  const time = `${part(value.hours, 'H')}${part(value.minutes, 'M')}${seconds}`;
  const body = date + (time ? `T${time}` : '');
  return `${value.negative ? '-' : ''}P${body || 'T0S'}`;
}

function part(value: number, unit: string): string {
  return value === 0 ? '' : `${value}${unit}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
