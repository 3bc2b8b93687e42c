import type { OadrEvent, OadrMessage, OadrReport, OptSchedule, ReportPayload, ReportRequest } from '../../schemas/index.js';

export type VenState = 'registered' | 'cancelled';

export interface VenRecord {
  readonly venId: string;
  readonly registrationId: string;
  readonly venName?: string;
  readonly profileName: string;
  readonly transportName: string;
  readonly transportAddress?: string;
  readonly httpPullModel: boolean;
  readonly reportOnly: boolean;
  readonly xmlSignature: boolean;
  /** SHA-256 of the client certificate DER, lowercase hex, or undefined when TLS is off (tests only). */
  readonly certificateSha256?: string;
  readonly registeredAt: number;
  readonly state: VenState;
  /** Operator-assigned targeting attributes. */
  readonly groupIds: readonly string[];
  readonly resourceIds: readonly string[];
  readonly partyId?: string;
}

export interface ProgramRecord {
  readonly programId: string;
  readonly name: string;
  readonly marketContext: string;
  /** The program's IANA time zone: its days, event windows and baselines are local (absent in programs stored before: UTC). */
  readonly timeZone?: string;
  readonly createdAt: number;
}

/** The stored event; status is computed from the clock when it is sent, except 'cancelled'. */
export interface EventRecord {
  readonly eventId: string;
  readonly programId: string;
  readonly modificationNumber: number;
  readonly cancelled: boolean;
  /** The event as the last version defines it (eventStatus in it is ignored). */
  readonly event: OadrEvent;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface EventVersionRecord {
  readonly eventId: string;
  readonly modificationNumber: number;
  readonly event: OadrEvent;
  /** SHA-256 of the canonical JSON of the version, for the ledger anchor. */
  readonly contentSha256: string;
  readonly createdAt: number;
}

export interface EventResponseRecord {
  readonly eventId: string;
  readonly modificationNumber: number;
  readonly venId: string;
  readonly optType: 'optIn' | 'optOut';
  readonly responseCode: number;
  readonly receivedAt: number;
}

export interface OptRecord {
  readonly optId: string;
  readonly venId: string;
  readonly opt: OptSchedule;
  readonly cancelled: boolean;
  readonly createdAt: number;
}

export interface ReportRegistrationRecord {
  readonly venId: string;
  readonly reportSpecifierId: string;
  readonly report: OadrReport;
  readonly registeredAt: number;
}

export type ReportRequestState = 'requested' | 'created' | 'cancelled';

export interface ReportRequestRecord {
  readonly reportRequestId: string;
  readonly venId: string;
  readonly request: ReportRequest;
  readonly state: ReportRequestState;
  readonly createdAt: number;
}

export interface ReadingRecord {
  readonly venId: string;
  readonly reportRequestId: string;
  readonly reportSpecifierId: string;
  readonly rId: string;
  readonly dtstart: number;
  readonly durationMs: number;
  readonly payload: ReportPayload;
  readonly receivedAt: number;
}

/** A message waiting for a VEN: handed out by oadrPoll, or pushed. A distribute is built at delivery. */
export type OutboxBody = { readonly kind: 'distributeEvent' } | { readonly kind: 'message'; readonly message: OadrMessage };

export interface OutboxEntry {
  readonly id: number;
  readonly venId: string;
  readonly body: OutboxBody;
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}

/** What each kind of feed entry carries: the state change, in terms a consumer can check. */
export interface FeedData {
  readonly ven:
    | { readonly action: 'registered' | 'reregistered'; readonly venId: string; readonly registrationId?: string }
    | { readonly action: 'cancelled'; readonly by: 'ven' | 'vtn'; readonly venId: string; readonly registrationId?: string }
    | { readonly action: 'attributes'; readonly venId: string; readonly [attribute: string]: unknown };
  readonly event:
    | { readonly action: 'created' | 'modified'; readonly eventId: string; readonly modificationNumber: number; readonly programId: string; readonly venIds: readonly string[]; readonly contentSha256: string }
    | { readonly action: 'cancelled'; readonly eventId: string; readonly modificationNumber: number; readonly contentSha256: string };
  readonly eventResponse: EventResponseRecord;
  readonly opt: (OptRecord & { readonly action: 'created' | 'replaced' }) | { readonly action: 'cancelled'; readonly optId: string; readonly venId: string };
  readonly reportRegistration: { readonly venId: string; readonly reportSpecifierIds: readonly string[]; readonly requested: readonly string[] };
  readonly reportRequest:
    | { readonly venId: string; readonly reportRequestId: string; readonly state: 'created' }
    | { readonly venId: string; readonly reportRequestIds: readonly string[]; readonly state: 'requested' }
    | { readonly venId: string; readonly reportRequestIds: readonly string[]; readonly state: 'cancelling'; readonly reportToFollow: boolean };
  /** A stored window of a VEN's readings (the readings themselves are read separately). */
  readonly reading: { readonly venId: string; readonly reportRequestId: string; readonly reportSpecifierId: string; readonly from: number; readonly to: number; readonly count: number };
  readonly program: ProgramRecord;
  readonly gridOrder: GridOrderRecord;
}

export type FeedKind = keyof FeedData;

/** A grid operator's order (a TSO setpoint over IEC 104) and what became of it. */
export interface GridOrderRecord {
  readonly orderId: string;
  /** Where it came from, e.g. `iec104`. */
  readonly source: string;
  /** Who sent it (the master's address). */
  readonly origin: string;
  readonly setpointW: number;
  readonly receivedAt: number;
  readonly decidedAt: number;
  readonly accepted: boolean;
  readonly eventIds: readonly string[];
  readonly reason?: string;
  /** How the setpoint was shared among the VENs: by the DR contract on the ledger, or the fallback and why. */
  readonly allocatedBy?: string;
}

/** One state change, in commit order; offsets let a consumer (the anchor service) resume. A union on `kind`. */
export type FeedEntry = { [K in FeedKind]: { readonly offset: number; readonly at: number; readonly kind: K; readonly data: FeedData[K]; readonly requestId?: string } }[FeedKind];

/** What the OpenADR 3 API keeps beside the shared records: its own objects, and 3.x fields of shared ones. */
export type Object3Kind = 'program' | 'event' | 'report' | 'subscription' | 'ven' | 'resource';

/**
 * An OpenADR 3 object by kind and ID. Programs and events live in the shared tables (2.0b and 3.x
 * VENs see the same ones); their rows here hold only what 2.0b cannot carry (names, descriptors,
 * targets as given). Reports, subscriptions, 3.x VENs and resources are whole objects here.
 */
export interface Object3Record {
  readonly kind: Object3Kind;
  readonly id: string;
  /** The OAuth client that owns it (privacy: a VEN client sees only its own). */
  readonly clientId?: string;
  /** That client's role when it wrote the object (a client of an external provider is in no configuration). */
  readonly clientRole?: 'bl' | 'ven';
  readonly body: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * An event of the upstream VTN this VTN is a VEN of (the bridge, docs/bridge.md), as last received,
 * with the downstream events derived from it: written with them in one transaction.
 */
export interface UpstreamEventRecord {
  /** The upstream's event ID. */
  readonly upstreamId: string;
  readonly protocol: 'openadr3' | 'openadr2b';
  readonly upstreamUrl: string;
  /** The upstream version (2.0b modificationNumber; 3.x versions counted by the bridge). */
  readonly modificationNumber: number;
  /** The upstream event as the 2.0b event view (a 3.x event is read through the same mapping). */
  readonly event: OadrEvent;
  readonly status: 'active' | 'cancelled';
  readonly derivedEventIds: readonly string[];
  readonly opt: 'optIn' | 'optOut';
  /** How the request was shared among the fleet. */
  readonly allocatedBy: string;
  readonly receivedAt: number;
  readonly updatedAt: number;
}

/** A notification to POST to a subscription's callback URL (OpenADR 3 webhooks), kept until delivered. */
export interface WebhookDelivery {
  readonly subscriptionId: string;
  readonly url: string;
  readonly bearerToken?: string;
  /** The notification, JSON. */
  readonly body: string;
}

export interface WebhookEntry extends WebhookDelivery {
  readonly id: number;
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}
