import { Iec104CodecError } from '../errors.js';

export const START = 0x68;
export const MAX_APDU_LENGTH = 253;

export type UFunction = 'STARTDT_ACT' | 'STARTDT_CON' | 'STOPDT_ACT' | 'STOPDT_CON' | 'TESTFR_ACT' | 'TESTFR_CON';
const U_CODES: Record<UFunction, number> = { STARTDT_ACT: 0x07, STARTDT_CON: 0x0b, STOPDT_ACT: 0x13, STOPDT_CON: 0x23, TESTFR_ACT: 0x43, TESTFR_CON: 0x83 };

/** An APDU: I (numbered information), S (supervisory acknowledgement) or U (unnumbered control). */
export type Apdu =
  | { readonly format: 'I'; readonly sendSequence: number; readonly receiveSequence: number; readonly asdu: Buffer }
  | { readonly format: 'S'; readonly receiveSequence: number }
  | { readonly format: 'U'; readonly function: UFunction };

function checkSequence(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fff) throw new Iec104CodecError('bad-value', `sequence number ${n} is not 15-bit`);
}

export function encodeApdu(apdu: Apdu): Buffer {
  switch (apdu.format) {
    case 'I': {
      checkSequence(apdu.sendSequence);
      checkSequence(apdu.receiveSequence);
      if (apdu.asdu.length + 4 > MAX_APDU_LENGTH) throw new Iec104CodecError('length', `ASDU of ${apdu.asdu.length} bytes exceeds the 249-byte limit`);
      const head = Buffer.from([START, apdu.asdu.length + 4, (apdu.sendSequence << 1) & 0xfe, apdu.sendSequence >> 7, (apdu.receiveSequence << 1) & 0xfe, apdu.receiveSequence >> 7]);
      return Buffer.concat([head, apdu.asdu]);
    }
    case 'S':
      checkSequence(apdu.receiveSequence);
      return Buffer.from([START, 4, 0x01, 0x00, (apdu.receiveSequence << 1) & 0xfe, apdu.receiveSequence >> 7]);
    case 'U':
      return Buffer.from([START, 4, U_CODES[apdu.function], 0, 0, 0]);
    default: {
      const never: never = apdu;
      throw new Error(`unknown APDU ${JSON.stringify(never)}`);
    }
  }
}

/** Decodes exactly one APDU (start byte, length, control field, ASDU for I-frames). */
export function decodeApdu(frame: Buffer): Apdu {
  if (frame.length < 6) throw new Iec104CodecError('truncated', `APDU of ${frame.length} bytes; at least 6 needed`);
  if (frame[0] !== START) throw new Iec104CodecError('framing', `start byte 0x${frame[0]!.toString(16)} is not 0x68`);
  const length = frame[1]!;
  if (length < 4 || length > MAX_APDU_LENGTH || length + 2 !== frame.length) throw new Iec104CodecError('length', `APDU length field ${length} does not match a ${frame.length}-byte frame`);
  const c1 = frame[2]!, c2 = frame[3]!, c3 = frame[4]!, c4 = frame[5]!;
  if ((c1 & 0x01) === 0) {
    if (length < 4 + 6) throw new Iec104CodecError('length', 'an I-frame needs an ASDU of at least 6 bytes');
    if ((c3 & 0x01) !== 0) throw new Iec104CodecError('framing', 'I-frame control field bit 0 of octet 3 must be 0');
    return { format: 'I', sendSequence: (c1 >> 1) | (c2 << 7), receiveSequence: (c3 >> 1) | (c4 << 7), asdu: frame.subarray(6) };
  }
  if (length !== 4) throw new Iec104CodecError('length', 'S- and U-frames carry no ASDU');
  if ((c1 & 0x03) === 0x01) {
    if (c1 !== 0x01 || c2 !== 0) throw new Iec104CodecError('framing', 'malformed S-frame control field');
    return { format: 'S', receiveSequence: (c3 >> 1) | (c4 << 7) };
  }
  const fn = (Object.keys(U_CODES) as UFunction[]).find((k) => U_CODES[k] === c1);
  if (!fn || c2 !== 0 || c3 !== 0 || c4 !== 0) throw new Iec104CodecError('framing', `unknown U-frame control 0x${c1.toString(16)}`);
  return { format: 'U', function: fn };
}

/** Splits a TCP byte stream into frames; returns the complete frames and the bytes of an incomplete one. */
export function splitFrames(buffer: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset + 2 <= buffer.length) {
    if (buffer[offset] !== START) throw new Iec104CodecError('framing', `byte 0x${buffer[offset]!.toString(16)} where a frame should start`);
    const length = buffer[offset + 1]!;
    // An impossible length is refused at once rather than waited on.
    if (length < 4 || length > MAX_APDU_LENGTH) throw new Iec104CodecError('length', `APDU length field ${length} outside 4–${MAX_APDU_LENGTH}`);
    const end = offset + 2 + length;
    if (end > buffer.length) break;
    frames.push(buffer.subarray(offset, end));
    offset = end;
  }
  return { frames, rest: buffer.subarray(offset) };
}
