import { durationToMs } from '../../schemas/index.js';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import type { FeedEntry, GridOrderRecord } from '../../vtn/index.js';
import type { DrTransaction } from '../chaincode/dr-contract.js';
import { withRequestId } from '../../src/request-id.js';

import type { LedgerIdentity } from '../ledger/embedded-ledger.js';
import type { AnchorStore, AnchorStoreTransaction, Backlog } from './anchor-store.js';
import { telemetryWindowSha256 } from './telemetry-window.js';
import type { VtnFeedSource } from './vtn-feed-client.js';
import { ContractError } from '../errors.js';
import { VtnUnavailableError } from '../../src/errors.js';
import { checkTimeZone, intervalAt, type LocalDay } from '../../src/local-day.js';

/** The part of a ledger the anchor writes through: the embedded ledger and the Fabric gateway both fit. */
export interface LedgerBackend {
  submit(fn: DrTransaction, args: never, identity: LedgerIdentity, options: { txId: string }): Promise<unknown>;
}

export interface MeterMapping {
  readonly meterId: string;
  /** The data point (rID) of the VEN's power readings; any float reading when absent. */
  readonly rId?: string;
  /** Factor that turns the reading into watts, the contract's unit: 1000 for an OpenADR 3 DEMAND in KW (default 1). */
  readonly scale?: number;
}

export interface AnchorServiceOptions {
  readonly source: VtnFeedSource;
  readonly ledger: LedgerBackend;
  readonly store: AnchorStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly identities: { readonly operator: LedgerIdentity; readonly retailer: LedgerIdentity };
  /** Which meter each VEN's telemetry belongs to (meter-days are recorded for these). */
  readonly meters: Readonly<Record<string, MeterMapping>>;
  readonly intervalMinutes?: number;
  /** The program's IANA time zone: meter-days are its local days, 23 or 25 hours long on a change day (default UTC). */
  readonly timeZone?: string;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long one feed request waits for new entries (long poll). */
  readonly feedWaitMs?: number;
  /**
   * Rows submitted at once (default 1). Fabric commits in blocks: with many writes in flight each
   * block carries many of them, where one at a time waits a block each.
   */
  readonly deliveryConcurrency?: number;
}

/**
 * Follows the VTN's live feed and anchors it: every event version, every telemetry window, and
 * each VEN's readings assembled into meter-days. Feed entries become outbox rows (with the
 * checkpoint, in one local transaction) before anything is sent, and every row carries a
 * deterministic transaction ID, so a crash, a retry or a ledger outage never loses or doubles a
 * record. Contract refusals are kept as failed rows, visible in the backlog.
 */
export class AnchorService {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly intervalMinutes: number;

