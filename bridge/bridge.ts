import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OptType } from '../schemas/index.js';
import type { Clock } from '../src/clock.js';
import type { Logger } from '../src/logger.js';
import { Ven, Ven3, VenStore, venStatus, type VenEvent, type VenHandlers } from '../ven/index.js';
import type { GridOrderRecord, OperatorService, UpstreamEventRecord, UvamAllocator, VtnConfig, VtnStore } from '../vtn/index.js';
import { allocated, derivedEventId, optFor, relayed, setpointOf, shareByPower, type Upstream } from './derive.js';

export type UpstreamConfig = NonNullable<VtnConfig['upstream']>;

export interface BridgeOptions {
  readonly config: UpstreamConfig;
  /** The downstream VTN: its store and operator commands. */
  readonly store: VtnStore;
  readonly operator: OperatorService;
  /** Where the upstream VEN keeps its state (its events and queued reports): survives restarts. */
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Shares an aggregate setpoint among the fleet (the DR contract on the ledger); by present power without one. */
  readonly allocator?: UvamAllocator;
}

/** The upstream VEN, whichever protocol. */
interface UpstreamLink {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * FlexBridge between an upstream VTN and its own fleet: a VEN upstream (OpenADR 3.1 or 2.0b), the
 * VTN downstream. Each upstream event version becomes the fleet's events (relayed to its groups, or
 * an aggregate setpoint shared among its VENs) in one transaction with the record of the upstream
 * event and a grid-order entry on the feed (so the anchor links them on the ledger), before the
 * upstream opt is answered; a modification modifies every derived event, a cancellation cancels
 * them. The fleet's power goes back up as the upstream VEN's usage (3.x DEMAND reports; 2.0b
 * TELEMETRY_USAGE at the granularity the upstream asks for).
 */
