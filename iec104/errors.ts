import { FlexBridgeError } from '../src/errors.js';

/** The base of every IEC 60870-5-104 error; `code` is stable. */
export abstract class Iec104Error extends FlexBridgeError {}

export type Iec104CodecFault = 'framing' | 'length' | 'unknown-type' | 'bad-cause' | 'bad-value' | 'truncated';

/** A frame that cannot be decoded or encoded; `reason` (= `code`) says what is wrong, for the log and the close. */
export class Iec104CodecError extends Iec104Error {
  constructor(readonly reason: Iec104CodecFault, message: string) {
    super(message);
  }

  get code(): Iec104CodecFault {
    return this.reason;
  }
}

/** A command the controlled station refused (with its cause of transmission) or did not answer. */
export class Iec104CommandError extends Iec104Error {
  readonly code = 'command-failed';
  constructor(message: string, readonly causeOfTransmission?: number) {
    super(message);
  }
}

/** An ASDU that is well framed but must not be answered: the connection is closed with this reason. */
export class Iec104ProtocolViolation extends Iec104Error {
  readonly code = 'protocol-violation';
}
