import { decodeCp56, encodeCp56, type Cp56Time2a } from './cp56time2a.js';
import { Iec104CodecError } from '../errors.js';

/** Quality descriptor bits (QDS / SIQ / DIQ upper bits). */
export interface Quality {
  readonly invalid: boolean;
  readonly notTopical: boolean;
  readonly substituted: boolean;
  readonly blocked: boolean;
  /** Overflow: measured values only (QDS). */
  readonly overflow?: boolean;
}

export const GOOD: Quality = { invalid: false, notTopical: false, substituted: false, blocked: false };

/** M_SP_NA_1: a single point (on/off) with its quality. */
export interface SinglePoint { readonly value: boolean; readonly quality?: Quality }
/** M_DP_NA_1: a double point (0 indeterminate, 1 off, 2 on, 3 indeterminate). */
export interface DoublePoint { readonly value: number; readonly quality?: Quality }
/** M_ME_*: a measured value (normalised in [-1, 1), scaled 16-bit, or short float) with QDS. */
export interface MeasuredValue { readonly value: number; readonly quality?: Quality }
/** The seven-octet time tag of the *_T* types. */
export interface TimeTagged { readonly time: Cp56Time2a }
/** M_IT_NA_1: an integrated total (counter reading) with its sequence number and flags. */
export interface IntegratedTotal { readonly counter: number; readonly sequence: number; readonly carry?: boolean; readonly adjusted?: boolean; readonly invalid?: boolean }
/** C_SC_NA_1: a single command (qualifier of command, select/execute). */
export interface SingleCommand { readonly state: boolean; readonly qualifier: number; readonly select?: boolean }
/** C_DC_NA_1: a double command. */
export interface DoubleCommand { readonly state: number; readonly qualifier: number; readonly select?: boolean }
/** C_SE_*: a set-point command (qualifier of set-point, select/execute). */
export interface SetpointValue { readonly value: number; readonly qualifier: number; readonly select?: boolean }
/** M_EI_NA_1: end of initialisation, with its cause. */
export interface EndOfInitialisation { readonly cause: number; readonly afterParameterChange?: boolean }
/** C_IC_NA_1: interrogation command (qualifier 20 = station). */
export interface InterrogationCommand { readonly qualifier: number }
/** C_CI_NA_1: counter interrogation (request group, freeze). */
export interface CounterInterrogation { readonly request: number; readonly freeze: number }
/** C_CS_NA_1: clock synchronisation. */
export interface ClockSync { readonly time: Cp56Time2a }
/** File transfer (IEC 60870-5-101 §7.3.6): name of file, section, lengths, qualifiers. */
export interface FileReady { readonly file: number; readonly length: number; readonly qualifier: number }
export interface SectionReady { readonly file: number; readonly section: number; readonly length: number; readonly qualifier: number }
export interface FileSelect { readonly file: number; readonly section: number; readonly qualifier: number }
export interface LastSection { readonly file: number; readonly section: number; readonly qualifier: number; readonly checksum: number }
/** F_SG_NA_1: a segment, as hex text (at most 240 octets). */
export interface FileSegment { readonly file: number; readonly section: number; readonly segment: string }
export interface DirectoryEntry { readonly file: number; readonly length: number; readonly status: number; readonly time: Cp56Time2a }
export interface LogQuery { readonly file: number; readonly start: Cp56Time2a; readonly stop: Cp56Time2a }

/** The element each type ID carries (what follows the information object address). */
export interface ElementOf {
  M_SP_NA_1: SinglePoint; M_DP_NA_1: DoublePoint;
  M_ME_NA_1: MeasuredValue; M_ME_NB_1: MeasuredValue; M_ME_NC_1: MeasuredValue;
  M_ME_TD_1: MeasuredValue & TimeTagged; M_ME_TE_1: MeasuredValue & TimeTagged; M_ME_TF_1: MeasuredValue & TimeTagged;
  M_IT_NA_1: IntegratedTotal;
  C_SC_NA_1: SingleCommand; C_DC_NA_1: DoubleCommand;
  C_SE_NA_1: SetpointValue; C_SE_NB_1: SetpointValue; C_SE_NC_1: SetpointValue;
  C_SE_TA_1: SetpointValue & TimeTagged; C_SE_TB_1: SetpointValue & TimeTagged; C_SE_TC_1: SetpointValue & TimeTagged;
  M_EI_NA_1: EndOfInitialisation; C_IC_NA_1: InterrogationCommand; C_CI_NA_1: CounterInterrogation; C_CS_NA_1: ClockSync;
  F_FR_NA_1: FileReady; F_SR_NA_1: SectionReady; F_SC_NA_1: FileSelect; F_LS_NA_1: LastSection; F_AF_NA_1: FileSelect;
  F_SG_NA_1: FileSegment; F_DR_TA_1: DirectoryEntry; F_SC_NB_1: LogQuery;
}

