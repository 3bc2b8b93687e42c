/**
 * Typed errors of the OpenADR 2.0b codec. Each carries the 2.0b responseCode a transport
 * should answer with, so no caller ever matches on message text.
 */
import { FlexBridgeError } from '../src/errors.js';

/** 2.0b response codes (eiResponse/responseCode), as the profile specification lists them. */
export const ResponseCode = {
  ok: 200,
  outOfSequence: 450,
  notAllowed: 451,
  invalidId: 452,
  notRecognized: 453,
  invalidData: 454,
  complianceError: 459,
  signalNotSupported: 460,
  reportNotSupported: 461,
  targetMismatch: 462,
  notRegisteredOrAuthorized: 463,
  deploymentErrorOther: 469,
} as const;
export type ResponseCode = (typeof ResponseCode)[keyof typeof ResponseCode];

export type OadrErrorKind =
  | 'too-large'
  | 'encoding'
  | 'forbidden-construct'
  | 'not-well-formed'
  | 'wrong-root'
  | 'schema-invalid'
  | 'invalid-value'
  | 'signature-missing'
  | 'signature-invalid'
  | 'replayed'
  | 'stale'
  | 'unsupported';

/** The codec's base error: `code` (= `kind`) is stable, `responseCode` is what a transport answers. */
export class OadrError extends FlexBridgeError {
  readonly responseCode: ResponseCode;
  readonly kind: OadrErrorKind;
  constructor(kind: OadrErrorKind, responseCode: ResponseCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.responseCode = responseCode;
  }

  get code(): OadrErrorKind {
    return this.kind;
  }
}

/** The bytes could not be read as an OpenADR document at all (size, encoding, DTDs, syntax, root). */
export class OadrParseError extends OadrError {
  constructor(kind: 'too-large' | 'encoding' | 'forbidden-construct' | 'not-well-formed' | 'wrong-root', message: string, options?: { cause?: unknown }) {
    super(kind, ResponseCode.invalidData, message, options);
  }
}

/** One problem found by XSD validation, with where it is. */
export interface SchemaViolation {
  readonly message: string;
  readonly line: number;
  readonly path: string;
}

/** The document is well formed but does not validate against the official 2.0b XSD set. */
export class OadrSchemaError extends OadrError {
  readonly violations: readonly SchemaViolation[];
  constructor(violations: readonly SchemaViolation[]) {
    const first = violations[0];
    super('schema-invalid', ResponseCode.invalidData, `payload does not validate against the OpenADR 2.0b schema: ${first ? `${first.message} (line ${first.line}, ${first.path})` : 'unknown violation'}`);
    this.violations = violations;
  }
}

/** A value is present but cannot be turned into the model (bad duration, unknown enumeration, ...). */
export class OadrValueError extends OadrError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('invalid-value', ResponseCode.invalidData, `${path}: ${message}`);
    this.path = path;
  }
}

export type SignatureFailure = 'signature-missing' | 'signature-invalid' | 'replayed' | 'stale';

/** XML signature problems: 2.0b treats an unverifiable signature as not authorized (463). */
export class OadrSignatureError extends OadrError {
  constructor(kind: SignatureFailure, message: string, options?: { cause?: unknown }) {
    super(kind, ResponseCode.notRegisteredOrAuthorized, message, options);
  }
}

/** An OpenADR 3 object that cannot be carried as a 2.0b event (gaps, looping, non-numeric payloads…), saying why. */
export class Openadr3Error extends FlexBridgeError {
  readonly code = 'openadr3-not-representable';
}

/**
 * A part the canonical writer cannot write itself (an opaque fragment, a character XML 1.0
 * forbids): the parser's canonicalisation must. Internal to signing; never reaches a caller.
 */
export class CanonicalFormUnavailable extends FlexBridgeError {
  readonly code = 'canonical-form-unavailable';
}
