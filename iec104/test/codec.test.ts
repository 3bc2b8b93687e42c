import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { cp56FromDate, cp56ToEpochMs, decodeApdu, decodeAsdu, encodeApdu, encodeAsdu, GOOD, Iec104CodecError, splitFrames, TYPE_IDS, valueOf, type Asdu, type ElementOf, type TypeName } from '../index.js';

const golden = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'vectors', 'golden.json'), 'utf8')) as {
  frames: { name: string; hex: string; apdu: Record<string, unknown>; asdu?: Asdu }[];
};
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const time = cp56FromDate(Date.UTC(2026, 10, 24, 7, 15, 30, 250));

/** One plausible element per type, so every type is encoded, decoded and re-encoded. */
const SAMPLES: { [T in TypeName]: ElementOf[T] } = {
  M_SP_NA_1: { value: true, quality: { ...GOOD, notTopical: true } },
  M_DP_NA_1: { value: 2, quality: GOOD },
  M_ME_NA_1: { value: 0.5, quality: { ...GOOD, overflow: false } },
  M_ME_NB_1: { value: -1234, quality: { ...GOOD, overflow: true } },
  M_ME_NC_1: { value: 4321.5, quality: { ...GOOD, overflow: false } },
  M_ME_TD_1: { value: -0.25, quality: { ...GOOD, overflow: false }, time },
  M_ME_TE_1: { value: 300, quality: { ...GOOD, overflow: false, invalid: true }, time },
  M_ME_TF_1: { value: 1.5, quality: { ...GOOD, overflow: false }, time },
  M_IT_NA_1: { counter: 123456, sequence: 7, carry: false, adjusted: true, invalid: false },
  C_SC_NA_1: { state: true, qualifier: 1, select: true },
  C_DC_NA_1: { state: 2, qualifier: 0, select: false },
  C_SE_NA_1: { value: 0.75, qualifier: 0, select: false },
  C_SE_NB_1: { value: 1000, qualifier: 0, select: true },
  C_SE_NC_1: { value: -1000.5, qualifier: 0, select: false },
  C_SE_TA_1: { value: 0.125, qualifier: 0, select: false, time },
  C_SE_TB_1: { value: 250, qualifier: 3, select: false, time },
  C_SE_TC_1: { value: 2500, qualifier: 0, select: false, time },
  M_EI_NA_1: { cause: 2, afterParameterChange: false },
  C_IC_NA_1: { qualifier: 20 },
  C_CI_NA_1: { request: 5, freeze: 1 },
  C_CS_NA_1: { time },
  F_FR_NA_1: { file: 1, length: 4096, qualifier: 0 },
  F_SR_NA_1: { file: 1, section: 1, length: 2048, qualifier: 0 },
  F_SC_NA_1: { file: 1, section: 1, qualifier: 2 },
  F_LS_NA_1: { file: 1, section: 1, qualifier: 1, checksum: 171 },
  F_AF_NA_1: { file: 1, section: 1, qualifier: 1 },
  F_SG_NA_1: { file: 1, section: 1, segment: 'deadbeef0102' },
  F_DR_TA_1: { file: 7, length: 1000, status: 0, time },
  F_SC_NB_1: { file: 7, start: time, stop: cp56FromDate(Date.UTC(2026, 10, 24, 8)) },
};

// The golden frames are JSON: read one numeric field of an object, whatever its type.
const field = (o: object | undefined, key: string): number | undefined => (o === undefined ? undefined : (Object.entries(o).find(([k]) => k === key)?.[1] as number | undefined));

describe('IEC 104 codec against lib60870 golden frames', () => {
  it.each(golden.frames.map((f) => [f.name, f] as const))('%s', (_name, frame) => {
    const bytes = hex(frame.hex);
    const apdu = decodeApdu(bytes);
    expect(apdu).toMatchObject(frame.apdu);
    if (frame.asdu) {
      expect(apdu.format).toBe('I');
      const asdu = decodeAsdu((apdu as { asdu: Buffer }).asdu);
      expect(field(asdu.objects[0], 'value') ?? field(asdu.objects[0], 'qualifier')).toBeCloseTo((field(frame.asdu.objects[0], 'value') ?? field(frame.asdu.objects[0], 'qualifier'))!, 3);
      expect({ ...asdu, objects: undefined }).toEqual({ ...frame.asdu, objects: undefined });
      expect(encodeApdu({ ...(apdu as { format: 'I'; sendSequence: number; receiveSequence: number }), asdu: encodeAsdu(asdu) })).toEqual(bytes);
    } else {
      expect(encodeApdu(apdu)).toEqual(bytes);
    }
  });
});