interface ElementCodec<E> {
  readonly size: number | ((b: Buffer, offset: number) => number);
  decode(b: Buffer, offset: number): E;
  encode(e: E): Buffer;
}

const qualityBits = (q: Quality): number => (q.blocked ? 0x10 : 0) | (q.substituted ? 0x20 : 0) | (q.notTopical ? 0x40 : 0) | (q.invalid ? 0x80 : 0);
const qualityOf = (byte: number, withOverflow: boolean): Quality => ({
  invalid: (byte & 0x80) !== 0, notTopical: (byte & 0x40) !== 0, substituted: (byte & 0x20) !== 0, blocked: (byte & 0x10) !== 0,
  ...(withOverflow ? { overflow: (byte & 0x01) !== 0 } : {}),
});
const qds = (q: Quality): number => qualityBits(q) | (q.overflow ? 0x01 : 0);

// The types say what an element holds; these checks still run, because an ASDU may be built by
// JavaScript callers or from JSON (the CLI) that the compiler never saw.
function num(v: unknown, key: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new Iec104CodecError('bad-value', `${key} must be a number in [${min}, ${max}], got ${String(v)}`);
  return v;
}
const bool = (v: unknown): boolean => v === true;
const quality = (e: { readonly quality?: Quality }): Quality => e.quality ?? GOOD;
const time = (t: Cp56Time2a | undefined): Cp56Time2a => {
  if (!t) throw new Iec104CodecError('bad-value', 'a time-tagged element needs `time`');
  return t;
};

// Value layouts shared by monitoring and command types.
const normalized = { size: 2, read: (b: Buffer, o: number) => b.readInt16LE(o) / 32768, write: (v: number) => { const x = Buffer.alloc(2); x.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v * 32768)))); return x; }, range: [-1, 1] as const };
const scaled = { size: 2, read: (b: Buffer, o: number) => b.readInt16LE(o), write: (v: number) => { const x = Buffer.alloc(2); x.writeInt16LE(v); return x; }, range: [-32768, 32767] as const };
const float = { size: 4, read: (b: Buffer, o: number) => b.readFloatLE(o), write: (v: number) => { const x = Buffer.alloc(4); x.writeFloatLE(v); return x; }, range: [-3.4028234663852886e38, 3.4028234663852886e38] as const };
type ValueLayout = typeof normalized | typeof scaled | typeof float;

/** A value in `layout` followed by one octet (QDS for measured values, QOS for set-points). */
function valueAndOctet<E extends { readonly value: number }>(layout: ValueLayout, decodeOctet: (octet: number) => Omit<E, 'value'>, encodeOctet: (e: E) => number): ElementCodec<E> {
  return {
    size: layout.size + 1,
    decode: (b, o) => ({ value: layout.read(b, o), ...decodeOctet(b[o + layout.size]!) }) as E,
    encode: (e) => Buffer.concat([layout.write(num(e.value, 'value', layout.range[0], layout.range[1])), Buffer.from([encodeOctet(e)])]),
  };
}

const measured = (layout: ValueLayout): ElementCodec<MeasuredValue> => valueAndOctet<MeasuredValue>(layout, (q) => ({ quality: qualityOf(q, true) }), (e) => qds(quality(e)));
const setpoint = (layout: ValueLayout): ElementCodec<SetpointValue> =>
  valueAndOctet<SetpointValue>(layout, (q) => ({ qualifier: q & 0x7f, select: (q & 0x80) !== 0 }), (e) => num(e.qualifier, 'qualifier', 0, 127) | (bool(e.select) ? 0x80 : 0));

/** The same element followed by a seven-octet time tag (the *_T* types). */
function timeTagged<E>(plain: ElementCodec<E>): ElementCodec<E & TimeTagged> {
  const size = plain.size as number;
  return {
    size: size + 7,
    decode: (b, o) => ({ ...plain.decode(b, o), time: decodeCp56(b, o + size) }),
    encode: (e) => Buffer.concat([plain.encode(e), encodeCp56(time(e.time))]),
  };
}

