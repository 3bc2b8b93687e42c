import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../src/logger.js';
import { currentRequestId } from '../../src/request-id.js';
import { silentLogger } from '../../src/logger.js';
import type {
  EventRecord, FeedData, Object3Record, WebhookEntry, FeedEntry, FeedKind, OptRecord, OutboxBody, OutboxEntry, ProgramRecord, ReadingRecord, ReportRequestRecord, VenRecord,
  UpstreamEventRecord,
} from './records.js';
import { eventEndsAt, isPushVen } from './record-rules.js';
import { AdvisoryLockLeadership, type Leadership } from './leadership.js';
import { MIGRATIONS } from './postgres-schema.js';
import type { CommitListener, VtnStore, VtnStoreReads, VtnStoreTransaction } from './store.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** Connections this node keeps (default 10). */
  readonly poolSize?: number;
  /** Names this node in leases and notifications (default: a random UUID). */
  readonly nodeId?: string;
  readonly logger?: Logger;
}

type Row = Record<string, unknown>;
type Query = (text: string, values?: readonly unknown[]) => Promise<Row[]>;

/** Serialization failure and deadlock: the transaction is run again from the start. */
const RETRYABLE = new Set(['40001', '40P01']);
/**
 * Serializable transactions of unrelated VENs still conflict now and then (predicate locks cover
 * index pages, not rows): a request is retried, with a jittered and capped backoff, before it fails.
 */
const MAX_ATTEMPTS = 40;
/** pg_advisory_xact_lock key of the feed: taken just before commit, it orders feed offsets by commit. */
const FEED_LOCK = 0x46_42_46_44; // "FBFD"
/** pg_advisory_lock key held while migrations run, so that nodes starting together migrate once. */
const MIGRATION_LOCK = 0x46_42_4d_47; // "FBMG"
const CHANNEL = 'flexbridge_vtn';

const json = (row: Row | undefined, column = 'body'): unknown => (row ? JSON.parse(String(row[column])) : undefined);

/**
 * The VtnStore on PostgreSQL, for several VTN nodes on one database. Every transaction runs at
 * SERIALIZABLE and is retried from the start on a serialization failure, so the services see the
 * same one-at-a-time semantics as on SQLite; docs/vtn.md lists the anomalies this excludes.
 */
export class PostgresVtnStore implements VtnStore {
  readonly nodeId: string;
  readonly read: VtnStoreReads;
  private readonly pool: pg.Pool;
  private readonly listeners: CommitListener[] = [];
  private readonly logger: Logger;
  private readonly migrated: Promise<void>;
  private listener: pg.Client | undefined;
  private closed = false;
  private noncesExpiredAt = Number.NEGATIVE_INFINITY;
  /** Transactions run again after a serialization failure or deadlock, since start. */
  retries = 0;

  constructor(private readonly options: PostgresStoreOptions) {
    this.nodeId = options.nodeId ?? randomUUID();
    this.logger = options.logger ?? silentLogger;
    this.pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
    // An idle connection that breaks (server restart) must not take the process with it.
    this.pool.on('error', (error) => this.logger.warn('PostgreSQL connection lost', { reason: error.message }));
    this.migrated = this.migrate();
    this.migrated.catch(() => undefined);
    const query: Query = async (text, values) => {
      await this.migrated;
      return (await this.pool.query({ text, values: values as unknown[] })).rows as Row[];
    };
    this.read = reads(query);
  }

  /** Resolves once the schema is current; rejects with why the database cannot be used. */
  ready(): Promise<void> {
    return this.migrated;
  }

