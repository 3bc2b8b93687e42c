import { STATUS_CODES } from 'node:http';
import { Openadr3Error, ResponseCode } from '../../schemas/index.js';
import { BodyTooLargeError } from '../../src/errors.js';
import { OperatorApiError, VtnRequestError } from '../errors.js';

/** RFC 9457 problem details, the one shape of every operator API refusal. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly responseCode?: number;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

/** The kinds of problem by HTTP status: stable URIs a client may branch on (docs/operations.md). */
const TYPES: Readonly<Record<number, string>> = {
  400: 'invalid-request', 401: 'unauthorized', 403: 'cross-site-refused', 404: 'not-found', 405: 'method-not-allowed',
  409: 'refused-by-vtn', 413: 'body-too-large', 415: 'unsupported-media-type', 500: 'internal-error', 503: 'unavailable',
};

export const problemType = (status: number): string => `urn:flexbridge:problem:${TYPES[status] ?? (status >= 500 ? 'internal-error' : 'invalid-request')}`;

export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: problemType(status), title: STATUS_CODES[status] ?? 'Error', status, detail, ...extra };
}

/** A framework error (fastify's FST_* codes) that is the caller's doing, with its HTTP status. */
interface HttpStatusError { readonly statusCode: number; readonly message: string; readonly code?: string }
const isHttpStatusError = (error: unknown): error is HttpStatusError =>
  typeof error === 'object' && error !== null && typeof (error as { statusCode?: unknown }).statusCode === 'number' && typeof (error as { message?: unknown }).message === 'string';

/**
 * The problem for an error a route threw, or undefined when it is our fault (the caller logs it and
 * answers 500 without details).
 */
export function problemFromError(error: unknown): Problem | undefined {
  if (error instanceof OperatorApiError) {
    const { issues, ...rest } = error.extra as { issues?: Problem['issues'] };
    return problem(error.status, error.message, { ...(issues ? { issues } : {}), ...(rest as Partial<Problem>) });
  }
  if (error instanceof VtnRequestError) {
    // "no such VEN/event" is a missing resource; everything else the services refuse is a conflict with the VTN's state.
    const status = error.responseCode === ResponseCode.invalidId && /^no /.test(error.message) ? 404 : 409;
    return problem(status, error.message, { responseCode: error.responseCode });
  }
  if (error instanceof BodyTooLargeError) return problem(413, error.message);
  if (error instanceof Openadr3Error) return problem(400, error.message);
  if (isHttpStatusError(error) && error.statusCode >= 400 && error.statusCode < 500) {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem(413, 'the request body is larger than 1 MiB');
    return problem(error.statusCode, error.message);
  }
  return undefined;
}
