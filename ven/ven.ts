import { randomUUID } from 'node:crypto';
import { durationFromMs, durationToMs, ResponseCode, SIGNAL_NAMES, type EiTarget, type EventStatus, type OadrDistributeEvent, type OadrEvent, type OadrMessage, type OptReason, type OptType, type ServiceName, type SigningIdentity } from '../schemas/index.js';
import { systemClock, type Clock } from '../src/clock.js';
import { silentLogger, type Logger } from '../src/logger.js';
import { VenNotRegisteredError, VtnRefusedError, VtnUnavailableError } from './errors.js';
import { createdEventReply, planDistribute, type EventResponse } from './service/distribute.js';
import { signalIntervals, valuesAt, venStatus, type SignalInterval } from './service/event-state.js';
import { reactTo, type Reaction, type ReactionContext } from './service/reactions.js';
import { VenReporting, type StatusProvider, type UsageProvider } from './service/reporting.js';
import type { Registration, Sample, StoredEvent, VenStore } from './store/ven-store.js';
import { channelFor, type ChannelFactory } from './transport/open-channel.js';
import { PushListener } from './transport/push-listener.js';
import type { VtnChannel } from './transport/vtn-channel.js';
import type { XmppChannelOptions } from './transport/xmpp-channel.js';

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
export interface VenHandlers {
  /** Decide on a new event or a new version of one (default: opt in). */
  onEvent?(event: VenEvent): OptType | Promise<OptType>;
  /** An event the VTN no longer lists (cancelled or removed). */
  onEventRemoved?(eventId: string): void;
  /** The VTN cancelled an event (its cancelled version arrived; no opt is asked for it). */
  onEventCancelled?(event: VenEvent): void | Promise<void>;
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
  /** Any other way to the VTN (built with the VEN's hooks); replaces `vtnUrl`, `tls`, `signing` and `xmpp`. */
  readonly channel?: ChannelFactory;
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
  private ticking = false;
  private readonly reporting: VenReporting;
  /** Whether the last exchange with the VTN got an answer (for status()). */
  private lastExchangeOk = false;
  private lastFreshRegistration = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: VenOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.client = (options.channel ?? channelFor(options, this.clock, this.logger))({
      onPush: (m) => this.onPushed(m),
      // Back online after a loss: fetch the events as they are now, whatever was missed.
      // The VTN may come back later than the VEN (both reconnect after a server restart): retry with backoff.
      onReconnected: () => { void this.catchUp(); },
    });
    this.reporting = new VenReporting({
      store: options.store, clock: this.clock, logger: this.logger, send: (service, message) => this.send(service, message), venId: () => this.requireVenId(),
      onCancelReport: (message) => this.onMessage(message),
      ...(options.usage ? { usage: options.usage } : {}), ...(options.status ? { status: options.status } : {}),
      ...(options.samplingMinPeriodMs !== undefined ? { samplingMinPeriodMs: options.samplingMinPeriodMs } : {}), ...(options.reportRetry ? { reportRetry: options.reportRetry } : {}),
    });
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
    if (!this.options.push && this.client.transportName === 'simpleHttp') this.schedulePoll(0);
    this.reportTimer = setInterval(() => {
      if (!this.running || this.ticking) return;
      this.ticking = true;
      void this.reportTick().catch((error: unknown) => this.logger.warn('report tick failed', { error })).finally(() => { this.ticking = false; });
    }, 1_000);
  }

  async stop(): Promise<void> {
    this.running = false;
    // Let a poll or report round in flight finish before the caller closes the store.
    for (let i = 0; i < 100 && (this.polling || this.ticking); i++) await new Promise((r) => setTimeout(r, 20));
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
    // Over XMPP the VTN pushes to the VEN's full JID; over HTTP to the push listener, if any.
    const channelAddress = await this.client.connect();
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
      profileName: '2.0b', transportName: this.client.transportName, reportOnly: false, xmlSignature: Boolean(this.options.signing), venName: this.options.venName,
      httpPullModel: !this.options.push && this.client.transportName === 'simpleHttp',
      ...(channelAddress ? { transportAddress: channelAddress } : this.options.push ? { transportAddress: this.options.push.transportAddress } : {}),
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

  /** Offers the VEN's METADATA (TELEMETRY_USAGE and TELEMETRY_STATUS per provider) and accepts the VTN's requests. */
  registerReports(): Promise<void> {
    return this.reporting.registerReports();
  }

  /** Samples due telemetry, queues due reports and sends what is queued; safe to call any time. */
  reportTick(): Promise<void> {
    return this.reporting.reportTick();
  }

  /** Readings measured elsewhere (a meter, a replay of history), reported under the VTN's requests for their data points. */
  submitReadings(samples: readonly Sample[]): Promise<void> {
    return this.reporting.submitReadings(samples);
  }

  /** Sends due queued reports; returns how many the VTN took. */
  flushReports(): Promise<number> {
    return this.reporting.flushReports();
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

  /** The VEN as its reactions to the VTN's messages see it. */
  private readonly reactions: ReactionContext = {
    venId: () => this.requireVenId(),
    registrationId: () => this.options.store.registration()?.registrationId,
    distribute: (m) => this.onDistribute(m),
    acceptReportRequests: (requests, requestId) => this.reporting.acceptReportRequests(requests, requestId),
    cancelReports: (ids, reportToFollow) => this.reporting.cancelReports(ids, reportToFollow),
    registerReports: () => this.reporting.registerReports(),
    flushReports: () => this.reporting.flushReports(),
    register: () => this.register(),
    forgetRegistration: async () => { this.options.store.setRegistration(undefined); this.running = false; },
  };

  private async react(message: OadrMessage): Promise<Reaction | undefined> {
    const reaction = await reactTo(message, this.reactions);
    if (!reaction) this.logger.warn('unexpected message from the VTN', { type: message.type });
    return reaction;
  }

  private async onMessage(message: OadrMessage): Promise<void> {
    const reaction = await this.react(message);
    if (!reaction) return;
    // Pulled: the answer travels as a request of its own (an empty oadrResponse to a distribute needs none).
    if (!(message.type === 'oadrDistributeEvent' && reaction.reply.type === 'oadrResponse')) await this.send(reaction.service, reaction.reply);
    await reaction.after?.();
  }

  /** A message the VTN pushed: the answer goes back in the HTTP response. */
  async onPushed(message: OadrMessage): Promise<OadrMessage> {
    if (!this.options.store.registration()) return { type: 'oadrResponse', response: { responseCode: ResponseCode.notRegisteredOrAuthorized, responseDescription: 'this VEN is not registered', requestId: '' } };
    const reaction = await this.react(message);
    if (reaction?.after) setImmediate(() => { void reaction.after!().catch((error: unknown) => this.logger.warn('after push failed', { error })); });
    return reaction?.reply ?? { type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, ...(this.venId ? { venId: this.venId } : {}) };
  }

  /** Applies the distribute rules (service/distribute.ts) to the store, asking the application about new versions. */
  private async onDistribute(distribute: OadrDistributeEvent): Promise<OadrMessage | undefined> {
    const venId = this.requireVenId();
    const plan = planDistribute(distribute, {
      venId, vtnId: this.options.store.registration()?.vtnId,
      events: new Map(this.options.store.events().map((e) => [e.event.descriptor.eventId, e])),
      supportedSignals: new Set<string>(this.options.signalNames ?? SIGNAL_NAMES),
      drawStartOffset: (windowMs) => Math.floor(Math.random() * (windowMs + 1)),
    });
    if (plan.kind === 'refused') return plan.reply;
    const responses: EventResponse[] = [];
    for (const step of plan.steps) {
      switch (step.kind) {
        case 'refresh':
          this.options.store.putEvent(step.stored);
          break;
        case 'outOfSequence':
          this.logger.warn('event version out of sequence ignored', { eventId: step.event.descriptor.eventId, held: step.held.event.descriptor.modificationNumber, received: step.event.descriptor.modificationNumber });
          if (step.response) responses.push(step.response);
          break;
        case 'unsupported':
          this.options.store.putEvent(step.stored);
          if (step.response) responses.push(step.response);
          break;
        case 'decide': {
          const event = step.draft.event;
          const cancelled = event.descriptor.eventStatus === 'cancelled';
          if (cancelled) await this.options.handlers?.onEventCancelled?.(this.view(step.draft));
          const decision = cancelled ? 'optIn' : await (this.options.handlers?.onEvent?.(this.view(step.draft)) ?? 'optIn');
          this.options.store.putEvent({ ...step.draft, optType: decision });
          if (step.respond) responses.push({ eventId: event.descriptor.eventId, modificationNumber: event.descriptor.modificationNumber, optType: decision });
          break;
        }
      }
    }
    for (const id of plan.removed) {
      this.options.store.deleteEvent(id);
      this.options.handlers?.onEventRemoved?.(id);
    }
    return createdEventReply(venId, distribute.requestId, responses);
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


export interface VenStatus {
  readonly state: 'unregistered' | 'registering' | 'online' | 'offline';
  readonly venId?: string;
  readonly registrationId?: string;
  readonly queuedReports: number;
  readonly setAsideReports: readonly { readonly id: number; readonly reason: string }[];
  readonly events: number;
}
