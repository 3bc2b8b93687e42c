import { Iec104CodecError } from '../errors.js';

/** CP56Time2a: the 7-byte time tag of IEC 60870-5-4 (local fields as sent; no time zone inside). */
export interface Cp56Time2a {
  readonly milliseconds: number; // 0–59999 (seconds × 1000 + ms)
  readonly minute: number;
  readonly invalid: boolean;
  readonly hour: number;
  readonly summerTime: boolean;
  readonly day: number; // 1–31
  readonly dayOfWeek: number; // 0 (unused) – 7
  readonly month: number; // 1–12
  readonly year: number; // 0–99 (2000 + year)
}

export function encodeCp56(t: Cp56Time2a): Buffer {
  const b = Buffer.alloc(7);
  b.writeUInt16LE(t.milliseconds, 0);
  b[2] = (t.minute & 0x3f) | (t.invalid ? 0x80 : 0);
  b[3] = (t.hour & 0x1f) | (t.summerTime ? 0x80 : 0);
  b[4] = (t.day & 0x1f) | ((t.dayOfWeek & 0x07) << 5);
  b[5] = t.month & 0x0f;
  b[6] = t.year & 0x7f;
  return b;
}

export function decodeCp56(b: Buffer, offset: number): Cp56Time2a {
  if (offset + 7 > b.length) throw new Iec104CodecError('truncated', 'CP56Time2a needs 7 bytes');
  const t = {
    milliseconds: b.readUInt16LE(offset), minute: b[offset + 2]! & 0x3f, invalid: (b[offset + 2]! & 0x80) !== 0,
    hour: b[offset + 3]! & 0x1f, summerTime: (b[offset + 3]! & 0x80) !== 0,
    day: b[offset + 4]! & 0x1f, dayOfWeek: (b[offset + 4]! >> 5) & 0x07, month: b[offset + 5]! & 0x0f, year: b[offset + 6]! & 0x7f,
  };
  if (t.milliseconds > 59_999 || t.minute > 59 || t.hour > 23 || t.month > 12) throw new Iec104CodecError('bad-value', `CP56Time2a out of range: ${JSON.stringify(t)}`);
  return t;
}

/** A UTC instant as CP56Time2a (the UVAM adapter sends UTC). */
export function cp56FromDate(epochMs: number): Cp56Time2a {
  const d = new Date(epochMs);
  return {
    milliseconds: d.getUTCSeconds() * 1000 + d.getUTCMilliseconds(), minute: d.getUTCMinutes(), invalid: false, hour: d.getUTCHours(), summerTime: false,
    day: d.getUTCDate(), dayOfWeek: d.getUTCDay() === 0 ? 7 : d.getUTCDay(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() % 100,
  };
}

export function cp56ToEpochMs(t: Cp56Time2a): number {
  return Date.UTC(2000 + t.year, t.month - 1, t.day, t.hour, t.minute, 0, t.milliseconds);
}