export class Bridge {
  private link: UpstreamLink | undefined;
  private store3: VenStore | undefined;
  private connecting: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** Upstream changes are applied one at a time, in the order they arrive. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BridgeOptions) {}

  async start(): Promise<void> {
    const { config, operator, store, clock } = this.options;
    if (!(await store.read.getProgram(config.programId))) {
      await operator.createProgram({ programId: config.programId, name: `upstream ${this.where}`.slice(0, 128), marketContext: `urn:flexbridge:upstream:${config.programId}` });
    }
    this.store3 = new VenStore(join(this.options.dataDir, 'upstream-ven.sqlite'));
    const handlers: VenHandlers = {
      onEvent: (event) => this.serial(() => this.onUpstream(event)),
      onEventCancelled: (event) => this.serial(() => this.onCancelled(event.eventId, `cancelled upstream (version ${event.modificationNumber})`)),
      onEventRemoved: (eventId) => { void this.serial(() => this.onCancelled(eventId, 'no longer listed upstream')).catch((error: unknown) => this.failed(eventId, error)); },
    };
    // Each sample the upstream VEN reports is recorded first (and so anchored): what went up is on the ledger.
    const usage = [{ rId: 'fleet', resourceId: 'fleet', read: () => this.sampleFleet() }];
    const tls = config.tls;
    this.link = config.protocol === 'openadr3'
      ? new Ven3({
        vtnUrl: config.url!, clientId: config.clientId!, clientSecret: config.clientSecret!, venName: config.venName, store: this.store3, clock, logger: this.options.logger,
        pollFrequencyMs: config.pollFrequencyMs, reportEveryMs: config.reportEveryMs, usage, handlers, jitter: 0,
        ...(tls.ca ? { ca: readFileSync(tls.ca, 'utf8') } : {}),
        mqtt: config.mqtt === false ? false : { ...(config.mqtt.url ? { url: config.mqtt.url } : {}), ...(config.mqtt.topics ? { topics: () => config.mqtt ? config.mqtt.topics ?? [] : [] } : {}) },
      })
      : new Ven({
        vtnUrl: config.url ?? this.where, venName: config.venName, store: this.store3, clock, logger: this.options.logger, usage, handlers,
        // Over XMPP the server's TLS and the account carry identity; over HTTP mutual TLS, pulled or pushed to.
        ...(config.xmpp
          ? { xmpp: { account: { service: config.xmpp.service, domain: config.xmpp.domain, username: config.xmpp.username, password: config.xmpp.password!, resource: config.xmpp.resource, ca: readFileSync(tls.ca!, 'utf8') }, vtnJid: config.xmpp.vtnJid } }
          : { tls: { key: readFileSync(tls.key!, 'utf8'), cert: readFileSync(tls.cert!, 'utf8'), ca: readFileSync(tls.ca!, 'utf8') } }),
        ...(config.push ? { push: config.push } : {}),
      });
    // The utility's VTN may be away when FlexBridge starts: the VEN keeps trying, the VTN serves meanwhile.
    this.connecting = this.connect(this.link);
  }

  /** Where the upstream VTN is, for records and logs: its URL, or its JID over XMPP. */
  get where(): string {
    const { config } = this.options;
    return config.url ?? `xmpp:${config.xmpp?.vtnJid ?? '?'}`;
  }

  /** Starts the upstream VEN, again with backoff (1 s doubling to 1 min) while the upstream VTN refuses or is away. */
  private async connect(link: UpstreamLink): Promise<void> {
    const { config, logger } = this.options;
    for (let waitMs = 1_000; !this.stopped; waitMs = Math.min(60_000, waitMs * 2)) {
      try {
        await link.start();
        logger.info('bridge: upstream VEN started', { protocol: config.protocol, url: this.where, venName: config.venName });
        return;
      } catch (error) {
        logger.warn('bridge: upstream VEN not started, trying again', { url: this.where, inMs: waitMs, reason: error instanceof Error ? error.message : String(error) });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          this.wake = () => { clearTimeout(timer); resolve(); };
        });
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.connecting;
    await this.link?.stop();
    await this.queue.catch(() => undefined);
    this.store3?.close();
  }

  /** The fleet: registered VENs (2.0b) and 3.x VENs of the configured groups, or all of them. */
  async fleet(): Promise<string[]> {
    const groups = this.options.config.groupIds;
    return (await this.options.store.read.listVens())
      .filter((v) => v.state === 'registered' && (!groups?.length || v.groupIds.some((g) => groups.includes(g))))
      .map((v) => v.venId);
  }

  /** Each fleet VEN's present power (W): its latest recent reading of the first configured data point it has. */
  async fleetPowers(): Promise<Map<string, number>> {
    const { store, config, clock } = this.options;
    const out = new Map<string, number>();
    for (const venId of await this.fleet()) {
      for (const { rId, scale } of config.readings) {
        const last = await store.read.latestReading(venId, rId, clock.now() - config.maxReadingAgeMs);
        if (last && last.payload.value.kind === 'float' && Number.isFinite(last.payload.value.value)) { out.set(venId, last.payload.value.value * scale); break; }
      }
    }
    return out;
  }

  async fleetPower(): Promise<number> {
    return [...(await this.fleetPowers()).values()].reduce((s, w) => s + w, 0);
  }

  /** The pseudo-VEN whose readings are the aggregated reports sent upstream. */
  get upstreamVenId(): string {
    return `upstream:${this.options.config.venName}`;
  }

  /**
   * The fleet's power for an upstream report. While upstream events the bridge opted in to are
   * active, the sample is written as a reading of the upstream pseudo-VEN (rId `fleet`, W; its
   * reportRequestId names those events) with its feed entry, before it goes up: the anchor records
   * it as a telemetry window beside the fleet VENs' own, so a proof links the utility's event, the
   * derived events, the households' readings and what was reported.
   */
  async sampleFleet(): Promise<number> {
    const { store, clock } = this.options;
    const total = await this.fleetPower();
    const now = clock.now();
    const active = (await store.read.listUpstreamEvents()).filter((u) => u.status === 'active' && u.opt === 'optIn' && venStatus(u.event, 0, now) === 'active').map((u) => u.upstreamId).sort();
    if (active.length === 0) return total;
    const venId = this.upstreamVenId;
    const reportRequestId = `upstream:${active.join(',')}`.slice(0, 512);
    await store.transaction(async (tx) => {
      await tx.putReadings([{ venId, reportRequestId, reportSpecifierId: 'fleet', rId: 'fleet', dtstart: now, durationMs: 0, payload: { kind: 'report', rId: 'fleet', value: { kind: 'float', value: total } }, receivedAt: now }]);
      await tx.appendFeed('reading', { venId, reportRequestId, reportSpecifierId: 'fleet', from: now, to: now, count: 1 }, now);
    });
    return total;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private failed(upstreamId: string, error: unknown): void {
    this.options.logger.error('bridge: upstream change not applied', { upstreamId, reason: error instanceof Error ? error.message : String(error) });
  }

  /** A new upstream event or version: derived events, the record and the feed entry in one transaction; answers the opt. */
  async onUpstream(event: VenEvent): Promise<OptType> {
    const { config, store, operator, clock, logger } = this.options;
    const upstreamId = event.eventId;
    const known = await store.read.getUpstreamEvent(upstreamId);
    // Seen already (a restart reads the same versions again): the same answer, nothing written twice.
    if (known && known.modificationNumber >= event.modificationNumber) return known.opt;
    const u: Upstream = { upstreamId, modificationNumber: event.modificationNumber, url: this.where, event: event.raw };
    const fleet = await this.fleet();
    const powers = await this.fleetPowers();
    const setpoint = setpointOf(event.raw);
    let inputs: ReturnType<typeof allocated>;
    let allocatedBy: string;
    if (setpoint && powers.size > 0) {
      const shared = await this.share(u, setpoint, powers);
      allocatedBy = shared.by;
      inputs = allocated(u, config.programId, setpoint, shared.targets, shared.by);
    } else if (fleet.length > 0) {
      allocatedBy = setpoint ? 'relayed to the fleet: no VEN has a recent reading to share the setpoint by' : 'relayed to the fleet';
      inputs = [relayed(u, config.programId, { ...(config.groupIds ? { groupIds: config.groupIds } : {}), venIds: fleet })];
    } else {
      allocatedBy = 'no VEN in the fleet';
      inputs = [];
    }
    const opt = optFor(config.optPolicy, { vens: fleet.length, measured: powers.size }, setpoint !== undefined);
    // A derived event the operator cancelled here stays cancelled: the operator's word is the last.
    const overruled: string[] = [];
    for (const input of inputs) if ((await store.read.getEvent(input.eventId))?.cancelled) overruled.push(input.eventId);
    if (overruled.length) {
      inputs = inputs.filter((i) => !overruled.includes(i.eventId));
      logger.warn('bridge: derived events cancelled by the operator are not revived', { upstreamId, overruled });
    }
    // What this version no longer derives (a VEN left the fleet, relay became allocation) is cancelled.
    const wanted = new Set([...inputs.map((i) => i.eventId), ...overruled]);
    const stale = (known?.derivedEventIds ?? []).filter((id) => !wanted.has(id) && !overruled.includes(id));
    const now = clock.now();
    const record: UpstreamEventRecord = {
      upstreamId, protocol: config.protocol, upstreamUrl: this.where, modificationNumber: event.modificationNumber, event: event.raw, status: 'active',
      derivedEventIds: [...wanted], opt, allocatedBy, receivedAt: known?.receivedAt ?? now, updatedAt: now,
    };
    await operator.applyEvents(inputs, stale, `upstream event ${upstreamId} version ${event.modificationNumber}`, async (tx) => {
      await tx.putUpstreamEvent(record);
      await operator.recordGridOrder(tx, this.gridOrder(record, setpoint?.[0]?.value ?? 0, now));
    });
    logger.info('bridge: upstream event applied', { upstreamId, modificationNumber: event.modificationNumber, derived: record.derivedEventIds, cancelled: stale, opt, allocatedBy });
    return opt;
  }

  /** Cancelled or gone upstream: every derived event is cancelled, with the record. */
  async onCancelled(upstreamId: string, why: string): Promise<void> {
    const { store, operator, clock } = this.options;
    const known = await store.read.getUpstreamEvent(upstreamId);
    if (!known || known.status === 'cancelled') return;
    const now = clock.now();
    const record: UpstreamEventRecord = { ...known, status: 'cancelled', updatedAt: now };
    await operator.applyEvents([], known.derivedEventIds, `upstream event ${upstreamId} ${why}`, async (tx) => {
      await tx.putUpstreamEvent(record);
      await operator.recordGridOrder(tx, { ...this.gridOrder(record, 0, now), accepted: false, reason: why });
    });
    this.options.logger.info('bridge: upstream event cancelled downstream', { upstreamId, cancelled: known.derivedEventIds, why });
  }

  /** The allocator's shares per interval, or each VEN's share of the present power. */
  private async share(u: Upstream, setpoint: readonly { durationMs: number; value: number }[], powers: ReadonlyMap<string, number>): Promise<{ targets: Map<string, number[]>; by: string }> {
    const allocator = this.options.allocator;
    if (!allocator) return { targets: shareByPower(setpoint, powers), by: 'share of present power' };
    try {
      // One allocation per upstream interval, each a DR event of its own on the ledger.
      const targets = new Map<string, number[]>([...powers.keys()].map((v) => [v, []]));
      let at = u.event.activePeriod.dtstart.epochMs;
      let by = '';
      for (const [k, interval] of setpoint.entries()) {
        const answer = await allocator({ orderId: `${derivedEventId(u.upstreamId)}-v${u.modificationNumber}-i${k}`, setpointW: interval.value, receivedAt: at, durationMs: interval.durationMs, powers });
        for (const [venId, values] of targets) values.push(answer.targets.get(venId) ?? powers.get(venId)!);
        by = answer.by;
        at += interval.durationMs;
      }
      return { targets, by };
    } catch (error) {
      return { targets: shareByPower(setpoint, powers), by: `fallback: share of present power (the allocator failed: ${error instanceof Error ? error.message : String(error)})` };
    }
  }

  private gridOrder(record: UpstreamEventRecord, setpointW: number, now: number): GridOrderRecord {
    return {
      orderId: `upstream-${derivedEventId(record.upstreamId)}-v${record.modificationNumber}${record.status === 'cancelled' ? '-cancelled' : ''}`,
      source: `${record.protocol}-upstream`, origin: `${record.upstreamUrl}#event=${record.upstreamId}&version=${record.modificationNumber}`,
      setpointW, receivedAt: record.updatedAt, decidedAt: now, accepted: record.opt === 'optIn', eventIds: [...record.derivedEventIds], allocatedBy: record.allocatedBy,
    };
  }
}
