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

/** RFC 6749 §5.2: why the OpenADR 3 token endpoint refused a request, with its HTTP status. */
export class TokenRefusal extends VtnError {
  readonly code = 'token-refused';
  constructor(readonly status: 400 | 401, readonly error: 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type' | 'unauthorized_client', message: string) {
    super(message);
  }
}

/** An OpenADR 3 request whose bearer token does not authenticate (401) or lacks a scope (403). */
export class AuthRefusal extends VtnError {
  readonly code = 'auth-refused';
  constructor(readonly status: 401 | 403, message: string) {
    super(message);
  }
}
