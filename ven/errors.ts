import { FlexBridgeError, VtnUnavailableError } from '../src/errors.js';

/** The base of every error the VEN throws on purpose; `code` is stable. */
export abstract class VenError extends FlexBridgeError {}

/** The VTN answered and refused what the VEN asked: its 2.0b response code and reason. */
export class VtnRefusedError extends VenError {
  readonly code = 'vtn-refused';
  constructor(readonly responseCode: number, message: string) {
    super(message);
  }
}

/** Something that needs a registration was asked of a VEN that has none. */
export class VenNotRegisteredError extends VenError {
  readonly code = 'not-registered';
  constructor() {
    super('the VEN is not registered');
  }
}

/** The VTN did not answer at all (shared with every other client of the VTN). */
export { VtnUnavailableError };

/** The VEN's configuration cannot be read or does not validate. */
export class VenConfigError extends VenError {
  readonly code = 'invalid-config';
}

/** The EMS was given a problem it cannot schedule (mismatched lengths, an appliance with no start). */
export class EmsInputError extends VenError {
  readonly code = 'invalid-ems-input';
}

/** An OpenADR 3 VTN refused a request: its HTTP status and the problem's detail. */
export class Vtn3RefusedError extends VenError {
  readonly code = 'vtn3-refused';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