  constructor(private readonly options: AnchorServiceOptions) {
    this.intervalMinutes = options.intervalMinutes ?? 15;
    checkTimeZone(options.timeZone ?? 'UTC');
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [this.ingestLoop(), this.deliverLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  backlog(): Backlog {
    return this.options.store.backlog();
  }

  /** Reads every feed entry available now and delivers every due row once (for tools and tests). */
  async runOnce(): Promise<Backlog> {
    while ((await this.ingest(0)) > 0) { /* drain the feed */ }
    while ((await this.deliver()) > 0) { /* send every due row */ }
    return this.backlog();
  }

  private async ingestLoop(): Promise<void> {
    while (this.running) {
      try {
        await this.ingest(this.options.feedWaitMs ?? 2_000);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (error instanceof VtnUnavailableError) this.options.logger.warn('VTN feed unavailable; retrying', { reason });
        else this.options.logger.error('anchor store failed; retrying', { reason });
        await sleep(this.options.minBackoffMs ?? 1_000);
      }
    }
  }

  private async deliverLoop(): Promise<void> {
    while (this.running) {
      const delivered = await this.deliver();
      if (delivered === 0) await sleep(200);
    }
  }

  /** One feed request; returns how many entries it anchored. */
  private async ingest(waitMs: number): Promise<number> {
    const { store, source } = this.options;
    const { entries } = await vtnCall(() => source.feedAfter(store.checkpoint(), waitMs));
    for (const entry of entries) {
      // The VTN being away is a reason to wait; an entry that cannot be made into records is not:
      // it is quarantined (kept with its reason, visible) and the entries behind it go on.
      // Logs and records made for the entry carry the VTN request that made it.
      await withRequestId(entry.requestId ?? `feed-${entry.offset}`, async () => {
        let failure: unknown;
        try {
          store.advance(entry.offset, await this.prepare(entry));
          return;
        } catch (error) {
          if (error instanceof VtnUnavailableError) throw error;
          failure = error;
        }
        const reason = failure instanceof Error ? failure.message : String(failure);
        store.quarantine(entry.offset, entry.kind, entry.data, reason, this.options.clock.now());
        this.options.logger.error('feed entry quarantined: it cannot be anchored', { offset: entry.offset, kind: entry.kind, reason });
      });
    }
    return entries.length;
  }

  /** Fetches what a feed entry needs from the VTN, then returns the local writes for it. */
  private async prepare(entry: FeedEntry): Promise<(tx: AnchorStoreTransaction) => void> {
    const data = entry.data as Record<string, unknown>;
    if (entry.kind === 'event' && typeof data.eventId === 'string' && typeof data.modificationNumber === 'number') {
      const event = await vtnCall(() => this.options.source.event(data.eventId as string));
      const version = event?.versions.find((v) => v.modificationNumber === data.modificationNumber);
      if (!event || !version) return () => this.options.logger.warn('event version missing on the VTN', { eventId: data.eventId });
      const period = version.event.activePeriod;
      const args = {
        eventId: version.eventId, modificationNumber: version.modificationNumber, contentSha256: version.contentSha256, programId: event.programId,
        dtstart: period.dtstart.epochMs, durationMs: durationToMs(period.duration, period.dtstart), status: data.action === 'cancelled' ? 'cancelled' : 'issued',
      };
      return (tx) => tx.enqueue(`event-${version.eventId}-${version.modificationNumber}`, 'recordEventVersion', args, 'operator');
    }
    if (entry.kind === 'reading' && typeof data.venId === 'string' && typeof data.from === 'number' && typeof data.to === 'number') {
      const venId = data.venId;
      const from = data.from;
      const to = data.to;
      const readings = (await vtnCall(() => this.options.source.readings(venId, from, to))).filter((r) => r.reportRequestId === data.reportRequestId);
      const window = { venId, reportRequestId: String(data.reportRequestId), from: data.from, to: data.to, count: readings.length, readingsSha256: telemetryWindowSha256(readings) };
      const meter = this.options.meters[venId];
      const intervalMs = this.intervalMinutes * 60_000;
      const timeZone = this.options.timeZone ?? 'UTC';
      const byDay = new Map<string, [number, number][]>();
      const days = new Map<string, LocalDay>();
      if (meter) {
        for (const r of readings) {
          if (r.durationMs !== intervalMs || r.payload.value.kind !== 'float' || (meter.rId && r.rId !== meter.rId)) continue;
          // A value that is no number (stored before the codec refused them) cannot be a meter reading.
          if (typeof r.payload.value.value !== 'number' || !Number.isFinite(r.payload.value.value)) throw new Error(`reading of ${venId} at ${new Date(r.dtstart).toISOString()} is not a finite number (${String(r.payload.value.value)})`);
          // The reading's interval of its local day (a change day has 92 or 100 quarter-hours).
          const { day, index } = intervalAt(r.dtstart, timeZone, this.intervalMinutes);
          days.set(day.date, day);
          if (!byDay.has(day.date)) byDay.set(day.date, []);
          byDay.get(day.date)!.push([index, r.payload.value.value * (meter.scale ?? 1)]);
        }
      }
      return (tx) => {
        tx.enqueue(`telemetry-${entry.offset}`, 'recordTelemetryWindow', window, 'operator');
        for (const [date, values] of byDay) {
          if (tx.addIntervals(meter!.meterId, date, values) === days.get(date)!.intervals && tx.markDaySent(meter!.meterId, date)) {
            const zone = timeZone === 'UTC' ? {} : { timeZone };
            tx.enqueue(`energy-${meter!.meterId}-${date}`, 'recordEnergy', { meterId: meter!.meterId, date, intervalMinutes: this.intervalMinutes, ...zone, values: tx.dayValues(meter!.meterId, date) }, 'retailer');
          }
        }
      };
    }
    if (entry.kind === 'gridOrder' && typeof data.orderId === 'string') {
      const order = entry.data as GridOrderRecord;
      const args = { orderId: order.orderId, source: order.source, origin: order.origin, setpointW: order.setpointW, receivedAt: order.receivedAt, decidedAt: order.decidedAt, accepted: order.accepted, eventIds: [...order.eventIds], ...(order.reason === undefined ? {} : { reason: order.reason }), ...(order.allocatedBy === undefined ? {} : { allocatedBy: order.allocatedBy }) };
      return (tx) => tx.enqueue(`grid-order-${order.orderId}`, 'recordGridOrder', args, 'operator');
    }
    return () => undefined;
  }

  /**
   * Sends due rows in order, `deliveryConcurrency` at a time; a round stops at the first row that
   * cannot be sent now (nothing after it is started). Returns how many were sent.
   */
  private async deliver(): Promise<number> {
    const { store, ledger, clock, identities, logger } = this.options;
    const width = Math.max(1, this.options.deliveryConcurrency ?? 1);
    const rows = store.nextPending(clock.now(), Math.max(200, width * 4));
    let sent = 0;
    for (let i = 0; i < rows.length; i += width) {
      const chunk = rows.slice(i, i + width);
      const outcomes = await Promise.allSettled(chunk.map((row) => withRequestId(row.requestId ?? row.txId, () => ledger.submit(row.fn as DrTransaction, row.args as never, identities[row.identity], { txId: row.txId }))));
      let unavailable = false;
      for (const [j, outcome] of outcomes.entries()) {
        const row = chunk[j]!;
        if (outcome.status === 'fulfilled') {
          store.markDone(row.id);
          sent++;
          continue;
        }
        const error = outcome.reason as unknown;
        const reason = error instanceof Error ? error.message : String(error);
        if (error instanceof ContractError && error.code !== 'not-found') {
          store.markFailed(row.id, `${error.code}: ${reason}`);
          logger.warn('ledger refused a record', { txId: row.txId, fn: row.fn, reason, ...(row.requestId ? { requestId: row.requestId } : {}) });
          continue;
        }
        const delay = Math.min(this.options.maxBackoffMs ?? 60_000, (this.options.minBackoffMs ?? 1_000) * 2 ** Math.min(row.attempts, 16));
        store.retryLater(row.id, clock.now() + delay, reason);
        logger.warn('ledger unavailable; will retry', { txId: row.txId, retryInMs: delay, reason, ...(row.requestId ? { requestId: row.requestId } : {}) });
        unavailable = true;
      }
      if (unavailable) break; // keep the order: nothing after a row that could not go is started
    }
    return sent;
  }
}


async function vtnCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // Whatever the source throws, the VTN could not be asked: transient, the feed entry waits.
    throw new VtnUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
