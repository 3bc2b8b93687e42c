import type Database from 'better-sqlite3';
import { openSqlite } from '../../src/sqlite.js';
import { currentRequestId } from '../../src/request-id.js';
import type {
  EventRecord, EventResponseRecord, EventVersionRecord, FeedEntry, FeedKind, OptRecord, OutboxBody, OutboxEntry,
  Object3Kind, Object3Record, ProgramRecord, WebhookEntry, ReadingRecord, ReportRegistrationRecord, ReportRequestRecord, ReportRequestState, VenRecord,
  UpstreamEventRecord,
} from './records.js';
import { eventEndsAt, isPushVen } from './record-rules.js';
import { FixedLeadership, type Leadership } from './leadership.js';
import type { CommitListener, VtnStore, VtnStoreReads, VtnStoreTransaction } from './store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS vens (
  ven_id TEXT PRIMARY KEY, registration_id TEXT NOT NULL UNIQUE, state TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS programs (program_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  event_id TEXT PRIMARY KEY, program_id TEXT NOT NULL, modification_number INTEGER NOT NULL, cancelled INTEGER NOT NULL,
  ends_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event_versions (
  event_id TEXT NOT NULL, modification_number INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (event_id, modification_number));
CREATE TABLE IF NOT EXISTS event_targets (event_id TEXT NOT NULL, ven_id TEXT NOT NULL, PRIMARY KEY (ven_id, event_id));
CREATE INDEX IF NOT EXISTS events_by_creation ON events (json_extract(body, '$.createdAt'), event_id);
CREATE TABLE IF NOT EXISTS upstream_events (upstream_id TEXT PRIMARY KEY, received_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event_responses (
  event_id TEXT NOT NULL, modification_number INTEGER NOT NULL, ven_id TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (event_id, ven_id, modification_number));
CREATE TABLE IF NOT EXISTS opts (opt_id TEXT PRIMARY KEY, ven_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS opts_by_ven ON opts (ven_id);
CREATE TABLE IF NOT EXISTS report_registrations (
  ven_id TEXT NOT NULL, report_specifier_id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (ven_id, report_specifier_id));
CREATE TABLE IF NOT EXISTS report_requests (
  report_request_id TEXT PRIMARY KEY, ven_id TEXT NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS report_requests_by_ven ON report_requests (ven_id);
CREATE TABLE IF NOT EXISTS readings (
  ven_id TEXT NOT NULL, report_request_id TEXT NOT NULL, r_id TEXT NOT NULL, dtstart INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (ven_id, report_request_id, r_id, dtstart));
CREATE INDEX IF NOT EXISTS readings_by_rid ON readings (r_id, dtstart);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ven_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
  delivered_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT,
  push INTEGER NOT NULL DEFAULT 0, leased_until INTEGER NOT NULL DEFAULT 0, leased_by TEXT);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (ven_id, id) WHERE delivered_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_push_due ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL AND push = 1;
CREATE TABLE IF NOT EXISTS feed (offset INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, request_id TEXT);
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT NOT NULL, ts INTEGER NOT NULL, seen_at INTEGER NOT NULL, PRIMARY KEY (nonce, ts));
CREATE INDEX IF NOT EXISTS nonces_by_age ON nonces (seen_at);
CREATE TABLE IF NOT EXISTS objects3 (kind TEXT NOT NULL, id TEXT NOT NULL, client_id TEXT, created_at INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX IF NOT EXISTS objects3_by_client ON objects3 (kind, client_id);
CREATE TABLE IF NOT EXISTS webhooks3 (
  id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL, url TEXT NOT NULL, bearer_token TEXT, body TEXT NOT NULL, created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT, delivered_at INTEGER, leased_until INTEGER NOT NULL DEFAULT 0, leased_by TEXT);
CREATE INDEX IF NOT EXISTS webhooks3_due ON webhooks3 (next_attempt_at, id) WHERE delivered_at IS NULL;
CREATE INDEX IF NOT EXISTS webhooks3_by_url ON webhooks3 (url, id) WHERE delivered_at IS NULL;
`;

export interface SqliteStoreOptions {
  /** File path, or ':memory:' for tests. */
  readonly path: string;
  /** 'full' fsyncs every commit (survives power loss); 'normal' survives a process crash only. */
  readonly synchronous?: 'full' | 'normal';
  /**
   * Whether this process runs the singletons (default true). Several processes on one file
   * (`flexbridge vtn --workers N`) are told by their primary which one does.
   */
  readonly leads?: boolean;
}

type Row = Record<string, unknown>;
interface WaitingTransaction { work(tx: VtnStoreTransaction): Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void }
/** Transactions committed together at most (bounds how long the first of a group waits for its answer). */
const GROUP_COMMIT_LIMIT = 64;
const json = (row: Row | undefined, column = 'body'): unknown => (row ? JSON.parse(String(row[column])) : undefined);

/** The embedded default store: one SQLite file in WAL mode; one writer at a time. */
export class SqliteVtnStore implements VtnStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Transactions waiting for the next group commit, and the loop committing them (if running). */
  private readonly waiting: WaitingTransaction[] = [];
  private committing = false;
  private readonly listeners: CommitListener[] = [];
  private changes = { enqueued: false, fed: false };
  /** When expired nonces were last removed: expiry runs in batches, not on every signed request. */
  private noncesExpiredAt = Number.NEGATIVE_INFINITY;
  readonly read: VtnStoreReads;
  private readonly tx: VtnStoreTransaction;

  constructor(private readonly options: SqliteStoreOptions) {
    this.db = openSqlite(options.path, options.synchronous);
    this.db.pragma('foreign_keys = ON');
    // One transaction: processes opening the same file at once (`--workers`) must not both alter it.
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      // Files made before push leases and request IDs: add the columns. Leases a crash left run out
      // by themselves (another process on the file may hold live ones).
      const columns = (table: string): Set<string> => new Set((this.db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
      if (!columns('outbox').has('leased_until')) this.db.exec('ALTER TABLE outbox ADD COLUMN leased_until INTEGER NOT NULL DEFAULT 0; ALTER TABLE outbox ADD COLUMN leased_by TEXT');
      if (!columns('feed').has('request_id')) this.db.exec('ALTER TABLE feed ADD COLUMN request_id TEXT');
    }).immediate();
    this.read = this.reads();
    this.tx = { ...this.reads(), ...this.writes() };
  }

  transaction<T>(work: (tx: VtnStoreTransaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.committing) return;
      // The group starts on the next turn of the event loop: the transactions the I/O callbacks of
      // this turn ask for join it (a COMMIT blocks the thread for its fsync, so none can arrive during one).
      this.committing = true;
      setImmediate(() => { void this.commitGroups(); });
    });
  }

  /**
   * Group commit: the transactions waiting when a group starts run one after another inside one
   * SQLite transaction, each in its own savepoint (a failing one is rolled back alone), and are
   * answered after the one COMMIT — so concurrent requests share one fsync instead of paying one
   * each, and nothing is answered before it is durable. Transactions never interleave, as before.
   */
  private async commitGroups(): Promise<void> {
    // Cleared synchronously with the check of `waiting`, so no transaction is left behind.
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, GROUP_COMMIT_LIMIT);
      try {
        const settle = await this.commitGroup(group);
        settle();
      } catch (error) {
        // BEGIN or COMMIT failed (or the file is closed): nothing of the group was kept.
        try { if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK'); } catch { /* the connection is gone */ }
        for (const t of group) t.reject(error);
      }
    }
    this.committing = false;
  }

  /** Runs one group and commits it; returns how to answer its members (after the commit). */
  private async commitGroup(group: readonly WaitingTransaction[]): Promise<() => void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const changes = { enqueued: false, fed: false };
    this.db.exec('BEGIN IMMEDIATE');
    for (const t of group) {
      this.changes = { enqueued: false, fed: false };
      this.db.exec('SAVEPOINT grouped');
      try {
        const value = await t.work(this.tx);
        this.db.exec('RELEASE grouped');
        changes.enqueued ||= this.changes.enqueued;
        changes.fed ||= this.changes.fed;
        outcomes.push({ ok: true, value });
      } catch (error) {
        // This one alone is undone; the others of the group keep their work.
        this.db.exec('ROLLBACK TO grouped');
        this.db.exec('RELEASE grouped');
        outcomes.push({ ok: false, error });
      }
    }
    this.db.exec('COMMIT');
    return () => {
      group.forEach((t, i) => { const o = outcomes[i]!; if (o.ok) t.resolve(o.value); else t.reject(o.error); });
      if (!changes.enqueued && !changes.fed) return;
      for (const listener of this.listeners) {
        // A listener's failure is not the transactions' (they are committed and answered).
        try { listener(changes); } catch { /* listeners log their own failures */ }
      }
    };
  }

  onCommitted(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  lead(): Leadership {
    return new FixedLeadership(this.options.leads ?? true);
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private get(sql: string, ...params: unknown[]): Row | undefined {
    return this.stmt(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.stmt(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  private reads(): VtnStoreReads {
    const outbox = outboxEntry;
    return {
      getVen: async (venId) => json(this.get('SELECT body FROM vens WHERE ven_id = ?', venId)) as VenRecord | undefined,
      findVenByRegistrationId: async (id) => json(this.get('SELECT body FROM vens WHERE registration_id = ?', id)) as VenRecord | undefined,
      listVens: async () => this.all('SELECT body FROM vens ORDER BY ven_id').map((r) => json(r) as VenRecord),
      getProgram: async (id) => json(this.get('SELECT body FROM programs WHERE program_id = ?', id)) as ProgramRecord | undefined,
      listPrograms: async () => this.all('SELECT body FROM programs ORDER BY program_id').map((r) => json(r) as ProgramRecord),
      getEvent: async (id) => json(this.get('SELECT body FROM events WHERE event_id = ?', id)) as EventRecord | undefined,
      listEvents: async () => this.all('SELECT body FROM events ORDER BY event_id').map((r) => json(r) as EventRecord),
      listEventVersions: async (id) => this.all('SELECT body FROM event_versions WHERE event_id = ? ORDER BY modification_number', id).map((r) => json(r) as EventVersionRecord),
      eventsForVen: async (venId, after) => this.all(
        'SELECT e.body FROM event_targets t JOIN events e ON e.event_id = t.event_id WHERE t.ven_id = ? AND e.ends_at > ? ORDER BY e.event_id', venId, after,
      ).map((r) => json(r) as EventRecord),
      searchEvents: async (q) => {
        const where = ['cancelled = 0'];
        const args: unknown[] = [];
        if (q.programId !== undefined) { where.push('program_id = ?'); args.push(q.programId); }
        if (q.endsAfter !== undefined) { where.push('ends_at > ?'); args.push(q.endsAfter); }
        if (q.groupIds?.length) { where.push(`EXISTS (SELECT 1 FROM json_each(body, '$.event.target.groupIds') g WHERE g.value IN (${q.groupIds.map(() => '?').join(', ')}))`); args.push(...q.groupIds); }
        if (q.venIds) { where.push(`event_id IN (SELECT event_id FROM event_targets WHERE ven_id IN (${q.venIds.map(() => '?').join(', ') || 'NULL'}))`); args.push(...q.venIds); }
        return this.all(`SELECT body FROM events WHERE ${where.join(' AND ')} ORDER BY json_extract(body, '$.createdAt'), event_id LIMIT ? OFFSET ?`, ...args, q.limit, q.skip).map((r) => json(r) as EventRecord);
      },
      eventTargets: async (id) => this.all('SELECT ven_id FROM event_targets WHERE event_id = ? ORDER BY ven_id', id).map((r) => String(r.ven_id)),
      listEventResponses: async (id) => (id === undefined
        ? this.all('SELECT body FROM event_responses ORDER BY event_id, ven_id, modification_number')
        : this.all('SELECT body FROM event_responses WHERE event_id = ? ORDER BY ven_id, modification_number', id)).map((r) => json(r) as EventResponseRecord),
      getOpt: async (id) => json(this.get('SELECT body FROM opts WHERE opt_id = ?', id)) as OptRecord | undefined,
      listOpts: async (venId) => (venId === undefined ? this.all('SELECT body FROM opts ORDER BY opt_id') : this.all('SELECT body FROM opts WHERE ven_id = ? ORDER BY opt_id', venId)).map((r) => json(r) as OptRecord),
      listReportRegistrations: async (venId) => this.all('SELECT body FROM report_registrations WHERE ven_id = ? ORDER BY report_specifier_id', venId).map((r) => json(r) as ReportRegistrationRecord),
      getReportRequest: async (id) => json(this.get('SELECT body FROM report_requests WHERE report_request_id = ?', id)) as ReportRequestRecord | undefined,
      listReportRequests: async (venId) => this.all('SELECT body FROM report_requests WHERE ven_id = ? ORDER BY report_request_id', venId).map((r) => json(r) as ReportRequestRecord),
      listReadings: async ({ venId, rId, from, to, limit }) => this.all(
        `SELECT body FROM readings WHERE (@venId IS NULL OR ven_id = @venId) AND (@rId IS NULL OR r_id = @rId) AND dtstart >= @from AND dtstart < @to ORDER BY dtstart, ven_id, r_id LIMIT @limit`,
        { venId: venId ?? null, rId: rId ?? null, from: from ?? Number.MIN_SAFE_INTEGER, to: to ?? Number.MAX_SAFE_INTEGER, limit: limit ?? 10_000 },
      ).map((r) => json(r) as ReadingRecord),
      latestReading: async (venId, rId, from) => {
        const row = this.get('SELECT body FROM readings WHERE ven_id = ? AND r_id = ? AND dtstart >= ? ORDER BY dtstart DESC LIMIT 1', venId, rId, from);
        return row ? (json(row) as ReadingRecord) : undefined;
      },
      countReadings: async () => Number(this.get('SELECT count(*) AS n FROM readings')?.n ?? 0),
      pendingOutbox: async (venId) => this.all('SELECT * FROM outbox WHERE ven_id = ? AND delivered_at IS NULL ORDER BY id', venId).map(outbox),
      duePushEntries: async (now, limit) => this.all(
        `SELECT o.* FROM outbox o INDEXED BY outbox_push_due WHERE o.delivered_at IS NULL AND o.push = 1 AND o.next_attempt_at <= ?
           AND o.id = (SELECT min(id) FROM outbox p WHERE p.ven_id = o.ven_id AND p.delivered_at IS NULL)
         ORDER BY o.next_attempt_at, o.id LIMIT ?`, now, limit,
      ).map(outbox),
      stats: async () => {
        const vensByState = Object.fromEntries(this.all('SELECT state, count(*) AS n FROM vens GROUP BY state').map((r) => [String(r.state), Number(r.n)]));
        const outbox = this.get('SELECT count(*) AS n, sum(push) AS p, min(created_at) AS oldest FROM outbox WHERE delivered_at IS NULL')!;
        const feedHead = Number(this.get('SELECT max(offset) AS head FROM feed')?.head ?? 0);
        return { vensByState, outboxPending: Number(outbox.n), pushPending: Number(outbox.p ?? 0), ...(outbox.oldest == null ? {} : { oldestPendingAt: Number(outbox.oldest) }), feedHead };
      },
      countPendingWebhooks: async () => Number(this.get('SELECT count(*) AS n FROM webhooks3 WHERE delivered_at IS NULL')?.n ?? 0),
      getUpstreamEvent: async (id) => json(this.get('SELECT body FROM upstream_events WHERE upstream_id = ?', id)) as UpstreamEventRecord | undefined,
      listUpstreamEvents: async () => this.all('SELECT body FROM upstream_events ORDER BY received_at, upstream_id').map((r) => json(r) as UpstreamEventRecord),
      getObject3: async (kind, id) => json(this.get('SELECT body FROM objects3 WHERE kind = ? AND id = ?', kind, id)) as Object3Record | undefined,
      listObjects3: async (kind, clientId) => (clientId === undefined
        ? this.all('SELECT body FROM objects3 WHERE kind = ? ORDER BY created_at, id', kind)
        : this.all('SELECT body FROM objects3 WHERE kind = ? AND client_id = ? ORDER BY created_at, id', kind, clientId)).map((r) => json(r) as Object3Record),
      feedAfter: async (offset, limit) => this.all('SELECT * FROM feed WHERE offset > ? ORDER BY offset LIMIT ?', offset, limit)
        .map((r) => ({ offset: Number(r.offset), at: Number(r.at), kind: String(r.kind) as FeedKind, data: json(r), ...(r.request_id ? { requestId: String(r.request_id) } : {}) }) as FeedEntry),
    };
  }

  private writes(): Omit<VtnStoreTransaction, keyof VtnStoreReads> {
    return {
      putVen: async (ven) => {
        this.run('INSERT INTO vens (ven_id, registration_id, state, body) VALUES (?, ?, ?, ?) ON CONFLICT (ven_id) DO UPDATE SET registration_id = excluded.registration_id, state = excluded.state, body = excluded.body',
          ven.venId, ven.registrationId, ven.state, JSON.stringify(ven));
        // Pending messages follow the VEN's current delivery mode.
        this.run('UPDATE outbox SET push = ? WHERE ven_id = ? AND delivered_at IS NULL', isPushVen(ven) ? 1 : 0, ven.venId);
      },
      putObject3: async (o: Object3Record) => {
        this.run('INSERT INTO objects3 (kind, id, client_id, created_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET client_id = excluded.client_id, body = excluded.body',
          o.kind, o.id, o.clientId ?? null, o.createdAt, JSON.stringify(o));
      },
      deleteObject3: async (kind: Object3Kind, id: string) => { this.run('DELETE FROM objects3 WHERE kind = ? AND id = ?', kind, id); },
      putUpstreamEvent: async (u: UpstreamEventRecord) => {
        this.run('INSERT INTO upstream_events (upstream_id, received_at, body) VALUES (?, ?, ?) ON CONFLICT (upstream_id) DO UPDATE SET body = excluded.body', u.upstreamId, u.receivedAt, JSON.stringify(u));
      },
      enqueueWebhook: async (d, now) => {
        this.run('INSERT INTO webhooks3 (subscription_id, url, bearer_token, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)', d.subscriptionId, d.url, d.bearerToken ?? null, d.body, now, now);
        this.changes.enqueued = true;
      },
      claimWebhooks: async (now, limit, leasedUntil, holder) => {
        const due = this.all(
          `SELECT w.* FROM webhooks3 w INDEXED BY webhooks3_due WHERE w.delivered_at IS NULL AND w.next_attempt_at <= ? AND w.leased_until <= ?
             AND w.id = (SELECT min(id) FROM webhooks3 p WHERE p.url = w.url AND p.delivered_at IS NULL)
           ORDER BY w.next_attempt_at, w.id LIMIT ?`, now, now, limit,
        ).map(webhookEntry);
        for (const entry of due) this.run('UPDATE webhooks3 SET leased_until = ?, leased_by = ? WHERE id = ?', leasedUntil, holder, entry.id);
        return due;
      },
      markWebhookDelivered: async (id, now) => { this.run('UPDATE webhooks3 SET delivered_at = ?, leased_until = 0, leased_by = NULL WHERE id = ?', now, id); },
      rescheduleWebhook: async (id, nextAttemptAt, error) => {
        this.run('UPDATE webhooks3 SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, leased_until = 0, leased_by = NULL WHERE id = ?', nextAttemptAt, error.slice(0, 500), id);
      },
      putProgram: async (p) => {
        this.run('INSERT INTO programs (program_id, body) VALUES (?, ?) ON CONFLICT (program_id) DO UPDATE SET body = excluded.body', p.programId, JSON.stringify(p));
      },
      putEvent: async (e, version) => {
        const endsAt = eventEndsAt(e);
        this.run(`INSERT INTO events (event_id, program_id, modification_number, cancelled, ends_at, body) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (event_id) DO UPDATE SET modification_number = excluded.modification_number, cancelled = excluded.cancelled, ends_at = excluded.ends_at, body = excluded.body`,
          e.eventId, e.programId, e.modificationNumber, e.cancelled ? 1 : 0, endsAt, JSON.stringify(e));
        this.run('INSERT INTO event_versions (event_id, modification_number, body) VALUES (?, ?, ?)', version.eventId, version.modificationNumber, JSON.stringify(version));
      },
      setEventTarget: async (eventId, venId, targeted) => {
        if (targeted) this.run('INSERT OR IGNORE INTO event_targets (event_id, ven_id) VALUES (?, ?)', eventId, venId);
        else this.run('DELETE FROM event_targets WHERE event_id = ? AND ven_id = ?', eventId, venId);
      },
      setEventTargets: async (eventId, venIds) => {
        this.run('DELETE FROM event_targets WHERE event_id = ?', eventId);
        for (const venId of venIds) this.run('INSERT INTO event_targets (event_id, ven_id) VALUES (?, ?)', eventId, venId);
      },
      putEventResponse: async (r) => {
        this.run('INSERT INTO event_responses (event_id, modification_number, ven_id, body) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET body = excluded.body',
          r.eventId, r.modificationNumber, r.venId, JSON.stringify(r));
      },
      putOpt: async (o) => {
        this.run('INSERT INTO opts (opt_id, ven_id, body) VALUES (?, ?, ?) ON CONFLICT (opt_id) DO UPDATE SET ven_id = excluded.ven_id, body = excluded.body', o.optId, o.venId, JSON.stringify(o));
      },
      putReportRegistration: async (r) => {
        this.run('INSERT INTO report_registrations (ven_id, report_specifier_id, body) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET body = excluded.body',
          r.venId, r.reportSpecifierId, JSON.stringify(r));
      },
      putReportRequest: async (r) => {
        this.run('INSERT INTO report_requests (report_request_id, ven_id, state, body) VALUES (?, ?, ?, ?) ON CONFLICT (report_request_id) DO UPDATE SET state = excluded.state, body = excluded.body',
          r.reportRequestId, r.venId, r.state, JSON.stringify(r));
      },
      setReportRequestState: async (id, state: ReportRequestState) => {
        const current = json(this.get('SELECT body FROM report_requests WHERE report_request_id = ?', id)) as ReportRequestRecord | undefined;
        if (!current) return;
        this.run('UPDATE report_requests SET state = ?, body = ? WHERE report_request_id = ?', state, JSON.stringify({ ...current, state }), id);
      },
      putReadings: async (readings: readonly ReadingRecord[]) => {
        let fresh = 0;
        for (const r of readings) {
          const result = this.run(`INSERT INTO readings (ven_id, report_request_id, r_id, dtstart, body) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET body = excluded.body WHERE body <> excluded.body`, r.venId, r.reportRequestId, r.rId, r.dtstart, JSON.stringify(r));
          fresh += result.changes;
        }
        return fresh;
      },
      enqueue: async (venId, body: OutboxBody, now) => this.tx.enqueueMany([venId], body, now),
      claimPushEntries: async (now, limit, leasedUntil, holder) => {
        const due = this.all(
          `SELECT o.* FROM outbox o INDEXED BY outbox_push_due WHERE o.delivered_at IS NULL AND o.push = 1 AND o.next_attempt_at <= ? AND o.leased_until <= ?
             AND o.id = (SELECT min(id) FROM outbox p WHERE p.ven_id = o.ven_id AND p.delivered_at IS NULL)
           ORDER BY o.next_attempt_at, o.id LIMIT ?`, now, now, limit,
        ).map(outboxEntry);
        for (const entry of due) this.run('UPDATE outbox SET leased_until = ?, leased_by = ? WHERE id = ?', leasedUntil, holder, entry.id);
        return due;
      },
      enqueueMany: async (venIds, body: OutboxBody, now) => {
        const text = JSON.stringify(body);
        for (const venId of venIds) {
          const ven = json(this.get('SELECT body FROM vens WHERE ven_id = ?', venId)) as VenRecord | undefined;
          this.run('INSERT INTO outbox (ven_id, body, created_at, next_attempt_at, push) VALUES (?, ?, ?, ?, ?)', venId, text, now, now, ven && isPushVen(ven) ? 1 : 0);
        }
        if (venIds.length > 0) this.changes.enqueued = true;
      },
      markDelivered: async (id, now) => {
        this.run('UPDATE outbox SET delivered_at = ?, leased_until = 0, leased_by = NULL WHERE id = ?', now, id);
      },
      markDistributesDelivered: async (venId, now, upToId) => {
        this.run(`UPDATE outbox SET delivered_at = ? WHERE ven_id = ? AND delivered_at IS NULL AND json_extract(body, '$.kind') = 'distributeEvent' AND id <= ?`, now, venId, upToId ?? Number.MAX_SAFE_INTEGER);
      },
      reschedule: async (id, nextAttemptAt, error) => {
        this.run('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, leased_until = 0, leased_by = NULL WHERE id = ?', nextAttemptAt, error, id);
      },
      expeditePushes: async (transportName, now) => this.run(
        `UPDATE outbox SET next_attempt_at = ? WHERE delivered_at IS NULL AND push = 1 AND next_attempt_at > ?
           AND ven_id IN (SELECT ven_id FROM vens WHERE json_extract(body, '$.transportName') = ?)`, now, now, transportName,
      ).changes,
      appendFeed: async (kind, data, now) => {
        this.run('INSERT INTO feed (at, kind, body, request_id) VALUES (?, ?, ?, ?)', now, kind, JSON.stringify(data), currentRequestId() ?? null);
        this.changes.fed = true;
      },
      rememberNonce: async (nonce, timestampMs, now, retentionMs) => {
        // At most once a second, and at most 5,000 rows at a time (oldest first, by index): the cost
        // of a signed request does not grow with the table. Keeping a nonce longer is always safe.
        if (now - this.noncesExpiredAt >= 1_000) {
          this.noncesExpiredAt = now;
          this.run('DELETE FROM nonces WHERE rowid IN (SELECT rowid FROM nonces WHERE seen_at < ? ORDER BY seen_at LIMIT 5000)', now - retentionMs);
        }
        return this.run('INSERT OR IGNORE INTO nonces (nonce, ts, seen_at) VALUES (?, ?, ?)', nonce, timestampMs, now).changes === 1;
      },
    };
  }
}

function outboxEntry(r: Row): OutboxEntry {
  return {
    id: Number(r.id), venId: String(r.ven_id), body: json(r) as OutboxBody, createdAt: Number(r.created_at),
    attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at), ...(r.last_error ? { lastError: String(r.last_error) } : {}),
  };
}

function webhookEntry(r: Row): WebhookEntry {
  return {
    id: Number(r.id), subscriptionId: String(r.subscription_id), url: String(r.url), ...(r.bearer_token ? { bearerToken: String(r.bearer_token) } : {}), body: String(r.body),
    createdAt: Number(r.created_at), attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at), ...(r.last_error ? { lastError: String(r.last_error) } : {}),
  };
}