const oneByte = <E>(decode: (byte: number) => E, encode: (e: E) => number): ElementCodec<E> => ({ size: 1, decode: (b, o) => decode(b[o]!), encode: (e) => Buffer.from([encode(e)]) });
const nof = (b: Buffer, o: number): number => b.readUInt16LE(o);
const u16 = (v: number): Buffer => { const x = Buffer.alloc(2); x.writeUInt16LE(v); return x; };
const u24 = (v: number): Buffer => Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
const r24 = (b: Buffer, o: number): number => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);

/** The type IDs this codec speaks, by name, with their numbers (IEC 60870-5-101/104). */
export const TYPE_IDS = {
  M_SP_NA_1: 1, M_DP_NA_1: 3, M_ME_NA_1: 9, M_ME_NB_1: 11, M_ME_NC_1: 13, M_IT_NA_1: 15,
  M_ME_TD_1: 34, M_ME_TE_1: 35, M_ME_TF_1: 36,
  C_SC_NA_1: 45, C_DC_NA_1: 46, C_SE_NA_1: 48, C_SE_NB_1: 49, C_SE_NC_1: 50,
  C_SE_TA_1: 61, C_SE_TB_1: 62, C_SE_TC_1: 63,
  M_EI_NA_1: 70, C_IC_NA_1: 100, C_CI_NA_1: 101, C_CS_NA_1: 103,
  F_FR_NA_1: 120, F_SR_NA_1: 121, F_SC_NA_1: 122, F_LS_NA_1: 123, F_AF_NA_1: 124, F_SG_NA_1: 125, F_DR_TA_1: 126, F_SC_NB_1: 127,
} as const;
export type TypeName = keyof typeof TYPE_IDS;

const fileName = (v: unknown): Buffer => u16(num(v, 'file', 0, 65535));
const octets = (...values: [unknown, string][]): Buffer => Buffer.from(values.map(([v, key]) => num(v, key, 0, 255)));

