import type { OadrMessage, ServiceName } from '../../schemas/index.js';
import { FlexBridgeError } from '../../src/errors.js';

/**
 * One OpenADR 2.0b conformance test case. IDs follow the certification test specification's
 * scheme `<Service><Transport>_<NNNN>_<Role>` (N registration, E events, P opts, R reports,
 * G general/security; 1 pull, 0 push; TH_VEN: the harness plays a VEN, so the VTN is under test).
 */
export interface ConformanceCase<Target, Context extends CaseRun = CaseContext<Target>> {
  readonly id: string;
  readonly title: string;
  /** The requirement it checks, in the specification's words or ours where it is silent. */
  readonly requirement: string;
  /** How the VTN's payloads reach the VEN in this case (the spec's pull and push lists); pull when absent. */
  readonly delivery?: 'pull' | 'push';
  /** The VEN under test starts with a venID the VTN pre-allocated (VEN cases). */
  readonly preallocate?: boolean;
  /** Why the case does not apply to this target, or undefined when it does. */
  notApplicable?(target: Target): string | undefined;
  run(ctx: Context): Promise<void>;
}

/** One request/response pair, kept for the report. */
export interface Exchange {
  /** The 2.0b service, or an OpenADR 3 request's method and path. */
  readonly service: ServiceName | string;
  readonly sent: string;
  readonly received: string;
  readonly status: number;
}

/** What the runner needs of any case's context: the exchanges to report and how to release it. */
export interface CaseRun {
  readonly exchanges: readonly Exchange[];
  /** Releases what the context opened for the case (servers, connections, the system under test). */
  stop?(): Promise<void>;
}

export interface CaseContext<Target> extends CaseRun {
  readonly target: Target;
  /** Sends a payload (typed, or raw XML for negative cases) and returns the schema-valid answer; a schema-invalid answer fails the case. */
  send(service: ServiceName, payload: OadrMessage | string, options?: { as?: VenIdentity; sign?: boolean }): Promise<OadrMessage>;
  /** A fresh VEN identity (certificate) for cases that must not share state. */
  newVen(label: string): VenIdentity;
  readonly exchanges: Exchange[];
}

/** A VEN identity the harness acts as: its certificate and the venID derived from it. */
export interface VenIdentity {
  readonly label: string;
  readonly keyPem: string;
  readonly certPem: string;
  readonly venId: string;
}

/** A failed expectation: the message says what was expected and what came. */
export class CaseFailure extends FlexBridgeError {
  readonly code = 'case-failed';
}

/** Thrown by a case that finds, while running, that the system under test lacks an optional feature it checks. */
export class NotApplicable extends FlexBridgeError {
  readonly code = 'not-applicable';
}

export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CaseFailure(message);
}

/** The answer must be of `type`; returns it narrowed. */
export function expectType<T extends OadrMessage['type']>(message: OadrMessage, type: T): Extract<OadrMessage, { type: T }> {
  if (message.type !== type) throw new CaseFailure(`expected ${type}, got ${message.type}${'response' in message && message.response ? ` (${message.response.responseCode} ${message.response.responseDescription ?? ''})` : ''}`);
  return message as Extract<OadrMessage, { type: T }>;
}

/** The answer's eiResponse must carry `code`. */
export function expectCode(message: OadrMessage, code: number): void {
  const response = 'response' in message ? (message as { response?: { responseCode: number; responseDescription?: string } }).response : undefined;
  if (!response) throw new CaseFailure(`expected responseCode ${code}, got ${message.type} without eiResponse`);
  if (response.responseCode !== code) throw new CaseFailure(`expected responseCode ${code}, got ${response.responseCode} (${response.responseDescription ?? ''}) in ${message.type}`);
}

/** The request was served: any answer but an eiResponse error (4xx). */
export function expectServed(message: OadrMessage, what: string): void {
  const response = 'response' in message ? (message as { response?: { responseCode: number; responseDescription?: string } }).response : undefined;
  if (response && response.responseCode >= 400) throw new CaseFailure(`${what} should be served, got ${response.responseCode} (${response.responseDescription ?? ''})`);
}

/** Picks cases by ID out of the scenario modules' tables, in the order asked; an unknown ID is a mistake in the list. */
export function caseIndex<C extends { readonly id: string }>(...tables: readonly (readonly C[])[]): (...caseIds: string[]) => C[] {
  const byId = new Map(tables.flat().map((c) => [c.id, c] as const));
  return (...caseIds) => caseIds.map((id) => {
    const found = byId.get(id);
    if (!found) throw new Error(`no conformance case ${id}`);
    return found;
  });
}
