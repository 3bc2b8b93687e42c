import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/canonical-json.js';
import { durationFromMs, ResponseCode, SIGNAL_NAMES, SIGNAL_TYPES, type EiTarget, type EventBaseline, type EventSignal, type ItemBase, type OadrEvent, type ReportRequest, type ResponseRequired, type SignalName, type SignalType } from '../../schemas/index.js';
import type { EventRecord, GridOrderRecord, ProgramRecord, VenRecord } from '../store/records.js';
import { type ServiceDeps, type Tx } from './context.js';
import { targetMatches } from './targeting.js';
import { eventEndsAt, OPENADR3_TRANSPORT } from '../store/record-rules.js';
import { VtnRequestError } from '../errors.js';
import { isTimeZone } from '../../src/local-day.js';

export interface SignalInput {
  readonly signalName: SignalName;
  readonly signalType: SignalType;
  readonly signalId?: string;
  readonly itemBase?: ItemBase;
  readonly intervals: readonly { readonly durationMs: number; readonly value: number }[];
}

export interface TargetInput {
  readonly venIds?: readonly string[];
  readonly groupIds?: readonly string[];
  readonly resourceIds?: readonly string[];
  readonly partyIds?: readonly string[];
}

export interface EventInput {
  readonly programId: string;
  readonly eventId?: string;
  readonly dtstart: number;
  readonly signals: readonly SignalInput[];
  readonly targets?: TargetInput;
  readonly responseRequired?: ResponseRequired;
  readonly priority?: number;
  readonly startAfterMs?: number;
  readonly notificationMs?: number;
  readonly rampUpMs?: number;
  readonly recoveryMs?: number;
  readonly testEvent?: boolean;
  readonly vtnComment?: string;
  readonly modificationReason?: string;
  /** eiEventBaseline: what the VTN expects the VEN to consume without the event. */
  readonly baseline?: BaselineInput;
}

export interface BaselineInput {
  readonly dtstart: number;
  readonly intervals: readonly { readonly durationMs: number; readonly value: number }[];
  readonly baselineName?: string;
  readonly resourceIds?: readonly string[];
}

/** A report the operator asks a VEN for (oadrCreateReport); rIds default to every data point the VEN registered. */
export interface ReportRequestInput {
  readonly reportSpecifierId: string;
  readonly rIds?: readonly string[];
  readonly granularityMs: number;
  readonly reportBackMs: number;
  /** The reporting window; absent for a one-shot report. */
  readonly dtstart?: number;
  readonly durationMs?: number;
}

/** More writes for the same transaction, given what the command wrote. */
export type Within<T> = (tx: Tx, written: T) => Promise<void>;

/** Operator commands: programs, events and VENs. Each runs in one transaction and feeds the live feed. */
export class OperatorService {
  constructor(private readonly deps: ServiceDeps) {}

