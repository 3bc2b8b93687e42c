import type { EventRecord, ProgramRecord, VenRecord } from '../store/records.js';
import type { ServiceName } from '../../schemas/index.js';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import type { VtnStore, VtnStoreTransaction } from '../store/store.js';

/** What the transport knows about a request; the services never see sockets. */
export interface RequestContext {
  readonly service: ServiceName;
  /** SHA-256 (hex) of the client's TLS certificate; absent only when TLS is off (development). */
  readonly certificateSha256?: string;
  /** The verified signature's replay-protection values, when the payload was signed. */
  readonly signature?: { readonly nonce: string; readonly timestampMs: number };
  readonly transport: 'http' | 'push-response' | 'xmpp';
  /** The venID the transport authenticated by other means than a TLS certificate (XMPP: the account). */
  readonly authenticatedVenId?: string;
  /**
   * The VEN's record as the transport read it before the request (committed state, outside any
   * transaction): saves a read where committed state is enough. Transactions read their own.
   */
  readonly venAsRead?: VenRecord;
}

export interface ServicePolicy {
  readonly vtnId: string;
  readonly pollFrequencyMs: number;
  /** An event is 'near' this long before it starts (x-eiRampUp overrides it per event). */
  readonly nearWindowMs: number;
  readonly requireSignatures: boolean;
  readonly signatureRetentionMs: number;
  /** What the VTN asks for when a VEN registers TELEMETRY reports. */
  readonly telemetry: { readonly granularityMs: number; readonly reportBackMs: number };
  /** The 2.0b transports this VTN offers (XMPP only when an XMPP endpoint is configured). */
  readonly transports?: readonly ('simpleHttp' | 'xmpp')[];
  /** The time zone of a program created without one (default UTC). */
  readonly timeZone?: string;
}

export interface ServiceDeps {
  readonly store: VtnStore;
  readonly clock: Clock;
  readonly policy: ServicePolicy;
  readonly logger: Logger;
  readonly newId: () => string;
  /** Told of every answered request (the VTN's metrics). */
  readonly observer?: RequestObserver;
  /** Told, inside the transaction, of every program and event change (OpenADR 3 notifications). */
  readonly changes?: DomainChangeListener;
}

/** A change of a shared program or event, whichever API or order made it. */
export type DomainChange =
  | { readonly kind: 'event'; readonly action: 'created' | 'modified' | 'cancelled'; readonly record: EventRecord }
  | { readonly kind: 'program'; readonly action: 'created' | 'updated'; readonly record: ProgramRecord };

export type DomainChangeListener = (tx: VtnStoreTransaction, change: DomainChange) => Promise<void>;

export interface RequestObserver {
  answered(ctx: RequestContext, payload: string, responseCode: number, seconds: number): void;
}

export type Tx = VtnStoreTransaction;


/**
 * 2.0b: the venID is derived from the client certificate's fingerprint, the last 10 bytes of
 * its SHA-256; peers write it as hex with or without colons, in either case.
 */
export function venIdFromCertificate(certificateSha256: string): string {
  return certificateSha256.slice(-20).toLowerCase();
}

export function sameVenId(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/:/g, '').toLowerCase();
  return norm(a) === norm(b);
}
