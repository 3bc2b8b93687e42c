import type { Leadership } from './leadership.js';
import type {
  EventRecord, EventResponseRecord, EventVersionRecord, FeedData, FeedEntry, FeedKind, OptRecord, OutboxBody, OutboxEntry,
  Object3Kind, Object3Record, ProgramRecord, UpstreamEventRecord, WebhookDelivery, WebhookEntry, ReadingRecord, ReportRegistrationRecord, ReportRequestRecord, ReportRequestState, VenRecord,
} from './records.js';

/**
 * Everything the VTN keeps. All writes happen inside `transaction`; the transport answers only
 * after it resolves, i.e. after the commit. SQLite (embedded default) completes the methods
 * synchronously; PostgreSQL (several nodes) runs each transaction at SERIALIZABLE, retried.
 */
export interface VtnStore {
  transaction<T>(work: (tx: VtnStoreTransaction) => Promise<T>): Promise<T>;
  /** Called after each commit that enqueued a message or appended to the feed (push sender, feed readers). */
  onCommitted(listener: CommitListener): void;
  /** Reads outside a transaction see the last committed state. */
  readonly read: VtnStoreReads;
  /** Who among the nodes sharing this store runs `task` (a singleton such as the UVAM's station). */
  lead(task: string): Leadership;
  /** Transactions this process ran again after a serialization failure (PostgreSQL), for metrics. */
  readonly retries?: number;
  /** Resolves when the store can be used (schema migrated); rejects saying why it cannot. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Told after a commit (on a shared database, also another node's) that enqueued or fed something. */
export type CommitListener = (changes: { readonly enqueued: boolean; readonly fed: boolean }) => void;

/** A search of events, filtered and paged by the store (the OpenADR 3 event list). */
export interface EventSearch {
  readonly programId?: string;
  /** Events with one of these target groups. */
  readonly groupIds?: readonly string[];
  /** Events that target one of these VENs. */
  readonly venIds?: readonly string[];
  /** Events that end after this instant (epoch ms). */
  readonly endsAfter?: number;
  readonly skip: number;
  readonly limit: number;
}

export interface VtnStoreReads {
  getVen(venId: string): Promise<VenRecord | undefined>;
  findVenByRegistrationId(registrationId: string): Promise<VenRecord | undefined>;
  listVens(): Promise<VenRecord[]>;
  getProgram(programId: string): Promise<ProgramRecord | undefined>;
  listPrograms(): Promise<ProgramRecord[]>;
  getEvent(eventId: string): Promise<EventRecord | undefined>;
  listEvents(): Promise<EventRecord[]>;
  listEventVersions(eventId: string): Promise<EventVersionRecord[]>;
  /** Events that target the VEN and are not finished before `after` (epoch ms). */
  eventsForVen(venId: string, after: number): Promise<EventRecord[]>;
  /** One page of events (not cancelled), oldest first by creation then ID: the store filters and pages. */
  searchEvents(q: EventSearch): Promise<EventRecord[]>;
  eventTargets(eventId: string): Promise<string[]>;
  listEventResponses(eventId?: string): Promise<EventResponseRecord[]>;
  getOpt(optId: string): Promise<OptRecord | undefined>;
  listOpts(venId?: string): Promise<OptRecord[]>;
  listReportRegistrations(venId: string): Promise<ReportRegistrationRecord[]>;
  getReportRequest(reportRequestId: string): Promise<ReportRequestRecord | undefined>;
  listReportRequests(venId: string): Promise<ReportRequestRecord[]>;
  listReadings(filter: { venId?: string; rId?: string; from?: number; to?: number; limit?: number }): Promise<ReadingRecord[]>;
  /** The most recent reading of one data point of one VEN starting at or after `from`, if any. */
  latestReading(venId: string, rId: string, from: number): Promise<ReadingRecord | undefined>;
  countReadings(): Promise<number>;
  pendingOutbox(venId: string): Promise<OutboxEntry[]>;
  /** Entries for registered push VENs due at `now`, oldest first, at most one per VEN (messages to a VEN stay in order). */
  duePushEntries(now: number, limit: number): Promise<OutboxEntry[]>;
  feedAfter(offset: number, limit: number): Promise<FeedEntry[]>;
  /** Counts for metrics, each from an index: VENs by state, the outbox, the feed's head. */
  stats(): Promise<StoreStats>;
  getObject3(kind: Object3Kind, id: string): Promise<Object3Record | undefined>;
  /** Every object of a kind (of one client when given), oldest first. */
  listObjects3(kind: Object3Kind, clientId?: string): Promise<Object3Record[]>;
  /** Webhook notifications not yet delivered. */
  countPendingWebhooks(): Promise<number>;
  getUpstreamEvent(upstreamId: string): Promise<UpstreamEventRecord | undefined>;
  /** Every upstream event, oldest received first. */
  listUpstreamEvents(): Promise<UpstreamEventRecord[]>;
}

export interface StoreStats {
  readonly vensByState: Readonly<Record<string, number>>;
  /** Undelivered outbox entries, those for push VENs, and when the oldest was queued (epoch ms). */
  readonly outboxPending: number;
  readonly pushPending: number;
  readonly oldestPendingAt?: number;
  /** The largest feed offset. */
  readonly feedHead: number;
}

export interface VtnStoreTransaction extends VtnStoreReads {
  putVen(ven: VenRecord): Promise<void>;
  putProgram(program: ProgramRecord): Promise<void>;
  /** Writes the event and its version row (one per modificationNumber). */
  putEvent(event: EventRecord, version: EventVersionRecord): Promise<void>;
  setEventTargets(eventId: string, venIds: readonly string[]): Promise<void>;
  /** Adds or removes one VEN among an event's targets (a VEN joining or leaving: no rewrite of the whole list). */
  setEventTarget(eventId: string, venId: string, targeted: boolean): Promise<void>;
  putEventResponse(response: EventResponseRecord): Promise<void>;
  putOpt(opt: OptRecord): Promise<void>;
  putReportRegistration(registration: ReportRegistrationRecord): Promise<void>;
  putReportRequest(request: ReportRequestRecord): Promise<void>;
  setReportRequestState(reportRequestId: string, state: ReportRequestState): Promise<void>;
  /** Idempotent: a reading resent by the VEN replaces the earlier copy. Returns how many were new. */
  putReadings(readings: readonly ReadingRecord[]): Promise<number>;
  enqueue(venId: string, body: OutboxBody, now: number): Promise<void>;
  /** The same message for many VENs (an event's fan-out), in one statement where the database allows. */
  enqueueMany(venIds: readonly string[], body: OutboxBody, now: number): Promise<void>;
  /**
   * Leases due pushes to `holder` until `leasedUntil`: the oldest undelivered entry of each push VEN
   * whose retry time has come and that no live lease holds, oldest first. Nodes sharing a database
   * claim different entries; a dead node's leases run out. Delivery or reschedule ends a lease.
   */
  claimPushEntries(now: number, limit: number, leasedUntil: number, holder: string): Promise<OutboxEntry[]>;
  markDelivered(id: number, now: number): Promise<void>;
  /**
   * Drops undelivered distribute markers of a VEN (a fresh distribute supersedes them); with
   * `upToId`, only markers queued up to that entry (later ones ask for a newer distribute).
   */
  markDistributesDelivered(venId: string, now: number, upToId?: number): Promise<void>;
  reschedule(id: number, nextAttemptAt: number, error: string): Promise<void>;
  /** Makes every undelivered push to a VEN of this transport due at `now` (its path is back: waiting out a backoff would only delay). */
  expeditePushes(transportName: string, now: number): Promise<number>;
  appendFeed<K extends FeedKind>(kind: K, data: FeedData[K], now: number): Promise<void>;
  putObject3(record: Object3Record): Promise<void>;
  enqueueWebhook(delivery: WebhookDelivery, now: number): Promise<void>;
  /**
   * Leases due webhook deliveries to `holder`: the oldest undelivered one of each callback URL
   * (a receiver gets its notifications in order), whose retry time has come and that no live lease holds.
   */
  claimWebhooks(now: number, limit: number, leasedUntil: number, holder: string): Promise<WebhookEntry[]>;
  markWebhookDelivered(id: number, now: number): Promise<void>;
  rescheduleWebhook(id: number, nextAttemptAt: number, error: string): Promise<void>;
  deleteObject3(kind: Object3Kind, id: string): Promise<void>;
  putUpstreamEvent(record: UpstreamEventRecord): Promise<void>;
  /** Records a signature nonce; false when it was already seen (a replay). */
  rememberNonce(nonce: string, timestampMs: number, now: number, retentionMs: number): Promise<boolean>;
}
