/**
 * The base of every error FlexBridge throws on purpose. `code` is stable (kebab-case, never
 * reworded), so callers, logs and tests match on it rather than on message text. Each module keeps
 * its own errors in one file (`schemas/errors.ts`, `iec104/errors.ts`, `vtn/errors.ts`,
 * `ven/errors.ts`, `anchor/errors.ts`), each under one base class of that module.
 */
export abstract class FlexBridgeError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A request body passed its limit; reading stopped there. */
export class BodyTooLargeError extends FlexBridgeError {
  readonly code = 'body-too-large';
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * The VTN did not answer (network, timeout, an HTTP status other than 200): transient, worth
 * another try later. Thrown by every client of the VTN — a VEN's OpenADR channel and the anchor's
 * reader of the operator API alike.
 */
export class VtnUnavailableError extends FlexBridgeError {
  readonly code = 'vtn-unavailable';
}

/** A date, time zone or interval length that does not make a local day (see local-day.ts). */
export class LocalDayError extends FlexBridgeError {
  readonly code = 'invalid-local-day';
}
