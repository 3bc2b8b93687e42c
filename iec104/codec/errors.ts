/** A frame that cannot be decoded or encoded; `reason` says what is wrong, for the log and the close. */
export class Iec104CodecError extends Error {
  constructor(readonly reason: 'framing' | 'length' | 'unknown-type' | 'bad-cause' | 'bad-value' | 'truncated', message: string) {
    super(message);
    this.name = 'Iec104CodecError';
  }
}