  async transaction<T>(work: (tx: VtnStoreTransaction) => Promise<T>): Promise<T> {
    await this.migrated;
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      // A connection that breaks while checked out emits 'error' on the client (not the pool): without
      // a listener that would end the process. The query in progress fails, and so the transaction.
      const onError = (error: Error): void => this.logger.warn('PostgreSQL connection lost in a transaction', { reason: error.message });
      client.on('error', onError);
      const release = (broken?: boolean): void => {
        client.off('error', onError);
        client.release(broken);
      };
      const state: TxState = { enqueued: false, fed: [] };
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const query: Query = async (text, values) => (await client.query({ text, values: values as unknown[] })).rows as Row[];
        const count = async (text: string, values: readonly unknown[]): Promise<number> => (await client.query({ text, values: values as unknown[] })).rowCount ?? 0;
        const result = await work({ ...reads(query), ...this.writes(query, count, state) });
        if (state.fed.length > 0) {
          // Held until COMMIT: an offset given now is larger than every committed one, so a reader
          // that resumes after the largest offset it saw never misses a later commit.
          await client.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
          await client.query({
            text: 'INSERT INTO feed (at, kind, body, request_id) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])',
            values: [state.fed.map((f) => f.at), state.fed.map((f) => f.kind), state.fed.map((f) => f.body), state.fed.map((f) => f.requestId ?? null)],
          });
        }
        if (state.enqueued || state.fed.length > 0) {
          await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ node: this.nodeId, enqueued: state.enqueued, fed: state.fed.length > 0 })]);
        }
        await client.query('COMMIT');
        release();
        this.emit({ enqueued: state.enqueued, fed: state.fed.length > 0 });
        return result;
      } catch (error) {
        // A connection that cannot even roll back is discarded, not returned to the pool.
        const broken = await client.query('ROLLBACK').then(() => false, () => true);
        release(broken);
        const code = (error as { code?: string }).code;
        if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        this.retries++;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 25)));
      }
    }
  }

  lead(task: string): Leadership {
    return new AdvisoryLockLeadership(this.options.url, task, this.logger);
  }

  onCommitted(listener: CommitListener): void {
    this.listeners.push(listener);
    if (!this.listener) void this.listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private emit(changes: { enqueued: boolean; fed: boolean }): void {
    if (!changes.enqueued && !changes.fed) return;
    for (const listener of this.listeners) listener(changes);
  }

  /** Commits on other nodes arrive as notifications: a push enqueued elsewhere wakes this node's sender too. */
  private async listen(): Promise<void> {
    for (let delay = 250; !this.closed; delay = Math.min(delay * 2, 4_000)) {
      const client = new pg.Client({ connectionString: this.pool.options.connectionString });
      client.on('error', () => undefined);
      try {
        await this.migrated;
        await client.connect();
        client.on('notification', (message) => {
          try {
            const { node, enqueued, fed } = JSON.parse(message.payload ?? '{}') as { node?: string; enqueued?: boolean; fed?: boolean };
            if (node !== this.nodeId) this.emit({ enqueued: Boolean(enqueued), fed: Boolean(fed) });
          } catch { /* not ours */ }
        });
        await client.query(`LISTEN ${CHANNEL}`);
        this.listener = client;
        delay = 250;
        // Something may have committed while this node was not listening.
        this.emit({ enqueued: true, fed: true });
        await new Promise<void>((resolve) => { client.once('end', resolve); client.once('error', () => resolve()); });
      } catch (error) {
        if (!this.closed) this.logger.warn('PostgreSQL notifications unavailable; retrying', { reason: (error as Error).message, retryInMs: delay });
      }
      this.listener = undefined;
      await client.end().catch(() => undefined);
      if (!this.closed) await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    const onError = (): void => undefined; // the query in progress fails and says why
    client.on('error', onError);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
        const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r: Row) => Number(r.version)));
        const known = Math.max(...MIGRATIONS.map((m) => m.version));
        const newer = [...done].filter((v) => v > known);
        if (newer.length > 0) throw new Error(`the database has schema version ${Math.max(...newer)}, newer than this VTN knows (${known}): upgrade the VTN`);
        for (const migration of MIGRATIONS) {
          if (done.has(migration.version)) continue;
          await client.query('BEGIN');
          try {
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
            await client.query('COMMIT');
            this.logger.info('database migrated', { version: migration.version, name: migration.name });
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      }
    } finally {
      client.off('error', onError);
      client.release();
    }
  }

  private writes(query: Query, count: (text: string, values: readonly unknown[]) => Promise<number>, state: TxState): Omit<VtnStoreTransaction, keyof VtnStoreReads> {
    const enqueueMany = async (venIds: readonly string[], body: OutboxBody, now: number): Promise<void> => {
      if (venIds.length === 0) return;
      await query(`INSERT INTO outbox (ven_id, kind, body, created_at, next_attempt_at, push)
        SELECT t.ven_id, $2, $3, $4, $4, COALESCE(v.push, FALSE) FROM unnest($1::text[]) WITH ORDINALITY AS t(ven_id, n)
          LEFT JOIN vens v ON v.ven_id = t.ven_id ORDER BY t.n`, [[...venIds], body.kind, JSON.stringify(body), now]);
      state.enqueued = true;
    };
    return {
      putVen: async (ven) => {
        await query(`INSERT INTO vens (ven_id, registration_id, state, transport_name, push, body) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (ven_id) DO UPDATE SET registration_id = excluded.registration_id, state = excluded.state, transport_name = excluded.transport_name, push = excluded.push, body = excluded.body`,
        [ven.venId, ven.registrationId, ven.state, ven.transportName, isPushVen(ven), JSON.stringify(ven)]);
        // Pending messages follow the VEN's current delivery mode.
        await query('UPDATE outbox SET push = $1 WHERE ven_id = $2 AND delivered_at IS NULL AND push <> $1', [isPushVen(ven), ven.venId]);
      },
      putObject3: async (o) => {
        await query('INSERT INTO objects3 (kind, id, client_id, created_at, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, id) DO UPDATE SET client_id = excluded.client_id, body = excluded.body',
          [o.kind, o.id, o.clientId ?? null, o.createdAt, JSON.stringify(o)]);
      },
      deleteObject3: async (kind, id) => { await query('DELETE FROM objects3 WHERE kind = $1 AND id = $2', [kind, id]); },
      putUpstreamEvent: async (u) => {
        await query('INSERT INTO upstream_events (upstream_id, received_at, body) VALUES ($1, $2, $3) ON CONFLICT (upstream_id) DO UPDATE SET body = excluded.body', [u.upstreamId, u.receivedAt, JSON.stringify(u)]);
      },
      enqueueWebhook: async (d, now) => {
        await query('INSERT INTO webhooks3 (subscription_id, url, bearer_token, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)', [d.subscriptionId, d.url, d.bearerToken ?? null, d.body, now]);
        state.enqueued = true;
      },
      claimWebhooks: async (now, limit, leasedUntil, holder) => (await query(
        `WITH due AS (
           SELECT w.id FROM webhooks3 w WHERE w.delivered_at IS NULL AND w.next_attempt_at <= $1 AND w.leased_until <= $1
             AND w.id = (SELECT min(id) FROM webhooks3 p WHERE p.url = w.url AND p.delivered_at IS NULL)
           ORDER BY w.next_attempt_at, w.id LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE webhooks3 SET leased_until = $3, leased_by = $4 FROM due WHERE webhooks3.id = due.id RETURNING webhooks3.*`,
        [now, limit, leasedUntil, holder],
      )).map(webhookEntry).sort((x, y) => x.nextAttemptAt - y.nextAttemptAt || x.id - y.id),
      markWebhookDelivered: async (id, now) => { await query('UPDATE webhooks3 SET delivered_at = $1, leased_until = 0, leased_by = NULL WHERE id = $2', [now, id]); },
      rescheduleWebhook: async (id, nextAttemptAt, error) => {
        await query('UPDATE webhooks3 SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, leased_until = 0, leased_by = NULL WHERE id = $3', [nextAttemptAt, error.slice(0, 500), id]);
      },
      putProgram: async (p) => {
        await query('INSERT INTO programs (program_id, body) VALUES ($1, $2) ON CONFLICT (program_id) DO UPDATE SET body = excluded.body', [p.programId, JSON.stringify(p)]);
      },
      putEvent: async (e, version) => {
        await query(`INSERT INTO events (event_id, program_id, modification_number, cancelled, ends_at, body) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (event_id) DO UPDATE SET modification_number = excluded.modification_number, cancelled = excluded.cancelled, ends_at = excluded.ends_at, body = excluded.body`,
        [e.eventId, e.programId, e.modificationNumber, e.cancelled, eventEndsAt(e), JSON.stringify(e)]);
        await query('INSERT INTO event_versions (event_id, modification_number, body) VALUES ($1, $2, $3)', [version.eventId, version.modificationNumber, JSON.stringify(version)]);
      },
      setEventTarget: async (eventId, venId, targeted) => {
        if (targeted) await query('INSERT INTO event_targets (event_id, ven_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [eventId, venId]);
        else await query('DELETE FROM event_targets WHERE event_id = $1 AND ven_id = $2', [eventId, venId]);
      },
      setEventTargets: async (eventId, venIds) => {
        await query('DELETE FROM event_targets WHERE event_id = $1', [eventId]);
        if (venIds.length > 0) await query('INSERT INTO event_targets (event_id, ven_id) SELECT $1, v FROM unnest($2::text[]) v ON CONFLICT DO NOTHING', [eventId, [...venIds]]);
      },
      putEventResponse: async (r) => {
        await query('INSERT INTO event_responses (event_id, modification_number, ven_id, body) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id, ven_id, modification_number) DO UPDATE SET body = excluded.body',
          [r.eventId, r.modificationNumber, r.venId, JSON.stringify(r)]);
      },
      putOpt: async (o) => {
        await query('INSERT INTO opts (opt_id, ven_id, body) VALUES ($1, $2, $3) ON CONFLICT (opt_id) DO UPDATE SET ven_id = excluded.ven_id, body = excluded.body', [o.optId, o.venId, JSON.stringify(o)]);
      },
      putReportRegistration: async (r) => {
        await query('INSERT INTO report_registrations (ven_id, report_specifier_id, body) VALUES ($1, $2, $3) ON CONFLICT (ven_id, report_specifier_id) DO UPDATE SET body = excluded.body',
          [r.venId, r.reportSpecifierId, JSON.stringify(r)]);
      },
      putReportRequest: async (r) => {
        await query(`INSERT INTO report_requests (report_request_id, ven_id, state, body) VALUES ($1, $2, $3, $4)
          ON CONFLICT (report_request_id) DO UPDATE SET state = excluded.state, body = excluded.body`, [r.reportRequestId, r.venId, r.state, JSON.stringify(r)]);
      },
      setReportRequestState: async (id, stateName) => {
        const current = json((await query('SELECT body FROM report_requests WHERE report_request_id = $1', [id]))[0]) as Row | undefined;
        if (!current) return;
        await query('UPDATE report_requests SET state = $1, body = $2 WHERE report_request_id = $3', [stateName, JSON.stringify({ ...current, state: stateName }), id]);
      },
      putReadings: async (readings) => {
        if (readings.length === 0) return 0;
        // One statement for the whole report; a reading repeated within it counts once (the last copy).
        const byKey = new Map<string, ReadingRecord>();
        for (const r of readings) byKey.set(JSON.stringify([r.venId, r.reportRequestId, r.rId, r.dtstart]), r);
        const rows = [...byKey.values()];
        return count(`INSERT INTO readings (ven_id, report_request_id, r_id, dtstart, body)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])
            ON CONFLICT (ven_id, report_request_id, r_id, dtstart) DO UPDATE SET body = excluded.body WHERE readings.body <> excluded.body`,
        [rows.map((r) => r.venId), rows.map((r) => r.reportRequestId), rows.map((r) => r.rId), rows.map((r) => r.dtstart), rows.map((r) => JSON.stringify(r))]);
      },
      // One VEN is a fan-out of one: the push flag comes from the VEN's row in the same statement.
      enqueue: (venId, body: OutboxBody, now) => enqueueMany([venId], body, now),
      enqueueMany,
      claimPushEntries: async (now, limit, leasedUntil, holder) => (await query(
        `WITH due AS (
           SELECT o.id FROM outbox o WHERE o.delivered_at IS NULL AND o.push AND o.next_attempt_at <= $1 AND o.leased_until <= $1
             AND o.id = (SELECT min(id) FROM outbox p WHERE p.ven_id = o.ven_id AND p.delivered_at IS NULL)
           ORDER BY o.next_attempt_at, o.id LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE outbox SET leased_until = $3, leased_by = $4 FROM due WHERE outbox.id = due.id RETURNING outbox.*`,
        [now, limit, leasedUntil, holder],
      )).map(outboxEntry).sort((x, y) => x.nextAttemptAt - y.nextAttemptAt || x.id - y.id),
      markDelivered: async (id, now) => {
        await query('UPDATE outbox SET delivered_at = $1, leased_until = 0, leased_by = NULL WHERE id = $2', [now, id]);
      },
      markDistributesDelivered: async (venId, now, upToId) => {
        await query(`UPDATE outbox SET delivered_at = $1 WHERE ven_id = $2 AND delivered_at IS NULL AND kind = 'distributeEvent' AND id <= $3`,
          [now, venId, upToId ?? Number.MAX_SAFE_INTEGER]);
      },
      reschedule: async (id, nextAttemptAt, error) => {
        await query('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, leased_until = 0, leased_by = NULL WHERE id = $3', [nextAttemptAt, error, id]);
      },
      expeditePushes: async (transportName, now) => count(
        `UPDATE outbox SET next_attempt_at = $1 WHERE delivered_at IS NULL AND push AND next_attempt_at > $1
           AND ven_id IN (SELECT ven_id FROM vens WHERE transport_name = $2)`, [now, transportName],
      ),
      appendFeed: async <K extends FeedKind>(kind: K, data: FeedData[K], now: number) => {
        state.fed.push({ at: now, kind, body: JSON.stringify(data), ...(currentRequestId() ? { requestId: currentRequestId()! } : {}) });
      },
      rememberNonce: async (nonce, timestampMs, now, retentionMs) => {
        // Expiry runs beside the request, at most once a second per node, and skips rows another
        // node is deleting: it never makes a signed request wait or conflict.
        if (now - this.noncesExpiredAt >= 1_000) {
          this.noncesExpiredAt = now;
          this.pool.query(`DELETE FROM nonces WHERE ctid IN (SELECT ctid FROM nonces WHERE seen_at < $1 ORDER BY seen_at LIMIT 5000 FOR UPDATE SKIP LOCKED)`, [now - retentionMs])
            .catch((error: Error) => this.logger.warn('nonce expiry failed', { reason: error.message }));
        }
        return (await count('INSERT INTO nonces (nonce, ts, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [nonce, timestampMs, now])) === 1;
      },
    };
  }
}

interface TxState {
  enqueued: boolean;
  /** Feed entries wait for the end of the transaction, where offsets are given in commit order. */
  fed: { at: number; kind: string; body: string; requestId?: string }[];
}

function outboxEntry(r: Row): OutboxEntry {
  return {
    id: Number(r.id), venId: String(r.ven_id), body: json(r) as OutboxBody, createdAt: Number(r.created_at),
    attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at), ...(r.last_error ? { lastError: String(r.last_error) } : {}),
  };
}

function reads(query: Query): VtnStoreReads {
  const one = async (text: string, values: readonly unknown[]): Promise<unknown> => json((await query(text, values))[0]);
  const many = async <T>(text: string, values: readonly unknown[] = []): Promise<T[]> => (await query(text, values)).map((r) => json(r) as T);
  const outbox = outboxEntry;
  return {
    getVen: async (venId) => (await one('SELECT body FROM vens WHERE ven_id = $1', [venId])) as VenRecord | undefined,
    findVenByRegistrationId: async (id) => (await one('SELECT body FROM vens WHERE registration_id = $1', [id])) as VenRecord | undefined,
    listVens: () => many('SELECT body FROM vens ORDER BY ven_id'),
    getProgram: async (id) => (await one('SELECT body FROM programs WHERE program_id = $1', [id])) as ProgramRecord | undefined,
    countPendingWebhooks: async () => Number((await query('SELECT count(*) AS n FROM webhooks3 WHERE delivered_at IS NULL', []))[0]?.n ?? 0),
    getUpstreamEvent: async (id) => (await one('SELECT body FROM upstream_events WHERE upstream_id = $1', [id])) as UpstreamEventRecord | undefined,
    listUpstreamEvents: () => many('SELECT body FROM upstream_events ORDER BY received_at, upstream_id'),
    getObject3: async (kind, id) => (await one('SELECT body FROM objects3 WHERE kind = $1 AND id = $2', [kind, id])) as Object3Record | undefined,
    listObjects3: (kind, clientId) => (clientId === undefined
      ? many('SELECT body FROM objects3 WHERE kind = $1 ORDER BY created_at, id', [kind])
      : many('SELECT body FROM objects3 WHERE kind = $1 AND client_id = $2 ORDER BY created_at, id', [kind, clientId])),
    listPrograms: () => many('SELECT body FROM programs ORDER BY program_id'),
    getEvent: async (id) => (await one('SELECT body FROM events WHERE event_id = $1', [id])) as EventRecord | undefined,
    listEvents: () => many('SELECT body FROM events ORDER BY event_id'),
    listEventVersions: (id) => many('SELECT body FROM event_versions WHERE event_id = $1 ORDER BY modification_number', [id]),
    eventsForVen: (venId, after) => many(
      'SELECT e.body FROM event_targets t JOIN events e ON e.event_id = t.event_id WHERE t.ven_id = $1 AND e.ends_at > $2 ORDER BY e.event_id', [venId, after],
    ),
    searchEvents: (q) => {
      const where = ['NOT cancelled'];
      const args: unknown[] = [];
      const arg = (v: unknown): string => { args.push(v); return `$${args.length}`; };
      if (q.programId !== undefined) where.push(`program_id = ${arg(q.programId)}`);
      if (q.endsAfter !== undefined) where.push(`ends_at > ${arg(q.endsAfter)}`);
      if (q.groupIds?.length) where.push(`(body::jsonb -> 'event' -> 'target' -> 'groupIds') ?| ${arg([...q.groupIds])}::text[]`);
      if (q.venIds) where.push(`event_id IN (SELECT event_id FROM event_targets WHERE ven_id = ANY(${arg([...q.venIds])}::text[]))`);
      return many(`SELECT body FROM events WHERE ${where.join(' AND ')} ORDER BY ((body::jsonb ->> 'createdAt')::bigint), event_id LIMIT ${arg(q.limit)} OFFSET ${arg(q.skip)}`, args);
    },
    eventTargets: async (id) => (await query('SELECT ven_id FROM event_targets WHERE event_id = $1 ORDER BY ven_id', [id])).map((r) => String(r.ven_id)),
    listEventResponses: (id) => (id === undefined
      ? many('SELECT body FROM event_responses ORDER BY event_id, ven_id, modification_number')
      : many('SELECT body FROM event_responses WHERE event_id = $1 ORDER BY ven_id, modification_number', [id])),
    getOpt: async (id) => (await one('SELECT body FROM opts WHERE opt_id = $1', [id])) as OptRecord | undefined,
    listOpts: (venId) => (venId === undefined ? many('SELECT body FROM opts ORDER BY opt_id') : many('SELECT body FROM opts WHERE ven_id = $1 ORDER BY opt_id', [venId])),
    listReportRegistrations: (venId) => many('SELECT body FROM report_registrations WHERE ven_id = $1 ORDER BY report_specifier_id', [venId]),
    getReportRequest: async (id) => (await one('SELECT body FROM report_requests WHERE report_request_id = $1', [id])) as ReportRequestRecord | undefined,
    listReportRequests: (venId) => many('SELECT body FROM report_requests WHERE ven_id = $1 ORDER BY report_request_id', [venId]),
    listReadings: ({ venId, rId, from, to, limit }) => many(
      `SELECT body FROM readings WHERE ($1::text IS NULL OR ven_id = $1) AND ($2::text IS NULL OR r_id = $2) AND dtstart >= $3 AND dtstart < $4
         ORDER BY dtstart, ven_id, r_id LIMIT $5`,
      [venId ?? null, rId ?? null, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER, limit ?? 10_000],
    ),
    latestReading: async (venId, rId, from) => (await one(
      'SELECT body FROM readings WHERE ven_id = $1 AND r_id = $2 AND dtstart >= $3 ORDER BY dtstart DESC LIMIT 1', [venId, rId, from],
    )) as ReadingRecord | undefined,
    countReadings: async () => Number((await query('SELECT count(*) AS n FROM readings'))[0]?.n ?? 0),
    pendingOutbox: async (venId) => (await query('SELECT * FROM outbox WHERE ven_id = $1 AND delivered_at IS NULL ORDER BY id', [venId])).map(outbox),
    duePushEntries: async (now, limit) => (await query(
      `SELECT o.* FROM outbox o WHERE o.delivered_at IS NULL AND o.push AND o.next_attempt_at <= $1
         AND o.id = (SELECT min(id) FROM outbox p WHERE p.ven_id = o.ven_id AND p.delivered_at IS NULL)
       ORDER BY o.next_attempt_at, o.id LIMIT $2`, [now, limit],
    )).map(outbox),
    stats: async () => {
      const vensByState = Object.fromEntries((await query('SELECT state, count(*) AS n FROM vens GROUP BY state')).map((r) => [String(r.state), Number(r.n)]));
      const outbox = (await query('SELECT count(*) AS n, count(*) FILTER (WHERE push) AS p, min(created_at) AS oldest FROM outbox WHERE delivered_at IS NULL'))[0]!;
      const feedHead = Number((await query('SELECT max("offset") AS head FROM feed'))[0]?.head ?? 0);
      return { vensByState, outboxPending: Number(outbox.n), pushPending: Number(outbox.p), ...(outbox.oldest == null ? {} : { oldestPendingAt: Number(outbox.oldest) }), feedHead };
    },
    feedAfter: async (offset, limit) => (await query('SELECT * FROM feed WHERE "offset" > $1 ORDER BY "offset" LIMIT $2', [offset, limit]))
      .map((r) => ({ offset: Number(r.offset), at: Number(r.at), kind: String(r.kind) as FeedKind, data: json(r), ...(r.request_id ? { requestId: String(r.request_id) } : {}) }) as FeedEntry),
  };
}

function webhookEntry(r: Row): WebhookEntry {
  return {
    id: Number(r.id), subscriptionId: String(r.subscription_id), url: String(r.url), ...(r.bearer_token ? { bearerToken: String(r.bearer_token) } : {}), body: String(r.body),
    createdAt: Number(r.created_at), attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at), ...(r.last_error ? { lastError: String(r.last_error) } : {}),
  };
}
