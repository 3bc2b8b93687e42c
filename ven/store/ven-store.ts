import type Database from 'better-sqlite3';
import { openSqlite } from '../../src/sqlite.js';
import type { OadrEvent, OadrMessage, OptType, ReportRequest } from '../../schemas/index.js';

export interface Registration {
  readonly venId: string;
  readonly registrationId: string;
  readonly vtnId: string;
  readonly pollFrequencyMs: number;
  /**
   * False until the reports are registered too: a start that failed between the two resumes the
   * registration instead of running without telemetry (absent in stores written before: complete).
   */
  readonly complete?: boolean;
}

export interface StoredEvent {
  readonly event: OadrEvent;
  /** The VEN's decision for this version, once made. */
  readonly optType?: OptType;
  /** Random start delay chosen within the event's startAfter window (ms). */
  readonly startOffsetMs: number;
}

export interface StoredReportRequest {
  readonly request: ReportRequest;
  readonly reportName: string;
  /** When the reporting window ends (epoch ms); absent for open-ended reports. */
  readonly endsAt?: number;
  readonly nextSampleAt: number;
  readonly nextReportAt: number;
}

export interface Sample {
  readonly rId: string;
  readonly dtstart: number;
  readonly durationMs: number;
  readonly value: number;
}

export interface QueuedReport {
  readonly id: number;
  readonly message: OadrMessage;
  readonly attempts: number;
  readonly lastError?: string;
}

interface OutboxRow { id: number; body: string; attempts: number; last_error: string | null }
const queued = (r: OutboxRow): QueuedReport => ({ id: r.id, message: JSON.parse(r.body) as OadrMessage, attempts: r.attempts, ...(r.last_error ? { lastError: r.last_error } : {}) });