const CODECS: { readonly [T in TypeName]: ElementCodec<ElementOf[T]> } = {
  M_SP_NA_1: oneByte((x) => ({ value: (x & 0x01) !== 0, quality: qualityOf(x, false) }), (e) => (bool(e.value) ? 1 : 0) | qualityBits(quality(e))),
  M_DP_NA_1: oneByte((x) => ({ value: x & 0x03, quality: qualityOf(x, false) }), (e) => num(e.value, 'value', 0, 3) | qualityBits(quality(e))),
  M_ME_NA_1: measured(normalized),
  M_ME_NB_1: measured(scaled),
  M_ME_NC_1: measured(float),
  M_ME_TD_1: timeTagged(measured(normalized)),
  M_ME_TE_1: timeTagged(measured(scaled)),
  M_ME_TF_1: timeTagged(measured(float)),
  M_IT_NA_1: {
    size: 5,
    decode: (b, o) => ({ counter: b.readInt32LE(o), sequence: b[o + 4]! & 0x1f, carry: (b[o + 4]! & 0x20) !== 0, adjusted: (b[o + 4]! & 0x40) !== 0, invalid: (b[o + 4]! & 0x80) !== 0 }),
    encode: (e) => { const x = Buffer.alloc(5); x.writeInt32LE(num(e.counter, 'counter', -2147483648, 2147483647)); x[4] = num(e.sequence, 'sequence', 0, 31) | (bool(e.carry) ? 0x20 : 0) | (bool(e.adjusted) ? 0x40 : 0) | (bool(e.invalid) ? 0x80 : 0); return x; },
  },
  C_SC_NA_1: oneByte((x) => ({ state: (x & 0x01) !== 0, qualifier: (x >> 2) & 0x1f, select: (x & 0x80) !== 0 }), (e) => (bool(e.state) ? 1 : 0) | (num(e.qualifier, 'qualifier', 0, 31) << 2) | (bool(e.select) ? 0x80 : 0)),
  C_DC_NA_1: oneByte((x) => ({ state: x & 0x03, qualifier: (x >> 2) & 0x1f, select: (x & 0x80) !== 0 }), (e) => num(e.state, 'state', 0, 3) | (num(e.qualifier, 'qualifier', 0, 31) << 2) | (bool(e.select) ? 0x80 : 0)),
  C_SE_NA_1: setpoint(normalized),
  C_SE_NB_1: setpoint(scaled),
  C_SE_NC_1: setpoint(float),
  C_SE_TA_1: timeTagged(setpoint(normalized)),
  C_SE_TB_1: timeTagged(setpoint(scaled)),
  C_SE_TC_1: timeTagged(setpoint(float)),
  M_EI_NA_1: oneByte((x) => ({ cause: x & 0x7f, afterParameterChange: (x & 0x80) !== 0 }), (e) => num(e.cause, 'cause', 0, 127) | (bool(e.afterParameterChange) ? 0x80 : 0)),
  C_IC_NA_1: oneByte((x) => ({ qualifier: x }), (e) => num(e.qualifier, 'qualifier', 0, 255)),
  C_CI_NA_1: oneByte((x) => ({ request: x & 0x3f, freeze: (x >> 6) & 0x03 }), (e) => num(e.request, 'request', 0, 63) | (num(e.freeze, 'freeze', 0, 3) << 6)),
  C_CS_NA_1: { size: 7, decode: (b, o) => ({ time: decodeCp56(b, o) }), encode: (e) => encodeCp56(time(e.time)) },
  // File transfer (IEC 60870-5-101 §7.3.6): name of file, section, lengths and qualifiers.
  F_FR_NA_1: { size: 6, decode: (b, o) => ({ file: nof(b, o), length: r24(b, o + 2), qualifier: b[o + 5]! }), encode: (e) => Buffer.concat([fileName(e.file), u24(num(e.length, 'length', 0, 0xffffff)), octets([e.qualifier, 'qualifier'])]) },
  F_SR_NA_1: { size: 7, decode: (b, o) => ({ file: nof(b, o), section: b[o + 2]!, length: r24(b, o + 3), qualifier: b[o + 6]! }), encode: (e) => Buffer.concat([fileName(e.file), octets([e.section, 'section']), u24(num(e.length, 'length', 0, 0xffffff)), octets([e.qualifier, 'qualifier'])]) },
  F_SC_NA_1: { size: 4, decode: (b, o) => ({ file: nof(b, o), section: b[o + 2]!, qualifier: b[o + 3]! }), encode: (e) => Buffer.concat([fileName(e.file), octets([e.section, 'section'], [e.qualifier, 'qualifier'])]) },
  F_LS_NA_1: { size: 5, decode: (b, o) => ({ file: nof(b, o), section: b[o + 2]!, qualifier: b[o + 3]!, checksum: b[o + 4]! }), encode: (e) => Buffer.concat([fileName(e.file), octets([e.section, 'section'], [e.qualifier, 'qualifier'], [e.checksum, 'checksum'])]) },
  F_AF_NA_1: { size: 4, decode: (b, o) => ({ file: nof(b, o), section: b[o + 2]!, qualifier: b[o + 3]! }), encode: (e) => Buffer.concat([fileName(e.file), octets([e.section, 'section'], [e.qualifier, 'qualifier'])]) },
  F_SG_NA_1: {
    size: (b, o) => 4 + (b[o + 3] ?? 0),
    decode: (b, o) => ({ file: nof(b, o), section: b[o + 2]!, segment: Buffer.from(b.subarray(o + 4, o + 4 + b[o + 3]!)).toString('hex') }),
    encode: (e) => { const seg = Buffer.from(String(e.segment ?? ''), 'hex'); if (seg.length > 240) throw new Iec104CodecError('length', 'file segment longer than 240 bytes'); return Buffer.concat([fileName(e.file), octets([e.section, 'section']), Buffer.from([seg.length]), seg]); },
  },
  F_DR_TA_1: { size: 13, decode: (b, o) => ({ file: nof(b, o), length: r24(b, o + 2), status: b[o + 5]!, time: decodeCp56(b, o + 6) }), encode: (e) => Buffer.concat([fileName(e.file), u24(num(e.length, 'length', 0, 0xffffff)), octets([e.status, 'status']), encodeCp56(time(e.time))]) },
  F_SC_NB_1: { size: 16, decode: (b, o) => ({ file: nof(b, o), start: decodeCp56(b, o + 2), stop: decodeCp56(b, o + 9) }), encode: (e) => Buffer.concat([fileName(e.file), encodeCp56(time(e.start)), encodeCp56(time(e.stop))]) },
};

const NAME_OF: ReadonlyMap<number, TypeName> = new Map(Object.entries(TYPE_IDS).map(([name, id]): [number, TypeName] => [id, name as TypeName]));

/** One information object of type T: its address and the element the type carries. */
export type InformationObject<T extends TypeName = TypeName> = { readonly ioa: number } & ElementOf[T];

