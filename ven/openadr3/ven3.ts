import mqtt, { type MqttClient } from 'mqtt';
import { Openadr3Error, type OadrEvent } from '../../schemas/index.js';
import { oadrEventOf3 } from '../../schemas/openadr3/oadr-event.js';
import type { EventRequest } from '../../schemas/openadr3/model.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { VtnUnavailableError } from '../errors.js';
import { signalIntervals, venStatus } from '../service/event-state.js';
import type { UsageProvider } from '../service/reporting.js';
import type { VenStore } from '../store/ven-store.js';
import type { VenEvent, VenHandlers } from '../ven.js';
import { Vtn3Client } from './vtn3-client.js';

export interface Ven3Options {
  /** The VTN's OpenADR 3.1 base URL. */
  readonly vtnUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM of the CA that signed the VTN's certificate (default: the system's). */
  readonly ca?: string;
  /** This VEN's name on the VTN (its ven object is found by it, or made). */
  readonly venName: string;
  readonly store: VenStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly pollFrequencyMs?: number;
  /** Power readings (W) reported as DEMAND in kW for every active event the VEN takes part in. */
  readonly usage?: readonly UsageProvider[];
  readonly reportEveryMs?: number;
  /** The same handlers as a 2.0b VEN: an EMS decides on events once for both generations. */
  readonly handlers?: VenHandlers;
  /** Random start delay drawn within an event's randomizeStart; 0 in tests. */
  readonly jitter?: number;
  /**
   * MQTT notifications, when the VTN names an MQTT binding (GET notifiers): the VEN subscribes to its
   * own events' topics and reads the events at once on a message; polling stays as the fallback.
   * `url` replaces the URI the VTN advertises (a broker reached by another name), `topics` the topics
   * it names (a VTN that publishes elsewhere than it says); false turns it off.
   */
  readonly mqtt?: false | { readonly url?: string; readonly ca?: string; readonly topics?: (venId: string) => readonly string[] };
}

interface MqttBinding {
  readonly URIS?: readonly string[];
  readonly authentication?: { readonly method?: string; readonly username?: string };
}

interface Seen {
  readonly version: string;
  readonly modificationNumber: number;
  readonly startOffsetMs: number;
  readonly optType: 'optIn' | 'optOut';
  readonly event: OadrEvent;
}

const SEEN = 'openadr3.events';
const DEMAND_KW = { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'DEMAND', readingType: 'DIRECT_READ', units: 'KW' } as const;
const VEN_ID = 'openadr3.venId';

/**
 * A VEN that speaks OpenADR 3.1: it finds or makes its ven object, reads the events that reach it
 * (polling; a 3.x event becomes the 2.0b event view the handlers know), and reports DEMAND for the
 * active events it takes part in. Reports wait in the VEN's store until the VTN has taken them.
 */
export class Ven3 {
  private readonly client: Vtn3Client;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<void> = Promise.resolve();
  private broker: MqttClient | undefined;
  private readQueued = false;