  /** `within` writes what belongs with the program in the same transaction (the OpenADR 3 API's own fields). */
  createProgram(input: { programId: string; name: string; marketContext: string; timeZone?: string }, within?: Within<ProgramRecord>): Promise<ProgramRecord> {
    const timeZone = input.timeZone ?? this.deps.policy.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone)) return Promise.reject(new VtnRequestError(ResponseCode.invalidData, `'${timeZone}' is not an IANA time zone`));
    return this.deps.store.transaction(async (tx) => {
      const program: ProgramRecord = { ...input, timeZone, createdAt: this.deps.clock.now() };
      if (await tx.getProgram(input.programId)) throw new VtnRequestError(ResponseCode.invalidId, `program ${input.programId} exists`);
      await tx.putProgram(program);
      await tx.appendFeed('program', program, program.createdAt);
      await within?.(tx, program);
      await this.deps.changes?.(tx, { kind: 'program', action: 'created', record: program });
      return program;
    });
  }

  /** Renames a program or changes its market context; its ID, time zone and events stay. */
  updateProgram(programId: string, input: { name: string; marketContext: string }, within?: Within<ProgramRecord>): Promise<ProgramRecord> {
    return this.deps.store.transaction(async (tx) => {
      const current = await tx.getProgram(programId);
      if (!current) throw new VtnRequestError(ResponseCode.invalidId, `no program ${programId}`);
      const program: ProgramRecord = { ...current, name: input.name, marketContext: input.marketContext };
      await tx.putProgram(program);
      await tx.appendFeed('program', program, this.deps.clock.now());
      await within?.(tx, program);
      await this.deps.changes?.(tx, { kind: 'program', action: 'updated', record: program });
      return program;
    });
  }

  createEvent(input: EventInput, within?: Within<EventRecord>): Promise<EventRecord> {
    return this.deps.store.transaction(async (tx) => {
      const eventId = input.eventId ?? `event-${this.deps.newId()}`;
      if (await tx.getEvent(eventId)) throw new VtnRequestError(ResponseCode.invalidId, `event ${eventId} exists; modify it instead`);
      const record = await this.writeEvent(tx, eventId, input, 0, undefined);
      await within?.(tx, record);
      await this.deps.changes?.(tx, { kind: 'event', action: 'created', record });
      return record;
    });
  }

  /**
   * Brings a set of events to the given state in one transaction: each input (with its eventId) is
   * created when missing, modified when it exists (its next version; a cancelled one is refused),
   * each ID of `cancel` is cancelled; then `within` writes what goes with them (the bridge's record
   * of the upstream event). Either all of it is stored, and fed, or none.
   */
  applyEvents(inputs: readonly (EventInput & { readonly eventId: string })[], cancel: readonly string[], reason: string, within?: Within<EventRecord[]>): Promise<EventRecord[]> {
    return this.deps.store.transaction(async (tx) => {
      const written: EventRecord[] = [];
      for (const eventId of cancel) {
        const cancelled = await this.cancelIn(tx, eventId, reason);
        if (cancelled) written.push(cancelled);
      }
      for (const input of inputs) {
        const current = await tx.getEvent(input.eventId);
        if (current?.cancelled) throw new VtnRequestError(ResponseCode.notAllowed, `event ${input.eventId} is cancelled`);
        const record = await this.writeEvent(tx, input.eventId, { ...input, modificationReason: input.modificationReason ?? reason }, current ? current.modificationNumber + 1 : 0, current);
        await this.deps.changes?.(tx, { kind: 'event', action: current ? 'modified' : 'created', record });
        written.push(record);
      }
      await within?.(tx, written);
      return written;
    });
  }

  /** Appends a grid order's record to the feed (anchored as recordGridOrder) inside a caller's transaction. */
  async recordGridOrder(tx: Tx, record: GridOrderRecord): Promise<void> {
    await tx.appendFeed('gridOrder', record, this.deps.clock.now());
  }

  /**
   * A grid operator's order and the events it becomes, in one transaction: either the order is on
   * the feed (hence anchored) with every event, or nothing is. A refused order is recorded too.
   */
  /**
   * Records a grid order and its outcome in one transaction. An accepted order's events replace
   * those of the orders it supersedes: those are cancelled in the same transaction.
   */
  applyGridOrder(order: Omit<GridOrderRecord, 'accepted' | 'eventIds' | 'decidedAt' | 'reason' | 'allocatedBy'>, outcome: { events: readonly EventInput[]; supersedes?: readonly string[]; allocatedBy?: string } | { refused: string }): Promise<GridOrderRecord> {
    return this.deps.store.transaction(async (tx) => {
      const eventIds: string[] = [];
      if ('events' in outcome) {
        for (const eventId of outcome.supersedes ?? []) await this.cancelIn(tx, eventId, `superseded by grid order ${order.orderId}`);
        for (const [i, input] of outcome.events.entries()) {
          const eventId = input.eventId ?? `${order.orderId}-${i}`;
          if (await tx.getEvent(eventId)) throw new VtnRequestError(ResponseCode.invalidId, `event ${eventId} exists`);
          const record = await this.writeEvent(tx, eventId, input, 0, undefined);
          await this.deps.changes?.(tx, { kind: 'event', action: 'created', record });
          eventIds.push(record.eventId);
        }
      }
      const now = this.deps.clock.now();
      const record: GridOrderRecord = {
        ...order, decidedAt: now, accepted: 'events' in outcome, eventIds, ...('refused' in outcome ? { reason: outcome.refused } : {}),
        ...('events' in outcome && outcome.allocatedBy ? { allocatedBy: outcome.allocatedBy } : {}),
      };
      await tx.appendFeed('gridOrder', record, now);
      return record;
    });
  }

  /** 2.0b §8: every change bumps modificationNumber and reaches every VEN the event targets (before and after). */
  modifyEvent(eventId: string, input: EventInput, within?: Within<EventRecord>): Promise<EventRecord> {
    return this.deps.store.transaction(async (tx) => {
      const current = await tx.getEvent(eventId);
      if (!current) throw new VtnRequestError(ResponseCode.invalidId, `no event ${eventId}`);
      if (current.cancelled) throw new VtnRequestError(ResponseCode.notAllowed, `event ${eventId} is cancelled`);
      const record = await this.writeEvent(tx, eventId, input, current.modificationNumber + 1, current);
      await within?.(tx, record);
      await this.deps.changes?.(tx, { kind: 'event', action: 'modified', record });
      return record;
    });
  }

  cancelEvent(eventId: string, reason?: string, within?: Within<EventRecord>): Promise<EventRecord> {
    return this.deps.store.transaction(async (tx) => {
      const cancelled = await this.cancelIn(tx, eventId, reason);
      if (!cancelled) throw new VtnRequestError(ResponseCode.invalidId, `no event ${eventId}`);
      await within?.(tx, cancelled);
      return cancelled;
    });
  }

  private async cancelIn(tx: Tx, eventId: string, reason?: string): Promise<EventRecord | undefined> {
    const current = await tx.getEvent(eventId);
    if (!current) return undefined;
    if (current.cancelled) return current;
    const now = this.deps.clock.now();
    const modificationNumber = current.modificationNumber + 1;
    const event: OadrEvent = {
      ...current.event,
      descriptor: { ...current.event.descriptor, modificationNumber, eventStatus: 'cancelled', modificationDateTime: { epochMs: now, microsOfMs: 0 }, ...(reason ? { modificationReason: reason } : {}) },
    };
    const record: EventRecord = { ...current, modificationNumber, cancelled: true, event, updatedAt: now };
    await this.persistVersion(tx, record);
    await this.notify(tx, await tx.eventTargets(eventId), now, await tx.listVens());
    await tx.appendFeed('event', { action: 'cancelled', eventId, modificationNumber, contentSha256: sha256(event) }, now);
    await this.deps.changes?.(tx, { kind: 'event', action: 'cancelled', record });
    return record;
  }

  setVenAttributes(venId: string, attributes: { groupIds?: string[]; resourceIds?: string[]; partyId?: string }): Promise<VenRecord> {
    return this.deps.store.transaction(async (tx) => {
      const ven = await tx.getVen(venId);
      if (!ven) throw new VtnRequestError(ResponseCode.invalidId, `no VEN ${venId}`);
      const updated: VenRecord = { ...ven, ...attributes };
      await tx.putVen(updated);
      const now = this.deps.clock.now();
      await tx.appendFeed('ven', { action: 'attributes', venId, ...attributes }, now);
      // Targets by group, resource or party may now include (or exclude) this VEN.
      const targeting = new Set((await tx.eventsForVen(venId, Number.MIN_SAFE_INTEGER)).map((e) => e.eventId));
      let changed = false;
      for (const event of await tx.listEvents()) {
        if (event.cancelled) continue;
        const wanted = targetMatches(updated, event.event.target);
        if (wanted === targeting.has(event.eventId)) continue;
        await tx.setEventTarget(event.eventId, venId, wanted);
        changed = true;
      }
      // One fresh distribute carries every change.
      if (changed) await this.notify(tx, [venId], now, [updated]);
      return updated;
    });
  }

  /**
   * Writes a VEN that the operator or the OpenADR 3 API manages (no 2.0b registration): its events
   * are retargeted by its groups and resources, as a registration or setVenAttributes does.
   */
  putManagedVen(ven: VenRecord, within?: Within<VenRecord>): Promise<VenRecord> {
    return this.deps.store.transaction(async (tx) => {
      const now = this.deps.clock.now();
      const existing = await tx.getVen(ven.venId);
      await tx.putVen(ven);
      await tx.appendFeed('ven', existing?.state === ven.state
        ? { action: 'attributes', venId: ven.venId, groupIds: [...ven.groupIds], resourceIds: [...ven.resourceIds] }
        : ven.state === 'registered' ? { action: 'registered', venId: ven.venId, registrationId: ven.registrationId } : { action: 'cancelled', by: 'vtn', venId: ven.venId, registrationId: ven.registrationId }, now);
      // Only events that have not ended can change for this VEN; the ones that target it now come in one read.
      const targeting = new Set((await tx.eventsForVen(ven.venId, now)).map((e) => e.eventId));
      let changed = false;
      for (const event of await tx.listEvents()) {
        if (event.cancelled || eventEndsAt(event) <= now) continue;
        const wanted = ven.state === 'registered' && targetMatches(ven, event.event.target);
        if (wanted === targeting.has(event.eventId)) continue;
        await tx.setEventTarget(event.eventId, ven.venId, wanted);
        changed = true;
      }
      // One fresh distribute carries every change.
      if (changed) await this.notify(tx, [ven.venId], now, [ven]);
      await within?.(tx, ven);
      return ven;
    });
  }

  requestReregistration(venId: string): Promise<void> {
    return this.deps.store.transaction(async (tx) => {
      if (!(await tx.getVen(venId))) throw new VtnRequestError(ResponseCode.invalidId, `no VEN ${venId}`);
      await tx.enqueue(venId, { kind: 'message', message: { type: 'oadrRequestReregistration', venId } }, this.deps.clock.now());
    });
  }

  /**
   * Asks a VEN for reports it registered (2.0b §9: one oadrCreateReport with one request per report);
   * the requests are stored before the payload is queued, so the VEN's answers are recognised.
   */
  requestReports(venId: string, inputs: readonly ReportRequestInput[]): Promise<ReportRequest[]> {
    return this.deps.store.transaction(async (tx) => {
      const ven = await tx.getVen(venId);
      if (!ven || ven.state !== 'registered') throw new VtnRequestError(ResponseCode.invalidId, `no registered VEN ${venId}`);
      if (inputs.length === 0) throw new VtnRequestError(ResponseCode.invalidData, 'no report requested');
      const now = this.deps.clock.now();
      const requests: ReportRequest[] = [];
      const registrations = await tx.listReportRegistrations(venId);
      for (const input of inputs) {
        const registered = registrations.find((r) => r.reportSpecifierId === input.reportSpecifierId);
        let payloads: ReportRequest['reportSpecifier']['specifierPayloads'];
        if (input.reportSpecifierId === 'METADATA') {
          payloads = [{ rId: 'METADATA', readingType: 'x-notApplicable' }];
        } else {
          if (!registered) throw new VtnRequestError(ResponseCode.invalidId, `VEN ${venId} registered no report ${input.reportSpecifierId}`);
          const offered = registered.report.descriptions ?? [];
          const unknown = (input.rIds ?? []).filter((rId) => !offered.some((d) => d.rId === rId));
          if (unknown.length) throw new VtnRequestError(ResponseCode.invalidId, `report ${input.reportSpecifierId} has no data point ${unknown.join(', ')}`);
          payloads = offered.filter((d) => !input.rIds || input.rIds.includes(d.rId)).map((d) => ({ rId: d.rId, readingType: d.readingType, ...(d.itemBase ? { itemBase: d.itemBase } : {}) }));
        }
        const request: ReportRequest = {
          reportRequestId: `rr-${this.deps.newId()}`,
          reportSpecifier: {
            reportSpecifierId: input.reportSpecifierId, granularity: durationFromMs(input.granularityMs), reportBackDuration: durationFromMs(input.reportBackMs),
            ...(input.dtstart !== undefined ? { reportInterval: { dtstart: { epochMs: input.dtstart, microsOfMs: 0 }, duration: durationFromMs(input.durationMs ?? 0) } } : {}),
            specifierPayloads: payloads,
          },
        };
        await tx.putReportRequest({ reportRequestId: request.reportRequestId, venId, request, state: 'requested', createdAt: now });
        requests.push(request);
      }
      await tx.enqueue(venId, { kind: 'message', message: { type: 'oadrCreateReport', requestId: this.deps.newId(), reportRequests: requests, venId } }, now);
      await tx.appendFeed('reportRequest', { venId, reportRequestIds: requests.map((r) => r.reportRequestId), state: 'requested' }, now);
      return requests;
    });
  }

  /** Cancels report requests (oadrCancelReport); with reportToFollow the VEN sends one last report. */
  cancelReports(venId: string, reportRequestIds: readonly string[], reportToFollow: boolean): Promise<void> {
    return this.deps.store.transaction(async (tx) => {
      for (const id of reportRequestIds) {
        const request = await tx.getReportRequest(id);
        if (!request || request.venId !== venId || request.state === 'cancelled') throw new VtnRequestError(ResponseCode.invalidId, `no active report request ${id} for VEN ${venId}`);
      }
      const now = this.deps.clock.now();
      // Cancelled at once: a last report the VEN still sends (reportToFollow) is accepted all the same.
      for (const id of reportRequestIds) await tx.setReportRequestState(id, 'cancelled');
      await tx.enqueue(venId, { kind: 'message', message: { type: 'oadrCancelReport', requestId: this.deps.newId(), reportRequestIds, reportToFollow, venId } }, now);
      await tx.appendFeed('reportRequest', { venId, reportRequestIds, state: 'cancelling', reportToFollow }, now);
    });
  }

  cancelRegistration(venId: string): Promise<void> {
    return this.deps.store.transaction(async (tx) => {
      const ven = await tx.getVen(venId);
      if (!ven || ven.state !== 'registered') throw new VtnRequestError(ResponseCode.invalidId, `no registered VEN ${venId}`);
      await tx.enqueue(venId, { kind: 'message', message: { type: 'oadrCancelPartyRegistration', requestId: this.deps.newId(), registrationId: ven.registrationId, venId } }, this.deps.clock.now());
    });
  }

  private async writeEvent(tx: Tx, eventId: string, input: EventInput, modificationNumber: number, previous: EventRecord | undefined): Promise<EventRecord> {
    const program = await tx.getProgram(input.programId);
    if (!program) throw new VtnRequestError(ResponseCode.invalidId, `no program ${input.programId}`);
    const now = this.deps.clock.now();
    const event = buildEvent(eventId, input, program, modificationNumber, previous?.event.descriptor.createdDateTime.epochMs ?? now, now);
    const record: EventRecord = { eventId, programId: program.programId, modificationNumber, cancelled: false, event, createdAt: previous?.createdAt ?? now, updatedAt: now };
    await this.persistVersion(tx, record);
    const all = await tx.listVens();
    const vens = all.filter((v) => v.state === 'registered' && targetMatches(v, event.target)).map((v) => v.venId);
    const before = previous ? await tx.eventTargets(eventId) : [];
    const targeted = new Set(vens);
    await tx.setEventTargets(eventId, [...new Set([...vens, ...before.filter((v) => targeted.has(v))])]);
    // VENs dropped from the target also hear of the change: the event leaves their distribute.
    await this.notify(tx, [...new Set([...vens, ...before])], now, all);
    await tx.appendFeed('event', { action: previous ? 'modified' : 'created', eventId, modificationNumber, programId: program.programId, venIds: vens, contentSha256: sha256(event) }, now);
    return record;
  }

  private async persistVersion(tx: Tx, record: EventRecord): Promise<void> {
    await tx.putEvent(record, { eventId: record.eventId, modificationNumber: record.modificationNumber, event: record.event, contentSha256: sha256(record.event), createdAt: record.updatedAt });
  }

  /** Queues a fresh distribute for each VEN that hears over 2.0b (an OpenADR 3 VEN reads /events or is notified instead). */
  private async notify(tx: Tx, venIds: readonly string[], now: number, vens?: readonly VenRecord[]): Promise<void> {
    const over3 = new Set((vens ?? []).filter((v) => v.transportName === OPENADR3_TRANSPORT).map((v) => v.venId));
    await tx.enqueueMany(over3.size ? venIds.filter((id) => !over3.has(id)) : venIds, { kind: 'distributeEvent' }, now);
  }
}