/** The value of a point, measured value or set-point (undefined for types without one, and for no object). */
export function valueOf(object: InformationObject | undefined): number | boolean | undefined {
  return object && 'value' in object ? object.value : undefined;
}

interface AsduHeader {
  /** SQ=1: one address, then consecutive elements (addresses ioa, ioa+1, …). */
  readonly sequence: boolean;
  /** Cause of transmission (1–47; the COT table in cause.ts names them). */
  readonly cause: number;
  readonly negative: boolean;
  readonly test: boolean;
  readonly originator: number;
  readonly commonAddress: number;
}

/** An ASDU of one type, whose objects carry that type's element. */
export interface AsduOf<T extends TypeName> extends AsduHeader {
  readonly type: T;
  readonly objects: readonly InformationObject<T>[];
}

/** Any ASDU: a union on `type`, so that checking the type gives the objects' fields. */
export type Asdu = { [T in TypeName]: AsduOf<T> }[TypeName];

export function encodeAsdu(asdu: Asdu): Buffer {
  return encodeTyped(asdu);
}

function encodeTyped<T extends TypeName>(asdu: AsduOf<T>): Buffer {
  const codec: ElementCodec<ElementOf[T]> = CODECS[asdu.type];
  if (!codec) throw new Iec104CodecError('unknown-type', `unknown type ${asdu.type}`);
  if (asdu.objects.length === 0 || asdu.objects.length > 127) throw new Iec104CodecError('bad-value', 'an ASDU carries 1–127 information objects');
  if (asdu.cause < 1 || asdu.cause > 63) throw new Iec104CodecError('bad-cause', `cause of transmission ${asdu.cause} out of range`);
  const head = Buffer.from([TYPE_IDS[asdu.type], asdu.objects.length | (asdu.sequence ? 0x80 : 0), asdu.cause | (asdu.negative ? 0x40 : 0) | (asdu.test ? 0x80 : 0), asdu.originator & 0xff, asdu.commonAddress & 0xff, (asdu.commonAddress >> 8) & 0xff]);
  const parts: Buffer[] = [head];
  asdu.objects.forEach((object, i) => {
    if (asdu.sequence && object.ioa !== asdu.objects[0]!.ioa + i) throw new Iec104CodecError('bad-value', 'with SQ=1 the objects must have consecutive addresses');
    if (!asdu.sequence || i === 0) parts.push(u24(object.ioa));
    parts.push(codec.encode(object));
  });
  return Buffer.concat(parts);
}

export function decodeAsdu(b: Buffer): Asdu {
  if (b.length < 6) throw new Iec104CodecError('truncated', 'an ASDU needs at least 6 header bytes');
  const type = NAME_OF.get(b[0]!);
  if (!type) throw new Iec104CodecError('unknown-type', `type identification ${b[0]} is not supported`);
  const count = b[1]! & 0x7f;
  const sequence = (b[1]! & 0x80) !== 0;
  const cause = b[2]! & 0x3f;
  if (count === 0) throw new Iec104CodecError('bad-value', 'ASDU with zero information objects');
  if (cause === 0) throw new Iec104CodecError('bad-cause', 'cause of transmission 0 is not defined');
  const codec: ElementCodec<ElementOf[TypeName]> = CODECS[type];
  const objects: InformationObject[] = [];
  let offset = 6;
  let ioa = 0;
  for (let i = 0; i < count; i++) {
    if (!sequence || i === 0) {
      if (offset + 3 > b.length) throw new Iec104CodecError('truncated', `ASDU ends inside the address of object ${i}`);
      ioa = r24(b, offset);
      offset += 3;
    } else {
      ioa++;
    }
    const size = typeof codec.size === 'number' ? codec.size : codec.size(b, offset);
    if (offset + size > b.length) throw new Iec104CodecError('truncated', `ASDU ends inside object ${i} of ${type}`);
    objects.push({ ioa, ...codec.decode(b, offset) });
    offset += size;
  }
  if (offset !== b.length) throw new Iec104CodecError('length', `${b.length - offset} bytes after the last information object of ${type}`);
  // The objects were decoded by the codec of `type`, so they are that type's elements.
  return { type, sequence, cause, negative: (b[2]! & 0x40) !== 0, test: (b[2]! & 0x80) !== 0, originator: b[3]!, commonAddress: b[4]! | (b[5]! << 8), objects } as Asdu;
}
