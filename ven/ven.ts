import { randomUUID } from 'node:crypto';
import { durationFromMs, durationToMs, ResponseCode, SERVICE_OF_VTN_PAYLOAD, SIGNAL_NAMES, type EiTarget, type EventStatus, type OadrDistributeEvent, type OadrEvent, type OadrMessage, type OadrReport, type OptReason, type OptType, type ReportRequest, type ServiceName, type SigningIdentity } from '../schemas/index.js';
import { systemClock, type Clock } from '../src/clock.js';
import { silentLogger, type Logger } from '../src/logger.js';
import { signalIntervals, valuesAt, venStatus, type SignalInterval } from './service/event-state.js';
import type { Registration, Sample, StoredEvent, VenStore } from './store/ven-store.js';
import { PushListener } from './transport/push-listener.js';
import { XmppVtnChannel, type VtnChannel, type XmppChannelOptions } from './transport/xmpp-channel.js';
import { VtnClient } from './transport/vtn-client.js';
import { VenNotRegisteredError, VtnRefusedError, VtnUnavailableError } from './errors.js';

/** An event as the VEN's application sees it. */
export interface VenEvent {
  readonly eventId: string;
  readonly modificationNumber: number;
  readonly status: EventStatus;
  readonly marketContext: string;
  readonly responseRequired: boolean;
  /** Every signal interval placed in time (after this VEN's random start offset). */
  readonly intervals: readonly SignalInterval[];
  readonly raw: OadrEvent;
}

export interface UsageProvider {
  /** The data point's rID and the resource it measures. */
  readonly rId: string;
  readonly resourceId: string;
  /** Present power in W. */
  read(): number | Promise<number>;
}

export interface StatusProvider {
  readonly rId: string;
  readonly resourceId: string;
  /** Whether the resource is online and whether someone overrode it by hand. */
  read(): { online: boolean; manualOverride: boolean } | Promise<{ online: boolean; manualOverride: boolean }>;
}

export interface VenHandlers {
  /** Decide on a new event or a new version of one (default: opt in). */
  onEvent?(event: VenEvent): OptType | Promise<OptType>;
  /** An event the VTN no longer lists (cancelled or removed). */
  onEventRemoved?(eventId: string): void;
  onRegistered?(registration: { venId: string; registrationId: string; vtnId: string }): void;
}

export interface VenOptions {
  readonly vtnUrl: string;
  readonly venName: string;
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca: string };
  /** Sign payloads (announced at registration as oadrXmlSignature). */
  readonly signing?: SigningIdentity;
  readonly store: VenStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly handlers?: VenHandlers;
  readonly usage?: readonly UsageProvider[];
  /** TELEMETRY_STATUS data points (oadrPayloadResourceStatus). */
  readonly status?: readonly StatusProvider[];
  /** Poll-period jitter as a fraction of the VTN's pollFreq (default 0.1). */
  readonly jitter?: number;
  readonly validate?: boolean;
  /**
   * Push model: the VEN listens (HTTPS with the same certificate) and the VTN posts to
   * `transportAddress`; no polling. Without it the VEN pulls.
   */
  readonly push?: { readonly host: string; readonly port: number; readonly transportAddress: string };
  /**
   * The XMPP binding instead of HTTP: requests and the VTN's pushes travel as IQs over this
   * account (its local part should be the VEN's venID); `vtnUrl` is then unused.
   */
  readonly xmpp?: Omit<XmppChannelOptions, 'validate'>;
  /** A venID the VTN pre-allocated to this VEN, sent with the first registration. */
  readonly venId?: string;
  /** The shortest sampling period the VEN offers in its METADATA (default 60 s). */
  readonly samplingMinPeriodMs?: number;
  /** A report the VTN refuses: backoff between attempts, and how many refusals before it is set aside (defaults 1 s … 5 min, 8). */
  readonly reportRetry?: { readonly minBackoffMs?: number; readonly maxBackoffMs?: number; readonly refusalsBeforeAside?: number };
  /** Signal names the VEN acts on (default: every 2.0b signal name); an event with none of them is refused with 460. */
  readonly signalNames?: readonly string[];
}

/** An opt the VEN's application sends (oadrCreateOpt): for one event, or an availability schedule. */
export interface OptInput {
  readonly optType: OptType;
  readonly optReason?: OptReason;
  readonly optId?: string;
  /** The event it qualifies (with its version, default the one held). */
  readonly eventId?: string;
  readonly modificationNumber?: number;
  /** Availability windows (epoch ms start, length; length 0 is open-ended). */
  readonly availability?: readonly { readonly dtstart: number; readonly durationMs: number }[];
  readonly resourceIds?: readonly string[];
  readonly marketContext?: string;
  readonly deviceClass?: EiTarget;
}

const METADATA_SPECIFIER = 'flexbridge-telemetry-usage';
const STATUS_SPECIFIER = 'flexbridge-telemetry-status';
// Status samples share the numeric samples table: bit 0 online, bit 1 manual override.
const encodeStatus = (s: { online: boolean; manualOverride: boolean }): number => (s.online ? 1 : 0) | (s.manualOverride ? 2 : 0);