function sha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function buildEvent(eventId: string, input: EventInput, program: ProgramRecord, modificationNumber: number, createdAt: number, now: number): OadrEvent {
  if (input.signals.length === 0) throw new VtnRequestError(ResponseCode.invalidData, 'an event needs at least one signal');
  const lengths = input.signals.map((s) => s.intervals.reduce((sum, i) => sum + i.durationMs, 0));
  if (lengths.some((l) => l !== lengths[0])) throw new VtnRequestError(ResponseCode.invalidData, 'every signal\'s intervals must cover the same active period');
  for (const s of input.signals) {
    if (!(SIGNAL_NAMES as readonly string[]).includes(s.signalName) && !s.signalName.startsWith('x-')) throw new VtnRequestError(ResponseCode.signalNotSupported, `signal name ${s.signalName} is not supported`);
    if (!(SIGNAL_TYPES as readonly string[]).includes(s.signalType)) throw new VtnRequestError(ResponseCode.invalidData, `signal type ${s.signalType} is not a 2.0b signal type`);
    if (s.intervals.length === 0 || s.intervals.some((i) => !Number.isSafeInteger(i.durationMs) || i.durationMs <= 0 || !Number.isFinite(i.value))) {
      throw new VtnRequestError(ResponseCode.invalidData, `signal ${s.signalName}: intervals need positive integer durationMs and finite values`);
    }
  }
  const at = (ms: number) => ({ epochMs: ms, microsOfMs: 0 });
  const optional = (ms: number | undefined) => (ms === undefined ? undefined : durationFromMs(ms));
  const signals: EventSignal[] = input.signals.map((s, i) => ({
    signalName: s.signalName,
    signalType: s.signalType,
    signalId: s.signalId ?? `${eventId}-signal-${i}`,
    ...(s.itemBase ? { itemBase: s.itemBase } : {}),
    intervals: s.intervals.map((interval, uid) => ({ uid: String(uid), duration: durationFromMs(interval.durationMs), payloads: [{ kind: 'float' as const, value: interval.value }] })),
  }));
  const target: EiTarget = Object.fromEntries(Object.entries(input.targets ?? {}).filter(([, v]) => Array.isArray(v) && v.length > 0));
  const activePeriod = Object.fromEntries(Object.entries({
    dtstart: at(input.dtstart), duration: durationFromMs(lengths[0]!), startAfter: optional(input.startAfterMs),
    notification: optional(input.notificationMs), rampUp: optional(input.rampUpMs), recovery: optional(input.recoveryMs),
  }).filter(([, v]) => v !== undefined)) as unknown as OadrEvent['activePeriod'];
  return {
    descriptor: {
      eventId, modificationNumber, marketContext: program.marketContext, createdDateTime: at(createdAt), eventStatus: 'far',
      ...(modificationNumber > 0 ? { modificationDateTime: at(now) } : {}),
      ...(input.modificationReason ? { modificationReason: input.modificationReason } : {}),
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.testEvent !== undefined ? { testEvent: String(input.testEvent) } : {}),
      ...(input.vtnComment ? { vtnComment: input.vtnComment } : {}),
    },
    activePeriod,
    signals,
    ...(input.baseline ? { baseline: buildBaseline(eventId, input.baseline) } : {}),
    target,
    responseRequired: input.responseRequired ?? 'always',
  };
}

function buildBaseline(eventId: string, b: BaselineInput): EventBaseline {
  if (b.intervals.length === 0 || b.intervals.some((i) => !Number.isSafeInteger(i.durationMs) || i.durationMs <= 0 || !Number.isFinite(i.value))) {
    throw new VtnRequestError(ResponseCode.invalidData, 'baseline intervals need positive integer durationMs and finite values');
  }
  return {
    baselineId: `${eventId}-baseline`, baselineName: b.baselineName ?? 'baseline', dtstart: { epochMs: b.dtstart, microsOfMs: 0 },
    duration: durationFromMs(b.intervals.reduce((sum, i) => sum + i.durationMs, 0)),
    intervals: b.intervals.map((i, uid) => ({ uid: String(uid), duration: durationFromMs(i.durationMs), payloads: [{ kind: 'float' as const, value: i.value }] })),
    ...(b.resourceIds?.length ? { resourceIds: b.resourceIds } : {}),
  };
}
