import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StationStats } from '../../iec104/index.js';
import type { Clock } from '../../src/clock.js';
import type { RequestContext, RequestObserver } from '../service/context.js';
import type { VtnStore } from '../store/store.js';

/** What the anchor reports about itself when it runs beside the VTN. */
export interface AnchorStats {
  readonly pending: number;
  readonly failed: number;
  readonly quarantined: number;
  readonly done: number;
  readonly ledgerHeight?: number;
}

/**
 * The VTN's Prometheus metrics (prom-client), one registry per VTN so that several VTNs in one
 * process (tests, the demo) do not mix. Counters are incremented where things happen; gauges that
 * describe the store are read from it at scrape time, from indexes (StoreStats).
 */
export class VtnMetrics implements RequestObserver {
  readonly registry = new Registry();
  private readonly requests: Counter<'service' | 'payload' | 'response_code' | 'transport'>;
  private readonly latency: Histogram<'service' | 'payload' | 'transport'>;
  private readonly pushes: Counter<'transport' | 'outcome'>;
  private station: (() => StationStats | undefined) | undefined;
  private anchor: (() => Promise<AnchorStats | undefined>) | undefined;

  constructor(store: VtnStore, clock: Clock, options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'flexbridge_oadr_requests_total', help: 'OpenADR 2.0b requests answered, by service, payload type, 2.0b response code and transport', labelNames: ['service', 'payload', 'response_code', 'transport'], registers });
    this.latency = new Histogram({
      name: 'flexbridge_oadr_request_duration_seconds', help: 'Time from a parsed request to its answer (store transaction included)', labelNames: ['service', 'payload', 'transport'], registers,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.pushes = new Counter({ name: 'flexbridge_push_attempts_total', help: 'Pushes to VENs, by transport and outcome (delivered, failed: retried later)', labelNames: ['transport', 'outcome'], registers });
    // Store-derived gauges share one read per scrape.
    let snapshot: ReturnType<VtnStore['read']['stats']> | undefined;
    const stats = (): ReturnType<VtnStore['read']['stats']> => (snapshot ??= store.read.stats().finally(() => { setTimeout(() => { snapshot = undefined; }, 0); }));
    new Gauge({
      name: 'flexbridge_vens', help: 'Registered and cancelled VENs', labelNames: ['state'], registers,
      async collect() {
        const s = await stats();
        this.reset();
        for (const [state, n] of Object.entries(s.vensByState)) this.set({ state }, n);
      },
    });
    new Gauge({ name: 'flexbridge_outbox_pending', help: 'Messages waiting for a VEN (to be polled or pushed)', registers, async collect() { this.set((await stats()).outboxPending); } });
    new Gauge({ name: 'flexbridge_outbox_push_pending', help: 'Messages waiting to be pushed', registers, async collect() { this.set((await stats()).pushPending); } });
    new Gauge({
      name: 'flexbridge_outbox_oldest_age_seconds', help: 'Age of the oldest undelivered message (0 when none)', registers,
      async collect() { const oldest = (await stats()).oldestPendingAt; this.set(oldest === undefined ? 0 : Math.max(0, (clock.now() - oldest) / 1000)); },
    });
    new Counter({ name: 'flexbridge_store_retries_total', help: 'Store transactions run again after a serialization failure or deadlock (PostgreSQL)', registers, collect() { this.reset(); this.inc(store.retries ?? 0); } });
    new Gauge({ name: 'flexbridge_openadr3_notifications_pending', help: 'OpenADR 3 notifications (webhooks and MQTT messages) queued and not yet delivered', registers, async collect() { this.set(await store.read.countPendingWebhooks()); } });
    new Gauge({ name: 'flexbridge_feed_head_offset', help: 'Largest offset of the operator feed (a consumer\'s lag is this minus its own offset)', registers, async collect() { this.set((await stats()).feedHead); } });

    const station = (): StationStats | undefined => this.station?.();
    const stationCounter = (name: string, help: string, pick: (s: StationStats) => number): void => {
      new Counter({ name, help, registers, collect() { const s = station(); if (s) { this.reset(); this.inc(pick(s)); } } });
    };
    new Gauge({ name: 'flexbridge_iec104_connections', help: 'Open IEC 104 connections to the UVAM station (0 where this node does not run it)', registers, collect() { this.set(station()?.connections ?? 0); } });
    new Gauge({ name: 'flexbridge_iec104_active_links', help: 'IEC 104 connections with data transfer started (STARTDT)', registers, collect() { this.set(station()?.activeLinks ?? 0); } });
    stationCounter('flexbridge_iec104_connections_accepted_total', 'IEC 104 connections taken in', (s) => s.accepted);
    stationCounter('flexbridge_iec104_connections_refused_total', 'IEC 104 connections refused (peer not allowed, no redundancy group)', (s) => s.refused);
    stationCounter('flexbridge_iec104_t1_expiries_total', 'IEC 104 connections closed because t1 expired', (s) => s.t1Expiries);
    new Counter({
      name: 'flexbridge_iec104_orders_total', help: 'TSO set-point orders, by outcome', labelNames: ['outcome'], registers,
      collect() { const s = station(); if (s) { this.reset(); this.inc({ outcome: 'accepted' }, s.ordersAccepted); this.inc({ outcome: 'refused' }, s.ordersRefused); } },
    });

    // One look at the anchor per scrape (a Fabric ledger's height is a query).
    let anchorSnapshot: Promise<AnchorStats | undefined> | undefined;
    const anchor = (): Promise<AnchorStats | undefined> => (anchorSnapshot ??= (this.anchor?.() ?? Promise.resolve(undefined)).finally(() => { setTimeout(() => { anchorSnapshot = undefined; }, 0); }));
    new Gauge({
      name: 'flexbridge_anchor_records', help: 'Records the anchor holds for the ledger, by state (pending includes retries)', labelNames: ['state'], registers,
      async collect() { const a = await anchor(); if (a) { this.set({ state: 'pending' }, a.pending); this.set({ state: 'failed' }, a.failed); this.set({ state: 'quarantined' }, a.quarantined); this.set({ state: 'done' }, a.done); } },
    });
    new Gauge({ name: 'flexbridge_ledger_height', help: 'Blocks on the ledger the anchor writes to', registers, async collect() { const h = (await anchor())?.ledgerHeight; if (h !== undefined) this.set(h); } });
  }

  answered(ctx: RequestContext, payload: string, responseCode: number, seconds: number): void {
    this.requests.inc({ service: ctx.service, payload, response_code: String(responseCode), transport: ctx.transport });
    this.latency.observe({ service: ctx.service, payload, transport: ctx.transport }, seconds);
  }

  pushed(transport: string, outcome: 'delivered' | 'failed'): void {
    this.pushes.inc({ transport, outcome });
  }

  /** The UVAM's station while this node runs it. */
  attachStation(stats: () => StationStats | undefined): void {
    this.station = stats;
  }

  /** The anchor, where it runs in the VTN's process (the demo; `flexbridge anchor run` beside it has its own). */
  attachAnchor(stats: () => Promise<AnchorStats | undefined>): void {
    this.anchor = stats;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
