import type Database from 'better-sqlite3';
import { openSqlite } from '../../src/sqlite.js';
import { currentRequestId } from '../../src/request-id.js';

export type OutboxState = 'pending' | 'done' | 'failed';

export interface AnchorOutboxRow {
  readonly id: number;
  readonly txId: string;
  /** The VTN request whose feed entry produced this record, when the VTN named one. */
  readonly requestId?: string;
  readonly fn: string;
  readonly args: unknown;
  readonly identity: 'operator' | 'retailer';
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}

export interface Backlog {
  readonly checkpoint: number;
  readonly pending: number;
  readonly failed: number;
  readonly done: number;
  /** Feed entries that could not be turned into ledger records: kept, visible, and skipped. */
  readonly quarantined: number;
  readonly oldestPendingAt?: number;
}

export interface QuarantinedEntry {
  readonly offset: number;
  readonly kind: string;
  readonly data: unknown;
  readonly reason: string;
  readonly at: number;
}

/**
 * The anchor's own durable state: the feed checkpoint, the outbox of ledger writes (each with a
 * deterministic transaction ID, so a retry is exactly-once on the ledger) and partial meter-days.
 * A feed entry's writes and the checkpoint move together in one transaction.
 */
export class AnchorStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(path);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), feed_offset INTEGER NOT NULL);
      INSERT OR IGNORE INTO checkpoint (id, feed_offset) VALUES (1, 0);
      CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT, tx_id TEXT NOT NULL UNIQUE, fn TEXT NOT NULL, args TEXT NOT NULL, identity TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT, created_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (id) WHERE state = 'pending';
      CREATE TABLE IF NOT EXISTS meter_intervals (meter_id TEXT NOT NULL, date TEXT NOT NULL, idx INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (meter_id, date, idx));
      CREATE TABLE IF NOT EXISTS meter_days_sent (meter_id TEXT NOT NULL, date TEXT NOT NULL, PRIMARY KEY (meter_id, date));
      CREATE TABLE IF NOT EXISTS quarantine (feed_offset INTEGER PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL);
    `);
    // The VTN request a record came from, followed into the ledger write's logs (files made before it: added).
    this.db.transaction(() => {
      const columns = new Set((this.db.pragma('table_info(outbox)') as { name: string }[]).map((c) => c.name));
      if (!columns.has('request_id')) this.db.exec('ALTER TABLE outbox ADD COLUMN request_id TEXT');
    }).immediate();
  }

  checkpoint(): number {
    return Number((this.db.prepare('SELECT feed_offset FROM checkpoint WHERE id = 1').get() as { feed_offset: number }).feed_offset);
  }

  /** Atomically: the writes a feed entry produced, and the checkpoint past it. */
  advance(offset: number, work: (tx: AnchorStoreTransaction) => void): void {
    this.db.transaction(() => {
      work(this.transactionApi());
      this.db.prepare('UPDATE checkpoint SET feed_offset = ? WHERE id = 1').run(offset);
    }).immediate();
  }

  /** Atomically: a feed entry set aside with the reason it could not be anchored, and the checkpoint past it. */
  quarantine(offset: number, kind: string, data: unknown, reason: string, at: number): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO quarantine (feed_offset, kind, data, reason, at) VALUES (?, ?, ?, ?, ?)').run(offset, kind, JSON.stringify(data) ?? 'null', reason, at);
      this.db.prepare('UPDATE checkpoint SET feed_offset = ? WHERE id = 1').run(offset);
    }).immediate();
  }

  quarantined(): QuarantinedEntry[] {
    return (this.db.prepare('SELECT * FROM quarantine ORDER BY feed_offset').all() as { feed_offset: number; kind: string; data: string; reason: string; at: number }[])
      .map((r) => ({ offset: r.feed_offset, kind: r.kind, data: JSON.parse(r.data) as unknown, reason: r.reason, at: r.at }));
  }

  nextPending(now: number, limit: number): AnchorOutboxRow[] {
    return (this.db.prepare("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?").all(now, limit) as Record<string, unknown>[]).map(row);
  }

  markDone(id: number): void {
    this.db.prepare("UPDATE outbox SET state = 'done', last_error = NULL WHERE id = ?").run(id);
  }

  markFailed(id: number, error: string): void {
    this.db.prepare("UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?").run(error, id);
  }

  retryLater(id: number, at: number, error: string): void {
    this.db.prepare('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?').run(at, error, id);
  }

  backlog(): Backlog {
    const counts = Object.fromEntries((this.db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));
    const oldest = this.db.prepare("SELECT min(created_at) AS t FROM outbox WHERE state = 'pending'").get() as { t: number | null };
    const quarantined = (this.db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
    return { checkpoint: this.checkpoint(), pending: counts.pending ?? 0, failed: counts.failed ?? 0, done: counts.done ?? 0, quarantined, ...(oldest.t !== null ? { oldestPendingAt: oldest.t } : {}) };
  }

  failed(): AnchorOutboxRow[] {
    return (this.db.prepare("SELECT * FROM outbox WHERE state = 'failed' ORDER BY id").all() as Record<string, unknown>[]).map(row);
  }

  close(): void {
    this.db.close();
  }

  private transactionApi(): AnchorStoreTransaction {
    const now = Date.now();
    return {
      enqueue: (txId, fn, args, identity) => {
        this.db.prepare('INSERT OR IGNORE INTO outbox (tx_id, fn, args, identity, created_at, request_id) VALUES (?, ?, ?, ?, ?, ?)').run(txId, fn, JSON.stringify(args), identity, now, currentRequestId() ?? null);
      },
      addIntervals: (meterId, date, values) => {
        const put = this.db.prepare('INSERT INTO meter_intervals (meter_id, date, idx, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value');
        for (const [idx, value] of values) put.run(meterId, date, idx, value);
        const count = (this.db.prepare('SELECT count(*) AS n FROM meter_intervals WHERE meter_id = ? AND date = ?').get(meterId, date) as { n: number }).n;
        return count;
      },
      dayValues: (meterId, date) => (this.db.prepare('SELECT idx, value FROM meter_intervals WHERE meter_id = ? AND date = ? ORDER BY idx').all(meterId, date) as { idx: number; value: number }[]).map((r) => r.value),
      markDaySent: (meterId, date) => this.db.prepare('INSERT OR IGNORE INTO meter_days_sent (meter_id, date) VALUES (?, ?)').run(meterId, date).changes === 1,
    };
  }
}

export interface AnchorStoreTransaction {
  enqueue(txId: string, fn: string, args: unknown, identity: 'operator' | 'retailer'): void;
  /** Stores interval values of a meter-day; returns how many intervals the day now has. */
  addIntervals(meterId: string, date: string, values: readonly [number, number][]): number;
  dayValues(meterId: string, date: string): number[];
  /** True the first time a meter-day is handed to the ledger. */
  markDaySent(meterId: string, date: string): boolean;
}

function row(r: Record<string, unknown>): AnchorOutboxRow {
  return {
    id: Number(r.id), txId: String(r.tx_id), fn: String(r.fn), args: JSON.parse(String(r.args)), identity: String(r.identity) as 'operator' | 'retailer',
    state: String(r.state) as OutboxState, attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at), ...(r.last_error ? { lastError: String(r.last_error) } : {}),
    ...(r.request_id ? { requestId: String(r.request_id) } : {}),
  };
}