/** The VEN's own state, so a restart resumes without re-registering and without losing a queued report. */
export class VenStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(path);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS report_requests (report_request_id TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS samples (report_request_id TEXT NOT NULL, r_id TEXT NOT NULL, dtstart INTEGER NOT NULL, duration_ms INTEGER NOT NULL, value REAL NOT NULL,
        PRIMARY KEY (report_request_id, r_id, dtstart));
      CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
      CREATE TABLE IF NOT EXISTS outbox3 (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, next_attempt_at INTEGER NOT NULL DEFAULT 0);
    `);
    // Added later: stores written before carry on with their queued reports.
    const columns = new Set((this.db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('next_attempt_at')) this.db.exec('ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0');
    if (!columns.has('set_aside')) this.db.exec('ALTER TABLE outbox ADD COLUMN set_aside INTEGER NOT NULL DEFAULT 0');
  }

  registration(): Registration | undefined {
    const row = this.db.prepare("SELECT value FROM kv WHERE key = 'registration'").get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as Registration) : undefined;
  }

  setRegistration(registration: Registration | undefined): void {
    if (registration) this.db.prepare("INSERT INTO kv (key, value) VALUES ('registration', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(registration));
    else this.db.prepare("DELETE FROM kv WHERE key = 'registration'").run();
  }

  events(): StoredEvent[] {
    return (this.db.prepare('SELECT body FROM events ORDER BY event_id').all() as { body: string }[]).map((r) => JSON.parse(r.body) as StoredEvent);
  }

  putEvent(e: StoredEvent): void {
    this.db.prepare('INSERT INTO events (event_id, body) VALUES (?, ?) ON CONFLICT (event_id) DO UPDATE SET body = excluded.body').run(e.event.descriptor.eventId, JSON.stringify(e));
  }

  deleteEvent(eventId: string): void {
    this.db.prepare('DELETE FROM events WHERE event_id = ?').run(eventId);
  }

  reportRequests(): StoredReportRequest[] {
    return (this.db.prepare('SELECT body FROM report_requests ORDER BY report_request_id').all() as { body: string }[]).map((r) => JSON.parse(r.body) as StoredReportRequest);
  }

  putReportRequest(r: StoredReportRequest): void {
    this.db.prepare('INSERT INTO report_requests (report_request_id, body) VALUES (?, ?) ON CONFLICT DO UPDATE SET body = excluded.body').run(r.request.reportRequestId, JSON.stringify(r));
  }

  deleteReportRequest(id: string): void {
    this.db.prepare('DELETE FROM report_requests WHERE report_request_id = ?').run(id);
  }

  addSamples(reportRequestId: string, samples: readonly Sample[]): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO samples (report_request_id, r_id, dtstart, duration_ms, value) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => { for (const s of samples) put.run(reportRequestId, s.rId, s.dtstart, s.durationMs, s.value); })();
  }

  /** Moves the samples of a request into one queued report, atomically. */
  queueReport(reportRequestId: string, build: (samples: Sample[]) => OadrMessage | undefined, now: number): boolean {
    return this.db.transaction(() => {
      const samples = (this.db.prepare('SELECT r_id, dtstart, duration_ms, value FROM samples WHERE report_request_id = ? ORDER BY dtstart, r_id').all(reportRequestId) as { r_id: string; dtstart: number; duration_ms: number; value: number }[])
        .map((r) => ({ rId: r.r_id, dtstart: r.dtstart, durationMs: r.duration_ms, value: r.value }));
      const message = samples.length ? build(samples) : undefined;
      if (!message) return false;
      this.db.prepare('INSERT INTO outbox (body, created_at) VALUES (?, ?)').run(JSON.stringify(message), now);
      this.db.prepare('DELETE FROM samples WHERE report_request_id = ?').run(reportRequestId);
      return true;
    })();
  }

  /** Queued reports due at `now` (all when omitted), oldest first; set-aside ones are not among them. */
  outbox(now = Number.MAX_SAFE_INTEGER): QueuedReport[] {
    return (this.db.prepare('SELECT id, body, attempts, last_error FROM outbox WHERE set_aside = 0 AND next_attempt_at <= ? ORDER BY id').all(now) as OutboxRow[]).map(queued);
  }

  /** Reports the VTN kept refusing: kept, not sent again, for an operator to look at. */
  setAside(): QueuedReport[] {
    return (this.db.prepare('SELECT id, body, attempts, last_error FROM outbox WHERE set_aside = 1 ORDER BY id').all() as OutboxRow[]).map(queued);
  }

  sent(id: number): void {
    this.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
  }

  /** A failed attempt; the report is tried again from `retryAt` (now when omitted). */
  failed(id: number, error: string, retryAt = 0): void {
    this.db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?').run(error, retryAt, id);
  }

  putAside(id: number, error: string): void {
    this.db.prepare('UPDATE outbox SET set_aside = 1, last_error = ? WHERE id = ?').run(error, id);
  }

  // ——— OpenADR 3 (a 3.1 VEN keeps its reports here until the VTN took them) ———

  /** A value kept under a name (the 3.1 VEN's object ID, the versions of events it has seen). */
  value<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setValue(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }

  /** Queues a 3.1 report body; bounded: past `limit` queued the oldest are dropped and counted. */
  queueReport3(body: unknown, now: number, limit = 100_000): number {
    return this.db.transaction(() => {
      this.db.prepare('INSERT INTO outbox3 (body, created_at) VALUES (?, ?)').run(JSON.stringify(body), now);
      const n = Number((this.db.prepare('SELECT count(*) AS n FROM outbox3').get() as { n: number }).n);
      if (n <= limit) return 0;
      return this.db.prepare('DELETE FROM outbox3 WHERE id IN (SELECT id FROM outbox3 ORDER BY id LIMIT ?)').run(n - limit).changes;
    })();
  }

  outbox3(now = Number.MAX_SAFE_INTEGER): { id: number; body: unknown; attempts: number }[] {
    return (this.db.prepare('SELECT id, body, attempts FROM outbox3 WHERE next_attempt_at <= ? ORDER BY id').all(now) as { id: number; body: string; attempts: number }[])
      .map((r) => ({ id: r.id, body: JSON.parse(r.body) as unknown, attempts: r.attempts }));
  }

  sent3(id: number): void {
    this.db.prepare('DELETE FROM outbox3 WHERE id = ?').run(id);
  }

  failed3(id: number, error: string, retryAt: number): void {
    this.db.prepare('UPDATE outbox3 SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?').run(error.slice(0, 500), retryAt, id);
  }

  /** Forgets every report request and its unsent samples (a new registration brings new ones). */
  clearReportRequests(): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM report_requests').run();
      this.db.prepare('DELETE FROM samples').run();
    })();
  }

  close(): void {
    this.db.close();
  }
}