  constructor(private readonly options: Ven3Options) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.client = new Vtn3Client({ baseUrl: options.vtnUrl, clientId: options.clientId, clientSecret: options.clientSecret, ...(options.ca ? { ca: options.ca } : {}), now: () => this.clock.now() });
  }

  /** The ven object's ID on the VTN, once known. */
  get venId(): string | undefined {
    return this.options.store.value<string>(VEN_ID);
  }

  async start(): Promise<void> {
    if (!this.venId) {
      const found = await this.client.get<{ id: string }[]>('vens', { venName: this.options.venName });
      const ven = found[0] ?? await this.client.post<{ id: string }>('vens', { objectType: 'VEN_VEN_REQUEST', venName: this.options.venName });
      this.options.store.setValue(VEN_ID, ven.id);
    }
    this.running = true;
    await this.poll();
    this.schedulePoll();
    this.scheduleReport();
    if (this.options.mqtt !== false) await this.listen().catch((error: unknown) => this.failed('MQTT notifications (polling instead)', error));
  }

  /** Whether the VEN is subscribed to its topics at a broker now. */
  get notified(): boolean {
    return this.broker?.connected ?? false;
  }

  /** Subscribes to this VEN's event topics at the VTN's MQTT broker, if the VTN names one. */
  private async listen(): Promise<void> {
    const notifiers = await this.client.get<{ MQTT?: MqttBinding }>('notifiers');
    const binding = notifiers.MQTT;
    const url = (this.options.mqtt || undefined)?.url ?? binding?.URIS?.[0];
    if (!binding || !url) { this.logger.info('the VTN names no MQTT notifier: polling only'); return; }
    const override = (this.options.mqtt || undefined)?.topics;
    const { topics } = override ? { topics: {} as Record<string, string> } : await this.client.get<{ topics: Record<string, string> }>(`notifiers/mqtt/topics/vens/${this.venId}/events`);
    // ALL is a wildcard over the others where the VTN gives it.
    const wanted = override ? [...override(this.venId!)] : topics.ALL ? [topics.ALL] : Object.values(topics);
    if (!wanted.length) { this.logger.info('no MQTT topics for this VEN: polling only'); return; }
    // openleadr-rs authenticates a client at the broker by its token (username = client ID).
    const byToken = binding.authentication?.method === 'OAUTH2_BEARER_TOKEN';
    const credentials = async () => (byToken ? { username: (binding.authentication?.username ?? '{clientID}').replace('{clientID}', this.options.clientId), password: await this.client.accessToken() } : {});
    const ca = (this.options.mqtt || undefined)?.ca;
    const broker = mqtt.connect(url, {
      clientId: `flexbridge-ven3-${this.venId}-${Math.random().toString(16).slice(2, 8)}`, clean: true, reconnectPeriod: 5_000, connectTimeout: 10_000,
      ...await credentials(), ...(ca ? { ca } : {}),
    });
    broker.on('connect', () => broker.subscribe(wanted, { qos: 1 }, (error) => { if (error) this.logger.warn('MQTT subscribe failed', { reason: error.message }); }));
    // A token lives shorter than a connection: the next reconnect presents a fresh one.
    broker.on('close', () => { if (byToken) void credentials().then((c) => Object.assign(broker.options, c)).catch(() => undefined); });
    broker.on('error', (error) => this.logger.warn('MQTT broker connection', { reason: error.message }));
    broker.on('message', () => this.readSoon());
    this.broker = broker;
  }

  /** One read after whatever runs now, however many notifications arrive meanwhile. */
  private readSoon(): void {
    if (this.readQueued || !this.running) return;
    this.readQueued = true;
    const run = this.busy.then(() => { this.readQueued = false; return this.readEvents(); }).catch((error: unknown) => this.failed('read on notification', error));
    this.busy = run;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearTimeout(this.reportTimer);
    await new Promise<void>((resolve) => (this.broker ? this.broker.end(true, {}, () => resolve()) : resolve()));
    await this.busy;
    this.client.close();
  }

  /** The events this VEN knows, as its handlers saw them. */
  events(): VenEvent[] {
    return Object.values(this.seen()).map((s) => this.view(s));
  }

  /** Reads the events now (also runs every pollFrequencyMs). */
  poll(): Promise<void> {
    const run = this.busy.then(() => this.readEvents()).catch((error: unknown) => this.failed('poll', error));
    this.busy = run;
    return run;
  }

  private seen(): Record<string, Seen> {
    return this.options.store.value<Record<string, Seen>>(SEEN) ?? {};
  }

  private async readEvents(): Promise<void> {
    // A VEN names the targets it was granted (read_targets): events with targets are read with them,
    // events without any are read without.
    const me = await this.client.get<{ targets?: string[] }>(`vens/${this.venId}`);
    const granted = me.targets ?? [];
    type Object3 = EventRequest & { id: string; createdDateTime?: string; modificationDateTime?: string };
    const lists = await Promise.all([this.client.all<Object3>('events'), granted.length ? this.client.all<Object3>('events', { targets: granted }) : Promise.resolve([])]);
    const objects = [...new Map(lists.flat().map((o) => [o.id, o])).values()];
    const before = this.seen();
    const after: Record<string, Seen> = {};
    for (const object of objects) {
      const version = object.modificationDateTime ?? object.createdDateTime ?? '';
      const known = before[object.id];
      if (known && known.version === version) { after[object.id] = known; continue; }
      const modificationNumber = known ? known.modificationNumber + 1 : 0;
      let event: OadrEvent;
      try {
        event = oadrEventOf3(object, modificationNumber, this.clock.now());
      } catch (error) {
        // An event whose payloads 2.0b-style handlers cannot read (curves, strings) is left aside, said once.
        if (error instanceof Openadr3Error) { if (!known) this.logger.warn('OpenADR 3 event not representable for the handlers', { eventId: object.id, reason: error.message }); continue; }
        throw error;
      }
      const startAfterMs = object.intervalPeriod?.randomizeStart ? startAfter(event) : 0;
      const startOffsetMs = known?.startOffsetMs ?? Math.floor(Math.random() * (this.options.jitter ?? 1) * startAfterMs);
      const draft = { version, modificationNumber, startOffsetMs, event, optType: 'optIn' as const };
      const optType = await (this.options.handlers?.onEvent?.(this.view(draft)) ?? 'optIn');
      after[object.id] = { ...draft, optType };
    }
    this.options.store.setValue(SEEN, after);
    for (const id of Object.keys(before)) if (!after[id]) this.options.handlers?.onEventRemoved?.(id);
  }

  private view(s: Seen): VenEvent {
    const now = this.clock.now();
    return {
      eventId: s.event.descriptor.eventId, modificationNumber: s.modificationNumber, status: venStatus(s.event, s.startOffsetMs, now), marketContext: s.event.descriptor.marketContext,
      responseRequired: false, intervals: signalIntervals(s.event, s.startOffsetMs), raw: s.event,
    };
  }

  /** Samples the usage providers and queues a report for each active event it takes part in, then sends what is queued. */
  async report(): Promise<void> {
    const run = this.busy.then(() => this.sampleAndSend()).catch((error: unknown) => this.failed('report', error));
    this.busy = run;
    return run;
  }

  private async sampleAndSend(): Promise<void> {
    const now = this.clock.now();
    const every = this.options.reportEveryMs ?? 60_000;
    const active = Object.values(this.seen()).filter((s) => s.optType === 'optIn' && venStatus(s.event, s.startOffsetMs, now) === 'active');
    if (active.length && this.options.usage?.length) {
      const readings = await Promise.all(this.options.usage.map(async (p) => ({ resourceName: p.resourceId, value: await p.read() })));
      const start = new Date(now - every).toISOString();
      for (const s of active) {
        const dropped = this.options.store.queueReport3({
          eventID: s.event.descriptor.eventId, clientName: this.options.venName, reportName: 'demand',
          // 3.x USAGE is energy over the interval; a power reading is DEMAND, whose units the descriptor names.
          payloadDescriptors: [DEMAND_KW],
          resources: readings.map((r) => ({ resourceName: r.resourceName, intervalPeriod: { start, duration: `PT${Math.round(every / 1000)}S` }, intervals: [{ id: 0, payloads: [{ type: 'DEMAND', values: [r.value / 1000] }] }] })),
        }, now);
        if (dropped) this.logger.warn('OpenADR 3 report queue full: oldest reports dropped', { dropped });
      }
    }
    for (const queued of this.options.store.outbox3(now)) {
      try {
        await this.client.post('reports', queued.body);
        this.options.store.sent3(queued.id);
      } catch (error) {
        const retryAt = now + Math.min(300_000, 1_000 * 2 ** Math.min(queued.attempts, 8));
        this.options.store.failed3(queued.id, error instanceof Error ? error.message : String(error), retryAt);
        // The VTN is away: the rest waits too, in order.
        if (error instanceof VtnUnavailableError) return;
      }
    }
  }

  private failed(what: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof VtnUnavailableError) this.logger.info(`OpenADR 3 ${what}: VTN unavailable, trying again later`, { reason });
    else this.logger.warn(`OpenADR 3 ${what} failed`, { reason });
  }

  private schedulePoll(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => { void this.poll().finally(() => this.schedulePoll()); }, this.options.pollFrequencyMs ?? 30_000);
  }

  private scheduleReport(): void {
    if (!this.running) return;
    this.reportTimer = setTimeout(() => { void this.report().finally(() => this.scheduleReport()); }, this.options.reportEveryMs ?? 60_000);
  }
}

function startAfter(event: OadrEvent): number {
  const d = event.activePeriod.startAfter;
  return d ? ((((d.days * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000 + d.milliseconds) : 0;
}
