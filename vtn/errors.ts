import { FlexBridgeError } from '../src/errors.js';

/** The base of every error the VTN throws on purpose; `code` is stable. */
export abstract class VtnError extends FlexBridgeError {}

/** A request the VTN refuses, with the 2.0b responseCode that says why. */
export class VtnRequestError extends VtnError {
  readonly code = 'request-refused';
  constructor(readonly responseCode: number, message: string) {
    super(message);
  }
}

/** The VTN's configuration cannot be read or does not validate. */
export class ConfigError extends VtnError {
  readonly code = 'invalid-config';
}

/** A VEN's oadrTransportAddress the VTN will not push to (not a URL, plain HTTP, its own listener…). */
export class PushTargetError extends VtnError {
  readonly code = 'push-target-refused';
}

/** An operator API request refused with an HTTP status (and extra fields for the JSON body). */
export class OperatorApiError extends VtnError {
  readonly code = 'operator-request-refused';
  constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}