/**
 * An OpenADR 2.0b VEN (simple HTTP, pull): registration, a poll loop at the VTN's pollFreq with
 * jitter, event state and opt decisions, TELEMETRY_USAGE reports buffered in its own store and
 * resent until the VTN takes them. No globals: everything comes from the options.
 */
export class Ven {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly client: VtnChannel;
  private listener: PushListener | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private running = false;
  private polling = false;
  private reporting = false;
  /** Whether the last exchange with the VTN got an answer (for status()). */
  private lastExchangeOk = false;
  private lastFreshRegistration = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: VenOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    if (options.xmpp) {
      const channel = new XmppVtnChannel({ ...options.xmpp, ...(options.validate !== undefined ? { validate: options.validate } : {}) }, (m) => this.onPushed(m), this.logger);
      // Back online after a loss: fetch the events as they are now, whatever was missed.
      // The VTN may come back later than the VEN (both reconnect after a server restart): retry with backoff.
      channel.onOnline(() => { void this.catchUp(); });
      this.client = channel;
      return;
    }
    this.client = new VtnClient({ vtnUrl: options.vtnUrl, clock: this.clock, ...(options.tls ? { tls: options.tls } : {}), ...(options.signing ? { signing: options.signing } : {}), ...(options.validate !== undefined ? { validate: options.validate } : {}) });
  }

  /** Every exchange with the VTN goes through here, so status() tells whether it answers. */
  private async send(service: ServiceName, message: OadrMessage): Promise<OadrMessage> {
    try {
      const answer = await this.client.send(service, message);
      this.lastExchangeOk = true;
      return answer;
    } catch (error) {
      if (error instanceof VtnUnavailableError) this.lastExchangeOk = false;
      throw error;
    }
  }

  get venId(): string | undefined {
    return this.options.store.registration()?.venId;
  }

  /** Registers (unless a stored registration exists), syncs events, then polls and reports until stop(). */
  async start(): Promise<void> {
    if (this.options.push) {
      this.listener = new PushListener((m) => this.onPushed(m), { host: this.options.push.host, port: this.options.push.port, ...(this.options.tls ? { tls: this.options.tls } : {}) }, this.logger);
      await this.listener.listen();
    }
    const stored = this.options.store.registration();
    if (!stored) await this.register();
    else if (stored.complete === false) await this.completeRegistration(stored);
    await this.syncEvents();
    this.running = true;
    if (!this.options.push && !this.options.xmpp) this.schedulePoll(0);
    this.reportTimer = setInterval(() => {
      if (!this.running || this.reporting) return;
      this.reporting = true;
      void this.reportTick().catch((error: unknown) => this.logger.warn('report tick failed', { error })).finally(() => { this.reporting = false; });
    }, 1_000);
  }

  async stop(): Promise<void> {
    this.running = false;
    // Let a poll or report round in flight finish before the caller closes the store.
    for (let i = 0; i < 100 && (this.polling || this.reporting); i++) await new Promise((r) => setTimeout(r, 20));
    clearTimeout(this.pollTimer);
    clearInterval(this.reportTimer);
    await this.listener?.close();
    await this.client.close();
  }

  private catchingUp = false;

  /** After an XMPP reconnection: oadrRequestEvent until it succeeds (1 s, 2 s, … up to 30 s apart). */
  private async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (let attempt = 0; this.running; attempt++) {
        try {
          await this.syncEvents();
          return;
        } catch (error) {
          this.logger.warn('catch-up after reconnection failed; retrying', { attempt, error });
          // Unref: a stopping VEN does not wait for the next attempt.
          // Capped at 5 s: one request, and the VTN may come back on the server a little after us.
          await new Promise((r) => setTimeout(r, Math.min(5_000, 500 * 2 ** Math.min(attempt, 4))).unref());
        }
      }
    } finally {
      this.catchingUp = false;
    }
  }

  /** The events the VEN knows, as its application sees them now. */
  events(): VenEvent[] {
    return this.options.store.events().map((e) => this.view(e));
  }

  /** The VEN's opt decision on an event, if it has one. */
  optOf(eventId: string | undefined): OptType | undefined {
    return eventId === undefined ? undefined : this.options.store.events().find((e) => e.event.descriptor.eventId === eventId)?.optType;
  }

  /** What every active event asks for right now (the EMS hook). */
  signalsNow(): { eventId: string; signals: SignalInterval[] }[] {
    const now = this.clock.now();
    return this.options.store.events()
      .filter((e) => e.optType !== 'optOut' && venStatus(e.event, e.startOffsetMs, now) === 'active')
      .map((e) => ({ eventId: e.event.descriptor.eventId, signals: valuesAt(e.event, e.startOffsetMs, now) }));
  }

  /**
   * oadrQueryRegistration, then oadrCreatePartyRegistration; stores the registration and offers
   * telemetry. It re-registers under the stored registration unless `fresh`.
   */
  async register(options: { fresh?: boolean } = {}): Promise<void> {
    const jid = this.client instanceof XmppVtnChannel ? await this.client.connect() : undefined;
    const query = await this.send('EiRegisterParty', { type: 'oadrQueryRegistration', requestId: randomUUID() });
    const previous = options.fresh ? undefined : this.options.store.registration();
    // A VTN that no longer knows the stored registration (it lost its state) would refuse it
    // forever: ask for a fresh one instead of repeating the same re-registration.
    if (previous && query.type === 'oadrCreatedPartyRegistration' && query.registrationId !== undefined && query.registrationId !== previous.registrationId) {
      this.logger.warn('the VTN holds another registration for this VEN; registering afresh', { stored: previous.registrationId, vtn: query.registrationId });
      return this.register({ fresh: true });
    }
    const answer = await this.send('EiRegisterParty', {
      type: 'oadrCreatePartyRegistration', requestId: query.type === 'oadrCreatedPartyRegistration' ? query.response.requestId || randomUUID() : randomUUID(),
      ...(previous ? { registrationId: previous.registrationId, venId: previous.venId } : this.options.venId ? { venId: this.options.venId } : {}),
      profileName: '2.0b', transportName: jid ? 'xmpp' : 'simpleHttp', reportOnly: false, xmlSignature: Boolean(this.options.signing), venName: this.options.venName,
      httpPullModel: !this.options.push && !jid,
      ...(jid ? { transportAddress: jid } : this.options.push ? { transportAddress: this.options.push.transportAddress } : {}),
    });
    const code = answer.type === 'oadrCreatedPartyRegistration' || answer.type === 'oadrResponse' ? answer.response.responseCode : 0;
    if (previous && (code === ResponseCode.invalidId || code === ResponseCode.notRegisteredOrAuthorized)) {
      this.logger.warn('the VTN refused the stored registration; registering afresh', { code, registrationId: previous.registrationId });
      return this.register({ fresh: true });
    }
    if (answer.type !== 'oadrCreatedPartyRegistration' || answer.response.responseCode !== 200 || !answer.venId || !answer.registrationId) {
      throw new VtnRefusedError(answer.type === 'oadrCreatedPartyRegistration' || answer.type === 'oadrResponse' ? answer.response.responseCode : 0, `registration refused: ${answer.type === 'oadrCreatedPartyRegistration' || answer.type === 'oadrResponse' ? `${answer.response.responseCode} ${answer.response.responseDescription ?? ''}` : answer.type}`);
    }
    const pollFrequencyMs = answer.requestedPollFrequency ? durationToMs(answer.requestedPollFrequency) : 10_000;
    const registration = { venId: answer.venId, registrationId: answer.registrationId, vtnId: answer.vtnId, pollFrequencyMs, complete: false };
    // What the VTN asked of the previous registration it no longer holds under these IDs: the
    // requests come again with the report registration below.
    this.options.store.clearReportRequests();
    this.options.store.setRegistration(registration);
    await this.completeRegistration(registration);
  }

  /** The second half of a registration (the reports); resumed on the next start when it failed. */
  private async completeRegistration(registration: Registration): Promise<void> {
    await this.registerReports();
    const complete = { ...registration, complete: true };
    this.options.store.setRegistration(complete);
    this.logger.info('registered', complete);
    this.options.handlers?.onRegistered?.(complete);
  }

  /** oadrQueryRegistration: what the VTN offers, and this VEN's registration if it has one. */
  async queryRegistration(): Promise<OadrMessage> {
    return this.send('EiRegisterParty', { type: 'oadrQueryRegistration', requestId: randomUUID() });
  }

  /** Cancels the registration (oadrCancelPartyRegistration); the VEN then stops polling. */
  async cancelRegistration(): Promise<void> {
    const registration = this.options.store.registration();
    if (!registration) throw new VenNotRegisteredError();
    const answer = await this.send('EiRegisterParty', { type: 'oadrCancelPartyRegistration', requestId: randomUUID(), registrationId: registration.registrationId, venId: registration.venId });
    if (answer.type !== 'oadrCanceledPartyRegistration' || answer.response.responseCode !== 200) throw refused(answer, 'registration cancellation');
    this.options.store.setRegistration(undefined);
    this.running = false;
    this.logger.info('registration cancelled', { registrationId: registration.registrationId });
  }

  /** Sends an opt (oadrCreateOpt) and returns its optID; an event opt without resources also becomes the held decision. */
  async createOpt(input: OptInput): Promise<string> {
    const venId = this.requireVenId();
    const optId = input.optId ?? `opt-${randomUUID()}`;
    const held = input.eventId === undefined ? undefined : this.options.store.events().find((e) => e.event.descriptor.eventId === input.eventId);
    const answer = await this.send('EiOpt', {
      type: 'oadrCreateOpt', requestId: randomUUID(), optId, optType: input.optType, optReason: input.optReason ?? (input.eventId ? 'participating' : 'x-schedule'), venId,
      createdDateTime: { epochMs: this.clock.now(), microsOfMs: 0 },
      ...(input.eventId !== undefined ? { qualifiedEventId: { eventId: input.eventId, modificationNumber: input.modificationNumber ?? held?.event.descriptor.modificationNumber ?? 0 } } : {}),
      ...(input.availability ? { availability: input.availability.map((w) => ({ dtstart: { epochMs: w.dtstart, microsOfMs: 0 }, duration: durationFromMs(w.durationMs) })) } : {}),
      ...(input.marketContext ? { marketContext: input.marketContext } : {}), ...(input.deviceClass ? { deviceClass: input.deviceClass } : {}),
      target: input.resourceIds?.length ? { resourceIds: input.resourceIds } : { venIds: [venId] },
    });
    if (answer.type !== 'oadrCreatedOpt' || answer.response.responseCode !== 200) throw refused(answer, `opt ${optId}`);
    if (held && !input.resourceIds?.length) this.options.store.putEvent({ ...held, optType: input.optType });
    return optId;
  }

  async cancelOpt(optId: string): Promise<void> {
    const answer = await this.send('EiOpt', { type: 'oadrCancelOpt', requestId: randomUUID(), optId, venId: this.requireVenId() });
    if (answer.type !== 'oadrCanceledOpt' || answer.response.responseCode !== 200) throw refused(answer, `cancellation of opt ${optId}`);
  }

  /** Offers the VEN's METADATA (TELEMETRY_USAGE per provider) and accepts the VTN's requests. */
  async registerReports(): Promise<void> {
    const venId = this.requireVenId();
    const usage = this.options.usage ?? [];
    const reports: OadrReport[] = usage.length ? [{
      reportRequestId: '0', reportSpecifierId: METADATA_SPECIFIER, reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: this.clock.now(), microsOfMs: 0 },
      duration: durationFromMs(3_600_000),
      descriptions: usage.map((u) => ({
        rId: u.rId, reportDataSource: { resourceIds: [u.resourceId] }, reportType: 'usage' as const, readingType: 'Direct Read' as const,
        itemBase: { kind: 'powerReal' as const, itemDescription: 'RealPower', itemUnits: 'W', siScaleCode: 'none' as const, powerAttributes: { hertz: 50, voltage: 230, ac: true } },
        samplingRate: { minPeriod: durationFromMs(this.options.samplingMinPeriodMs ?? 60_000), maxPeriod: durationFromMs(900_000), onChange: false },
      })),
    }] : [];
    const status = this.options.status ?? [];
    if (status.length) {
      reports.push({
        reportRequestId: '0', reportSpecifierId: STATUS_SPECIFIER, reportName: 'METADATA_TELEMETRY_STATUS', createdDateTime: { epochMs: this.clock.now(), microsOfMs: 0 },
        duration: durationFromMs(3_600_000),
        descriptions: status.map((p) => ({
          rId: p.rId, reportDataSource: { resourceIds: [p.resourceId] }, reportType: 'x-resourceStatus' as const, readingType: 'x-notApplicable' as const,
          samplingRate: { minPeriod: durationFromMs(this.options.samplingMinPeriodMs ?? 60_000), maxPeriod: durationFromMs(3_600_000), onChange: false },
        })),
      });
    }
    const answer = await this.send('EiReport', { type: 'oadrRegisterReport', requestId: randomUUID(), reports, venId, reportRequestId: '0' });
    if (answer.type === 'oadrRegisteredReport') await this.send('EiReport', this.acceptReportRequests(answer.reportRequests ?? [], answer.response.requestId));
  }

  /** oadrRequestEvent: the full list of events for this VEN. */
  async syncEvents(): Promise<void> {
    const answer = await this.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: this.requireVenId() });
    if (answer.type === 'oadrDistributeEvent') {
      const reply = await this.onDistribute(answer);
      if (reply) await this.send('EiEvent', reply);
    }
  }

  /** One poll, handling what it returns; true when the VTN had something. */
  async pollOnce(): Promise<boolean> {
    const message = await this.send('OadrPoll', { type: 'oadrPoll', venId: this.requireVenId() });
    if (message.type === 'oadrResponse') {
      const code = message.response.responseCode;
      // The VTN no longer knows this venID (it lost its state): register afresh, at most once a minute.
      if ((code === ResponseCode.invalidId || code === ResponseCode.notRegisteredOrAuthorized) && this.clock.now() - this.lastFreshRegistration > 60_000) {
        this.lastFreshRegistration = this.clock.now();
        this.logger.warn('the VTN refuses this VEN\'s venID; registering afresh', { code, reason: message.response.responseDescription });
        await this.register({ fresh: true });
        await this.syncEvents();
        return true;
      }
      return false;
    }
    await this.onMessage(message);
    return true;
  }

  /** Samples due telemetry, queues due reports and sends what is queued; safe to call any time. */
  async reportTick(): Promise<void> {
    const now = this.clock.now();
    for (const stored of this.options.store.reportRequests()) {
      const spec = stored.request.reportSpecifier;
      const granularity = durationToMs(spec.granularity) || (this.options.samplingMinPeriodMs ?? 60_000);
      const reportBack = durationToMs(spec.reportBackDuration) || granularity;
      let nextSampleAt = stored.nextSampleAt;
      let nextReportAt = stored.nextReportAt;
      const samples: Sample[] = [];
      // Behind by more than a day (the VEN was off): resume from now rather than inventing readings.
      if (now - nextSampleAt > 86_400_000) nextSampleAt = now - (now % granularity);
      while (now >= nextSampleAt) {
        samples.push(...await this.sample(stored.request, nextSampleAt - granularity, granularity));
        nextSampleAt += granularity;
      }
      if (samples.length) this.options.store.addSamples(stored.request.reportRequestId, samples);
      const ended = stored.endsAt !== undefined && now >= stored.endsAt;
      if (now >= nextReportAt || ended) {
        this.options.store.queueReport(stored.request.reportRequestId, (all) => this.updateReport(stored.request, stored.reportName, all), now);
        while (nextReportAt <= now) nextReportAt += reportBack;
      }
      // A one-shot report, or a window that is over: its last report is queued, the request ends.
      if (ended) this.options.store.deleteReportRequest(stored.request.reportRequestId);
      else this.options.store.putReportRequest({ ...stored, nextSampleAt, nextReportAt });
    }
    await this.flushReports();
  }

  /**
   * Readings measured elsewhere (a meter, a replay of history): queued as one report under the
   * VTN's request for their data points, then sent like any other (kept until the VTN takes them).
   */
  async submitReadings(samples: readonly Sample[]): Promise<void> {
    for (const stored of this.options.store.reportRequests()) {
      const mine = samples.filter((s) => stored.request.reportSpecifier.specifierPayloads.some((p) => p.rId === s.rId));
      if (mine.length === 0) continue;
      this.options.store.addSamples(stored.request.reportRequestId, mine);
      this.options.store.queueReport(stored.request.reportRequestId, (all) => this.updateReport(stored.request, stored.reportName, all), this.clock.now());
    }
    await this.flushReports();
  }

  /**
   * Sends due queued reports. Each report request is its own queue (order kept within it): one the
   * VTN refuses waits with backoff, logged with the VTN's answer, while the others flow; after
   * REFUSALS_BEFORE_ASIDE refusals (at once for an unknown request, 452) it is set aside — kept
   * and visible in status(), never blocking. An unreachable VTN ends the round (all would fail).
   */
  async flushReports(): Promise<number> {
    let sent = 0;
    const blocked = new Set<string>();
    for (const item of this.options.store.outbox(this.clock.now())) {
      const queue = reportQueueOf(item.message);
      if (blocked.has(queue)) continue;
      let answer: OadrMessage;
      try {
        answer = await this.send('EiReport', item.message);
      } catch (error) {
        this.options.store.failed(item.id, (error as Error).message, this.clock.now() + this.backoffMs(item.attempts));
        this.logger.warn('VTN unreachable; reports stay queued', { reason: (error as Error).message });
        break;
      }
      if (answer.type === 'oadrUpdatedReport' && answer.response.responseCode === 200) {
        this.options.store.sent(item.id);
        sent++;
        // The VTN may cancel reports in its answer (piggy-backed oadrCancelReport).
        if (answer.cancelReport) await this.onMessage({ type: 'oadrCancelReport', ...answer.cancelReport });
        continue;
      }
      blocked.add(queue);
      const code = answer.type === 'oadrResponse' || answer.type === 'oadrUpdatedReport' ? answer.response.responseCode : 0;
      const description = answer.type === 'oadrResponse' || answer.type === 'oadrUpdatedReport' ? answer.response.responseDescription ?? '' : '';
      const reason = `VTN answered ${answer.type} ${code}${description ? ` (${description})` : ''}`;
      if (code === 452 || item.attempts + 1 >= (this.options.reportRetry?.refusalsBeforeAside ?? REFUSALS_BEFORE_ASIDE)) {
        this.options.store.putAside(item.id, reason);
        this.logger.error('report set aside: the VTN keeps refusing it', { reportRequestId: queue, attempts: item.attempts + 1, reason });
        blocked.delete(queue);
        continue;
      }
      const retryInMs = this.backoffMs(item.attempts);
      this.options.store.failed(item.id, reason, this.clock.now() + retryInMs);
      this.logger.warn('report refused by the VTN; will retry', { reportRequestId: queue, attempts: item.attempts + 1, retryInMs, reason });
    }
    return sent;
  }

  private backoffMs(attempts: number): number {
    const retry = this.options.reportRetry;
    return Math.min(retry?.maxBackoffMs ?? 300_000, (retry?.minBackoffMs ?? 1_000) * 2 ** Math.min(attempts, 16));
  }

  /** What the VEN is doing, for operators and the CLI's status line. */
  status(): VenStatus {
    const registration = this.options.store.registration();
    return {
      state: !registration ? 'unregistered' : registration.complete === false ? 'registering' : this.lastExchangeOk ? 'online' : 'offline',
      ...(registration ? { venId: registration.venId, registrationId: registration.registrationId } : {}),
      queuedReports: this.options.store.outbox().length,
      setAsideReports: this.options.store.setAside().map((r) => ({ id: r.id, reason: r.lastError ?? '' })),
      events: this.options.store.events().length,
    };
  }

  private updateReport(request: ReportRequest, reportName: string, samples: Sample[]): OadrMessage {
    // reduce, not a spread: a VEN back from a long outage may hold more samples than a call takes arguments.
    const first = samples.reduce((m, s) => Math.min(m, s.dtstart), Infinity);
    const last = samples.reduce((m, s) => Math.max(m, s.dtstart + s.durationMs), -Infinity);
    const byStart = new Map<number, Sample[]>();
    for (const s of samples) byStart.set(s.dtstart, [...(byStart.get(s.dtstart) ?? []), s]);
    return {
      type: 'oadrUpdateReport', requestId: randomUUID(), venId: this.requireVenId(),
      reports: [{
        reportRequestId: request.reportRequestId, reportSpecifierId: request.reportSpecifier.reportSpecifierId, reportName: reportName.replace(/^METADATA_/, '') as 'TELEMETRY_USAGE' | 'TELEMETRY_STATUS',
        createdDateTime: { epochMs: this.clock.now(), microsOfMs: 0 }, dtstart: { epochMs: first, microsOfMs: 0 }, duration: durationFromMs(last - first),
        intervals: [...byStart.entries()].sort(([a], [b]) => a - b).map(([dtstart, group]) => ({
          dtstart: { epochMs: dtstart, microsOfMs: 0 }, duration: durationFromMs(group[0]!.durationMs),
          payloads: group.map((s) => ({
            kind: 'report' as const, rId: s.rId,
            value: this.options.status?.some((p) => p.rId === s.rId)
              ? { kind: 'resourceStatus' as const, online: (s.value & 1) === 1, manualOverride: (s.value & 2) === 2 }
              : { kind: 'float' as const, value: s.value },
          })),
        })),
      }],
    };
  }

  /**
   * Takes the VTN's report requests for data points this VEN offers: sampling starts with the
   * reporting window (now when it has none), a one-shot request (no window, reportBackDuration 0)
   * gets one report, a window with a length ends. A request for METADATA is answered by the caller
   * registering the reports again. None known: 452.
   */
  private acceptReportRequests(requests: readonly ReportRequest[], requestId: string): OadrMessage {
    const now = this.clock.now();
    const usage = new Set((this.options.usage ?? []).map((u) => u.rId));
    const status = new Set((this.options.status ?? []).map((u) => u.rId));
    let known = 0;
    for (const request of requests) {
      const spec = request.reportSpecifier;
      if (spec.reportSpecifierId === 'METADATA') { known++; continue; }
      const payloads = spec.specifierPayloads;
      const reportName = payloads.some((p) => status.has(p.rId)) ? 'METADATA_TELEMETRY_STATUS' : 'METADATA_TELEMETRY_USAGE';
      if (!payloads.some((p) => usage.has(p.rId) || status.has(p.rId))) continue;
      known++;
      const granularity = durationToMs(spec.granularity) || (this.options.samplingMinPeriodMs ?? 60_000);
      const reportBack = durationToMs(spec.reportBackDuration);
      const window = spec.reportInterval;
      const start = window ? Math.max(now, window.dtstart.epochMs) : now;
      const lengthMs = window ? durationToMs(window.duration, window.dtstart) : 0;
      const oneShot = !window && reportBack === 0;
      const endsAt = oneShot ? start : lengthMs > 0 ? window!.dtstart.epochMs + lengthMs : undefined;
      this.options.store.putReportRequest({
        request, reportName, ...(endsAt !== undefined ? { endsAt } : {}),
        nextSampleAt: oneShot ? start : start - (start % granularity) + granularity, nextReportAt: start + (reportBack || granularity),
      });
    }
    const pending = this.options.store.reportRequests().map((r) => r.request.reportRequestId);
    if (known === 0 && requests.length > 0) {
      return { type: 'oadrCreatedReport', response: { responseCode: ResponseCode.invalidId, responseDescription: `no report this VEN offers: ${requests.map((r) => r.reportSpecifier.reportSpecifierId).join(', ')}`, requestId }, pendingReports: pending, venId: this.requireVenId() };
    }
    return { type: 'oadrCreatedReport', response: { responseCode: 200, responseDescription: 'OK', requestId }, pendingReports: pending, venId: this.requireVenId() };
  }

  /** One reading of each requested data point this VEN has a provider for; a failing provider is logged and skipped. */
  private async sample(request: ReportRequest, dtstart: number, durationMs: number): Promise<Sample[]> {
    const samples: Sample[] = [];
    for (const p of request.reportSpecifier.specifierPayloads) {
      const usage = this.options.usage?.find((u) => u.rId === p.rId);
      const status = this.options.status?.find((u) => u.rId === p.rId);
      if (!usage && !status) continue;
      try {
        samples.push({ rId: p.rId, dtstart, durationMs, value: usage ? await usage.read() : encodeStatus(await status!.read()) });
      } catch (error) {
        this.logger.warn('telemetry provider failed', { rId: p.rId, error });
      }
    }
    return samples;
  }

  /** Ends report requests; with `reportToFollow`, what was sampled goes out as a last report first. */
  private async cancelReports(ids: readonly string[], reportToFollow: boolean): Promise<string[]> {
    const following: string[] = [];
    for (const id of ids) {
      const stored = this.options.store.reportRequests().find((r) => r.request.reportRequestId === id);
      if (!stored) continue;
      if (reportToFollow) {
        const now = this.clock.now();
        const samples = await this.sample(stored.request, now, 0);
        if (samples.length) this.options.store.addSamples(id, samples);
        if (this.options.store.queueReport(id, (all) => this.updateReport(stored.request, stored.reportName, all), now)) following.push(id);
      }
      this.options.store.deleteReportRequest(id);
    }
    return following;
  }

  /** What the VEN answers to a message from the VTN (pulled or pushed), and on which service (the binding's table); may act afterwards. */
  private async reactTo(message: OadrMessage): Promise<{ service: ServiceName; reply: OadrMessage; after?: () => Promise<void> } | undefined> {
    const service = SERVICE_OF_VTN_PAYLOAD[message.type];
    if (!service) {
      this.logger.warn('unexpected message from the VTN', { type: message.type });
      return undefined;
    }
    const reaction = await this.answer(message);
    return reaction && { service, ...reaction };
  }

  private async answer(message: OadrMessage): Promise<{ reply: OadrMessage; after?: () => Promise<void> } | undefined> {
    const venId = this.requireVenId();
    const ok = (requestId: string) => ({ responseCode: 200, responseDescription: 'OK', requestId });
    switch (message.type) {
      case 'oadrDistributeEvent': {
        const reply = await this.onDistribute(message);
        return { reply: reply ?? { type: 'oadrResponse', response: ok(message.requestId), venId } };
      }
      case 'oadrRegisterReport':
        return { reply: { type: 'oadrRegisteredReport', response: ok(message.requestId), venId } };
      case 'oadrCreateReport': {
        const metadata = message.reportRequests.some((r) => r.reportSpecifier.reportSpecifierId === 'METADATA');
        return { reply: this.acceptReportRequests(message.reportRequests, message.requestId), ...(metadata ? { after: () => this.registerReports() } : {}) };
      }
      case 'oadrCancelReport': {
        const following = await this.cancelReports(message.reportRequestIds, message.reportToFollow);
        return {
          reply: { type: 'oadrCanceledReport', response: ok(message.requestId), pendingReports: following, venId },
          ...(following.length ? { after: async () => { await this.flushReports(); } } : {}),
        };
      }
      case 'oadrUpdateReport':
        return { reply: { type: 'oadrUpdatedReport', response: ok(message.requestId), venId } };
      case 'oadrRequestReregistration':
        return { reply: { type: 'oadrResponse', response: ok(''), venId }, after: () => this.register() };
      case 'oadrCancelPartyRegistration':
        if (message.registrationId !== this.options.store.registration()?.registrationId) {
          return { reply: { type: 'oadrCanceledPartyRegistration', response: { responseCode: ResponseCode.invalidId, responseDescription: `registrationID ${message.registrationId} is not this VEN's`, requestId: message.requestId }, registrationId: message.registrationId, venId } };
        }
        return {
          reply: { type: 'oadrCanceledPartyRegistration', response: ok(message.requestId), registrationId: message.registrationId, venId },
          after: async () => { this.options.store.setRegistration(undefined); this.running = false; },
        };
      default:
        this.logger.warn('unexpected message from the VTN', { type: message.type });
        return undefined;
    }
  }

  private async onMessage(message: OadrMessage): Promise<void> {
    const reaction = await this.reactTo(message);
    if (!reaction) return;
    // Pulled: the answer travels as a request of its own (an empty oadrResponse to a distribute needs none).
    if (!(message.type === 'oadrDistributeEvent' && reaction.reply.type === 'oadrResponse')) await this.send(reaction.service, reaction.reply);
    await reaction.after?.();
  }

  /** A message the VTN pushed: the answer goes back in the HTTP response. */
  async onPushed(message: OadrMessage): Promise<OadrMessage> {
    if (!this.options.store.registration()) return { type: 'oadrResponse', response: { responseCode: ResponseCode.notRegisteredOrAuthorized, responseDescription: 'this VEN is not registered', requestId: '' } };
    const reaction = await this.reactTo(message);
    if (reaction?.after) setImmediate(() => { void reaction.after!().catch((error: unknown) => this.logger.warn('after push failed', { error })); });
    return reaction?.reply ?? { type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, ...(this.venId ? { venId: this.venId } : {}) };
  }

  private async onDistribute(distribute: OadrDistributeEvent): Promise<OadrMessage | undefined> {
    const vtnId = this.options.store.registration()?.vtnId;
    if (vtnId !== undefined && distribute.vtnId !== vtnId) {
      // IDs are case-sensitive: a distribute from another vtnID is refused, and nothing in it is taken.
      const code = { responseCode: ResponseCode.invalidId, responseDescription: `vtnID ${distribute.vtnId} is not this VEN's VTN (${vtnId})`, requestId: distribute.requestId };
      return {
        type: 'oadrCreatedEvent', venId: this.requireVenId(), response: code,
        eventResponses: distribute.events.filter((e) => e.responseRequired === 'always').map((e) => ({ ...code, qualifiedEventId: { eventId: e.descriptor.eventId, modificationNumber: e.descriptor.modificationNumber }, optType: 'optOut' as const })),
      };
    }
    const supported = new Set<string>(this.options.signalNames ?? SIGNAL_NAMES);
    const stored = new Map(this.options.store.events().map((e) => [e.event.descriptor.eventId, e]));
    const responses: { eventId: string; modificationNumber: number; optType: OptType; code?: number; reason?: string }[] = [];
    const listed = new Set<string>();
    for (const event of distribute.events) {
      const id = event.descriptor.eventId;
      listed.add(id);
      const previous = stored.get(id);
      if (previous && previous.event.descriptor.modificationNumber === event.descriptor.modificationNumber) {
        // Same version: keep the decision, refresh the VTN's status.
        this.options.store.putEvent({ ...previous, event });
        continue;
      }
      if (previous && event.descriptor.modificationNumber < previous.event.descriptor.modificationNumber) {
        // An older version than the one held: out of sequence (450); the VEN keeps what it has.
        this.logger.warn('event version out of sequence ignored', { eventId: id, held: previous.event.descriptor.modificationNumber, received: event.descriptor.modificationNumber });
        if (event.responseRequired === 'always') responses.push({ eventId: id, modificationNumber: event.descriptor.modificationNumber, optType: previous.optType ?? 'optIn', code: ResponseCode.outOfSequence, reason: `modificationNumber ${event.descriptor.modificationNumber} is older than ${previous.event.descriptor.modificationNumber}` });
        continue;
      }
      // 2.0b randomization: start somewhere within the startAfter window, drawn once per event.
      const window = event.activePeriod.startAfter ? durationToMs(event.activePeriod.startAfter, event.activePeriod.dtstart) : 0;
      const startOffsetMs = previous?.startOffsetMs ?? Math.floor(Math.random() * (window + 1));
      const draft: StoredEvent = { event, startOffsetMs };
      if (event.descriptor.eventStatus !== 'cancelled' && !event.signals.some((s) => supported.has(s.signalName))) {
        // Nothing in it this VEN can act on: out, with 460 (signal not supported).
        this.options.store.putEvent({ ...draft, optType: 'optOut' });
        if (event.responseRequired === 'always') responses.push({ eventId: id, modificationNumber: event.descriptor.modificationNumber, optType: 'optOut', code: 460, reason: `signal ${event.signals.map((x) => x.signalName).join(', ')} not supported` });
        continue;
      }
      const decision = event.descriptor.eventStatus === 'cancelled' ? 'optIn' : await (this.options.handlers?.onEvent?.(this.view(draft)) ?? 'optIn');
      this.options.store.putEvent({ ...draft, optType: decision });
      if (event.responseRequired === 'always') responses.push({ eventId: id, modificationNumber: event.descriptor.modificationNumber, optType: decision });
    }
    for (const id of stored.keys()) {
      if (!listed.has(id)) {
        this.options.store.deleteEvent(id);
        this.options.handlers?.onEventRemoved?.(id);
      }
    }
    if (responses.length === 0) return undefined;
    const requestId = distribute.requestId;
    return {
      type: 'oadrCreatedEvent', venId: this.requireVenId(), response: { responseCode: 200, responseDescription: 'OK', requestId },
      eventResponses: responses.map((r) => ({ responseCode: r.code ?? 200, responseDescription: r.reason ?? 'OK', requestId, qualifiedEventId: { eventId: r.eventId, modificationNumber: r.modificationNumber }, optType: r.optType })),
    };
  }

  private view(e: StoredEvent): VenEvent {
    return {
      eventId: e.event.descriptor.eventId, modificationNumber: e.event.descriptor.modificationNumber, status: venStatus(e.event, e.startOffsetMs, this.clock.now()),
      marketContext: e.event.descriptor.marketContext, responseRequired: e.event.responseRequired === 'always', intervals: signalIntervals(e.event, e.startOffsetMs), raw: e.event,
    };
  }

  private schedulePoll(delayMs: number): void {
    if (!this.running) return;
    this.pollTimer = setTimeout(async () => {
      if (!this.running || this.polling) return;
      this.polling = true;
      let busy = false;
      try {
        busy = await this.pollOnce();
      } catch (error) {
        this.logger.warn(error instanceof VtnUnavailableError ? 'VTN unreachable; will poll again' : 'poll failed', { reason: (error as Error).message });
      } finally {
        this.polling = false;
      }
      if (!this.running) return; // stopped while the poll was in flight
      const period = this.options.store.registration()?.pollFrequencyMs ?? 10_000;
      const jitter = this.options.jitter ?? 0.1;
      // Drain a queue quickly; otherwise wait the VTN's pollFreq, spread by jitter so VENs do not poll in step.
      this.schedulePoll(busy ? 0 : Math.round(period * (1 - jitter + 2 * jitter * Math.random())));
    }, delayMs);
  }

  private requireVenId(): string {
    const venId = this.options.store.registration()?.venId;
    if (!venId) throw new VenNotRegisteredError();
    return venId;
  }
}

function refused(answer: OadrMessage, what: string): VtnRefusedError {
  const response = 'response' in answer ? (answer as { response?: { responseCode: number; responseDescription?: string } }).response : undefined;
  return new VtnRefusedError(response?.responseCode ?? 0, `${what} refused: ${answer.type} ${response?.responseCode ?? ''} ${response?.responseDescription ?? ''}`.trim());
}

/** Refusals of one report before it is set aside. */
const REFUSALS_BEFORE_ASIDE = 8;
const reportQueueOf = (message: OadrMessage): string => (message.type === 'oadrUpdateReport' ? message.reports[0]?.reportRequestId ?? '' : message.type);

export interface VenStatus {
  readonly state: 'unregistered' | 'registering' | 'online' | 'offline';
  readonly venId?: string;
  readonly registrationId?: string;
  readonly queuedReports: number;
  readonly setAsideReports: readonly { readonly id: number; readonly reason: string }[];
  readonly events: number;
}