describe('every supported type ID round-trips, in both SQ forms', () => {
  it('types each object by its ASDU\'s type (the compiler refuses a field the type does not carry)', () => {
    const asdu = decodeAsdu(encodeAsdu({ type: 'M_IT_NA_1', sequence: false, cause: 37, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 1, counter: 5, sequence: 1 }] }));
    if (asdu.type !== 'M_IT_NA_1') throw new Error(`decoded as ${asdu.type}`);
    expect(asdu.objects[0]!.counter).toBe(5);
    // @ts-expect-error an integrated total has no `value`
    expect(asdu.objects[0]!.value).toBeUndefined();
    expect(valueOf(asdu.objects[0])).toBeUndefined();
  });

  it('covers the issue\'s list of type IDs', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(TYPE_IDS).sort());
  });

  it.each(Object.keys(SAMPLES).flatMap((type) => [[type, false], [type, true]] as const))('%s with SQ=%s', (type, sequence) => {
    const objects = [0, 1, 2].map((i) => ({ ioa: 5000 + i, ...SAMPLES[type as TypeName] }));
    // Built from the sample table by name: the table holds each type's own element.
    const asdu = { type: type as TypeName, sequence, cause: 3, negative: false, test: true, originator: 9, commonAddress: 0x1234, objects } as Asdu;
    const bytes = encodeAsdu(asdu);
    expect(bytes[0]).toBe(TYPE_IDS[type as TypeName]);
    expect(bytes[1]).toBe(3 | (sequence ? 0x80 : 0));
    const decoded = decodeAsdu(bytes);
    expect(encodeAsdu(decoded)).toEqual(bytes);
    expect(decoded.objects.map((o) => o.ioa)).toEqual([5000, 5001, 5002]);
    // SQ=1 writes the address once: two addresses (6 bytes) fewer than SQ=0.
    if (sequence) expect(encodeAsdu({ ...asdu, sequence: false }).length - bytes.length).toBe(6);
  });

  it('keeps 15-bit sequence numbers and any float through an I-frame', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x7fff }), fc.integer({ min: 0, max: 0x7fff }), fc.float({ noNaN: true, noDefaultInfinity: true }), (s, r, v) => {
      const asdu = encodeAsdu({ type: 'M_ME_NC_1', sequence: false, cause: 3, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 1, value: v, quality: GOOD }] });
      const apdu = decodeApdu(encodeApdu({ format: 'I', sendSequence: s, receiveSequence: r, asdu }));
      expect(apdu).toMatchObject({ format: 'I', sendSequence: s, receiveSequence: r });
      expect(valueOf(decodeAsdu((apdu as { asdu: Buffer }).asdu).objects[0])).toBe(Math.fround(v));
    }));
  });

  it('converts CP56Time2a to UTC instants and back', () => {
    expect(cp56ToEpochMs(time)).toBe(Date.UTC(2026, 10, 24, 7, 15, 30, 250));
  });
});

describe('broken frames give typed errors', () => {
  const fail = (run: () => unknown): string => {
    try { run(); } catch (e) { if (e instanceof Iec104CodecError) return e.reason; throw e; }
    throw new Error('expected an Iec104CodecError');
  };
  it.each([
    ['wrong start byte', '670407000000', 'framing'],
    ['length field too long', '680507000000', 'length'],
    ['truncated', '6804070000', 'truncated'],
    ['unknown U function', '680405000000', 'framing'],
    ['S-frame with an ASDU', '6806010012000000', 'length'],
  ] as const)('%s', (_name, frame, reason) => {
    expect(fail(() => decodeApdu(hex(frame)))).toBe(reason);
  });
  it.each([
    ['unknown type ID', 'ff0103000100e8030000', 'unknown-type'],
    ['cause of transmission 0', '0d0100000100e80300000000000000', 'bad-cause'],
    ['object cut short', '0d0103000100e803000000', 'truncated'],
    ['bytes after the last object', '0101030001000100000100', 'length'],
  ] as const)('%s', (_name, asdu, reason) => {
    expect(fail(() => decodeAsdu(hex(asdu)))).toBe(reason);
  });
  it('splits a stream into frames and keeps the incomplete tail', () => {
    const stream = Buffer.concat([hex('680407000000'), hex('680401001200'), hex('680e00000400')]);
    const { frames, rest } = splitFrames(stream);
    expect(frames.map((f) => f.toString('hex'))).toEqual(['680407000000', '680401001200']);
    expect(rest.toString('hex')).toBe('680e00000400');
    expect(fail(() => splitFrames(hex('00ff')))).toBe('framing');
  });
});
