import { allocate, baselineAccuracy, baselineHighLowXofY, fromClockGrid, gridSlots, initialAvailability, InsufficientHistoryError, localDay, requiredBaselineDays, settle as settleCustomer, sparseToClockGrid, toClockGrid, updateAvailability, type DayProfile, type LocalDay } from '../domain/index.js';
import { canonicalJson } from '../../src/canonical-json.js';
import { LocalDayError } from '../../src/errors.js';
import type { ContractContext } from './ledger-api.js';
import { ContractError } from '../errors.js';
import {
  ATTRIBUTE, type AllocationRecord, type DrEventRecord, type EnergyRecord, type EventVersionRecord, type MeterRecord, type Role,
  type GridOrderLedgerRecord, type SettlementRecord, type TelemetryWindowRecord, type TokenBalance,
} from './records.js';

// The DR contract of seed 002 (§4.5, §5.2) as chaincode: every function takes the Fabric-shaped
// context and plain JSON arguments, reads and writes only through ctx.stub, and decides access
// from the caller's X.509 attributes.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function getJson<T>(ctx: ContractContext, key: string): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(key);
  return bytes && bytes.length > 0 ? (JSON.parse(decoder.decode(bytes)) as T) : undefined;
}

async function putJson(ctx: ContractContext, key: string, value: unknown): Promise<void> {
  await ctx.stub.putState(key, encoder.encode(canonicalJson(value)));
}

async function* entries<T>(ctx: ContractContext, type: string, attributes: string[]): AsyncGenerator<T> {
  // fabric-shim returns a promise that is itself async-iterable (the iterator it resolves to is
  // not); the embedded ledger returns an iterable or a promise of one.
  const answer = ctx.stub.getStateByPartialCompositeKey(type, attributes);
  const iterable = Symbol.asyncIterator in answer ? answer as AsyncIterable<{ key: string; value: Uint8Array }> : await answer;
  for await (const { value } of iterable) yield JSON.parse(decoder.decode(value)) as T;
}

const key = (ctx: ContractContext, type: string, ...attributes: string[]): string => ctx.stub.createCompositeKey(type, attributes);

/** The running availability of a meter (eq. 4.6) and the last event step folded into it. */
interface AvailabilityState { values: number[]; through: string }

/** What one settled event contributes to a meter's availability: eq. 4.5's inputs. */
interface AvailabilityStep { eventId: string; order: string; baseline: number[]; target: (number | null)[]; measured: number[] }

/** Events are steps i of eq. 4.6 in the order they happen: day, first interval, then ID. */
function eventOrder(event: DrEventRecord): string {
  return `${event.date}|${String(event.start).padStart(5, '0')}|${event.eventId}`;
}

/**
 * Applies a settled event to a meter's availability as eq. 4.6 orders events, whatever the order
 * of notifications and settlements: each step is kept, a step later than every one folded so far
 * is applied to the current value, and an earlier one (an overlapping event settled late) refolds
 * the meter's steps from the initial availability. The allocation's own copy is a snapshot of
 * what it was allocated with, never the starting point of an update.
 */
async function advanceAvailability(ctx: ContractContext, meterId: string, step: AvailabilityStep): Promise<void> {
  const order = step.order;
  await putJson(ctx, key(ctx, 'availabilityStep', meterId, order), step);
  const stateKey = key(ctx, 'availability', meterId);
  const state = await getJson<AvailabilityState>(ctx, stateKey);
  const apply = (values: number[], s: AvailabilityStep): number[] => updateAvailability(values, s.baseline, s.target.map((t) => t ?? undefined), s.measured);
  if (!state) {
    await putJson(ctx, stateKey, { values: apply(initialAvailability(step.baseline.length), step), through: order } satisfies AvailabilityState);
  } else if (order > state.through) {
    await putJson(ctx, stateKey, { values: apply(state.values, step), through: order } satisfies AvailabilityState);
  } else {
    // The range read does not see this transaction's own write: fold the new step in at its place.
    const steps: AvailabilityStep[] = [step];
    for await (const s of entries<AvailabilityStep>(ctx, 'availabilityStep', [meterId])) if (s.order !== order) steps.push(s);
    steps.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    const values = steps.reduce((a, s) => apply(a, s), initialAvailability(step.baseline.length));
    await putJson(ctx, stateKey, { values, through: state.through } satisfies AvailabilityState);
  }
}

function role(ctx: ContractContext): Role | undefined {
  const value = ctx.clientIdentity.getAttributeValue(ATTRIBUTE.role);
  return value === 'operator' || value === 'retailer' || value === 'customer' ? value : undefined;
}

function requireRole(ctx: ContractContext, wanted: Role, action: string): void {
  if (role(ctx) !== wanted) throw new ContractError('forbidden', `${action} needs the ${wanted} role (caller ${ctx.clientIdentity.getID()} has ${role(ctx) ?? 'none'})`);
}

/** The operator sees everything; a customer only its own meters; a retailer only the meters enabled for it. */
function requireMeterReader(ctx: ContractContext, meter: MeterRecord, action: string): void {
  const r = role(ctx);
  if (r === 'operator') return;
  if (r === 'customer' && ctx.clientIdentity.getAttributeValue(ATTRIBUTE.customerId) === meter.customerId) return;
  if (r === 'retailer' && ctx.clientIdentity.getAttributeValue(ATTRIBUTE.retailerId) === meter.retailerId) return;
  throw new ContractError('forbidden', `${action}: caller ${ctx.clientIdentity.getID()} may not read meter ${meter.meterId}`);
}

async function meterOf(ctx: ContractContext, meterId: string): Promise<MeterRecord> {
  const meter = await getJson<MeterRecord>(ctx, key(ctx, 'meter', meterId));
  if (!meter) throw new ContractError('not-found', `no meter ${meterId}`);
  return meter;
}

function txSeconds(ctx: ContractContext): number {
  const s = ctx.stub.getTxTimestamp().seconds;
  return typeof s === 'number' ? s : s.toNumber();
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new ContractError('invalid', message);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A local day of the program's zone (UTC when none is named), or a refusal the caller can read. */
function dayOf(date: string, timeZone: string | undefined, intervalMinutes: number): LocalDay {
  try {
    return localDay(date, timeZone ?? 'UTC', intervalMinutes);
  } catch (error) {
    if (error instanceof LocalDayError) throw new ContractError('invalid', error.message);
    throw error;
  }
}

/** How many meter-days one recordEnergyBatch may carry (a 96-value day is about 1 KB of JSON). */
export const MAX_ENERGY_BATCH = 100;

export interface EnergyInput { meterId: string; date: string; intervalMinutes: number; timeZone?: string; values: number[]; eventDay?: boolean }

/** Checks and writes one meter-day for the calling retailer; an identical retry returns the record already kept. */
async function writeEnergy(ctx: ContractContext, input: EnergyInput): Promise<{ record: EnergyRecord; written: boolean }> {
  const meter = await meterOf(ctx, input.meterId);
  const retailerId = ctx.clientIdentity.getAttributeValue(ATTRIBUTE.retailerId);
  if (retailerId !== meter.retailerId) throw new ContractError('forbidden', `retailer ${retailerId ?? '?'} is not enabled for meter ${meter.meterId}`);
  check(typeof input.date === 'string' && DATE.test(input.date), `date must be YYYY-MM-DD, got ${input.date}`);
  check(Number.isInteger(input.intervalMinutes) && input.intervalMinutes > 0 && 1440 % input.intervalMinutes === 0, 'intervalMinutes must divide a day');
  check(input.timeZone === undefined || typeof input.timeZone === 'string', 'timeZone is an IANA zone name');
  const day = dayOf(input.date, input.timeZone, input.intervalMinutes);
  check(Array.isArray(input.values) && input.values.length === day.intervals, `${input.date} (${day.timeZone}) has ${day.intervals} ${input.intervalMinutes}-minute intervals, got ${Array.isArray(input.values) ? input.values.length : 'no'} values`);
  check(input.values.every((v) => Number.isFinite(v) && v >= 0), 'values must be finite and non-negative (W)');
  const k = key(ctx, 'energy', input.meterId, input.date);
  const existing = await getJson<EnergyRecord>(ctx, k);
  const record: EnergyRecord = { meterId: input.meterId, date: input.date, intervalMinutes: input.intervalMinutes, ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone }), values: input.values, eventDay: input.eventDay ?? false, recordedBy: ctx.clientIdentity.getID(), txId: ctx.stub.getTxID() };
  if (existing) {
    // Idempotent for retries; a different reading for a recorded day is a conflict, never an overwrite.
    if (canonicalJson(existing.values) === canonicalJson(record.values) && existing.eventDay === record.eventDay && existing.timeZone === record.timeZone) return { record: existing, written: false };
    throw new ContractError('conflict', `energy of meter ${input.meterId} on ${input.date} is already recorded with other values`);
  }
  await putJson(ctx, k, record);
  return { record, written: true };
}

export const drContract = {
  async registerMeter(ctx: ContractContext, input: MeterRecord): Promise<MeterRecord> {
    requireRole(ctx, 'operator', 'registerMeter');
    check(Boolean(input.meterId && input.customerId && input.retailerId), 'registerMeter needs meterId, customerId and retailerId');
    const record: MeterRecord = { meterId: input.meterId, customerId: input.customerId, retailerId: input.retailerId };
    await putJson(ctx, key(ctx, 'meter', input.meterId), record);
    return record;
  },

  /** A meter-day (or any day-long window) of average power per interval, written by the meter's retailer. */
  async recordEnergy(ctx: ContractContext, input: EnergyInput): Promise<EnergyRecord> {
    requireRole(ctx, 'retailer', 'recordEnergy');
    const { record, written } = await writeEnergy(ctx, input);
    if (written) ctx.stub.setEvent('EnergyRecorded', encoder.encode(canonicalJson({ meterId: record.meterId, date: record.date })));
    return record;
  },

  /**
   * Up to MAX_ENERGY_BATCH meter-days in one transaction, all or none: a retailer uploading a
   * day's readings for its customers pays the endorsement, ordering and commit once per batch.
   * Each day is checked and kept exactly as recordEnergy would; the one event lists what was new.
   */
  async recordEnergyBatch(ctx: ContractContext, input: { days: EnergyInput[] }): Promise<{ recorded: number; existing: number }> {
    requireRole(ctx, 'retailer', 'recordEnergyBatch');
    check(Array.isArray(input.days) && input.days.length > 0 && input.days.length <= MAX_ENERGY_BATCH, `a batch holds 1 to ${MAX_ENERGY_BATCH} meter-days`);
    const seen = new Set<string>();
    const fresh: { meterId: string; date: string }[] = [];
    for (const day of input.days) {
      const id = `${day.meterId}\n${day.date}`;
      check(!seen.has(id), `meter ${day.meterId} on ${day.date} appears twice in the batch`);
      seen.add(id);
      const { record, written } = await writeEnergy(ctx, day);
      if (written) fresh.push({ meterId: record.meterId, date: record.date });
    }
    // Fabric keeps one event per transaction: the batch's is the list of new meter-days.
    if (fresh.length > 0) ctx.stub.setEvent('EnergyRecorded', encoder.encode(canonicalJson({ days: fresh })));
    return { recorded: fresh.length, existing: input.days.length - fresh.length };
  },

  async recordEventVersion(ctx: ContractContext, input: Omit<EventVersionRecord, 'txId'>): Promise<EventVersionRecord> {
    requireRole(ctx, 'operator', 'recordEventVersion');
    const k = key(ctx, 'eventVersion', input.eventId, String(input.modificationNumber).padStart(10, '0'));
    const existing = await getJson<EventVersionRecord>(ctx, k);
    if (existing) {
      if (existing.contentSha256 === input.contentSha256) return existing;
      throw new ContractError('conflict', `event ${input.eventId} version ${input.modificationNumber} is recorded with another content hash`);
    }
    const record: EventVersionRecord = { ...input, txId: ctx.stub.getTxID() };
    await putJson(ctx, k, record);
    return record;
  },

  async recordTelemetryWindow(ctx: ContractContext, input: Omit<TelemetryWindowRecord, 'txId'>): Promise<TelemetryWindowRecord> {
    requireRole(ctx, 'operator', 'recordTelemetryWindow');
    const k = key(ctx, 'telemetry', input.venId, input.reportRequestId, String(input.from).padStart(16, '0'));
    const existing = await getJson<TelemetryWindowRecord>(ctx, k);
    if (existing) {
      if (existing.readingsSha256 === input.readingsSha256) return existing;
      throw new ContractError('conflict', `telemetry window ${input.venId}/${input.reportRequestId}@${input.from} is recorded with another hash`);
    }
    const record: TelemetryWindowRecord = { ...input, txId: ctx.stub.getTxID() };
    await putJson(ctx, k, record);
    return record;
  },

  /** A TSO order and its outcome (accepted with its events, or refused with a reason), written once. */
  async recordGridOrder(ctx: ContractContext, input: Omit<GridOrderLedgerRecord, 'txId'>): Promise<GridOrderLedgerRecord> {
    requireRole(ctx, 'operator', 'recordGridOrder');
    if (!input.orderId || !Number.isFinite(input.setpointW)) throw new ContractError('invalid', 'a grid order needs an orderId and a finite setpoint');
    const k = key(ctx, 'gridOrder', input.orderId);
    const existing = await getJson<GridOrderLedgerRecord>(ctx, k);
    const { txId: _ignored, ...stored } = existing ?? { txId: '' };
    if (existing) {
      if (canonicalJson(stored) === canonicalJson(input)) return existing;
      throw new ContractError('conflict', `grid order ${input.orderId} is recorded with another outcome`);
    }
    const record: GridOrderLedgerRecord = { ...input, txId: ctx.stub.getTxID() };
    await putJson(ctx, k, record);
    ctx.stub.setEvent('GridOrderRecorded', encoder.encode(canonicalJson({ orderId: record.orderId, accepted: record.accepted })));
    return record;
  },

  async queryGridOrder(ctx: ContractContext, input: { orderId: string }): Promise<GridOrderLedgerRecord> {
    requireRole(ctx, 'operator', 'queryGridOrder');
    const record = await getJson<GridOrderLedgerRecord>(ctx, key(ctx, 'gridOrder', input.orderId));
    if (!record) throw new ContractError('not-found', `no grid order ${input.orderId}`);
    return record;
  },

  async evaluateBaseline(ctx: ContractContext, input: { meterId: string; eventDate: string; notifiedOn: string; timeZone?: string; baseline?: BaselineRules }) {
    requireRole(ctx, 'operator', 'evaluateBaseline');
    try {
      const { day: _day, ...baseline } = await baselineFor(ctx, input.meterId, input.eventDate, input.notifiedOn, checkRules(input.baseline), undefined, input.timeZone);
      return baseline;
    } catch (error) {
      if (error instanceof InsufficientHistoryError) throw new ContractError('invalid', `meter ${input.meterId} is not baselined: ${error.message}`);
      throw error;
    }
  },

  /** A meter's availability per interval (seed eq. 4.6), as the next allocation will use it. */
  async evaluateAvailability(ctx: ContractContext, input: { meterId: string }): Promise<{ meterId: string; availability: number[] | null }> {
    const meter = await meterOf(ctx, input.meterId);
    if (role(ctx) === 'retailer') throw new ContractError('forbidden', 'retailers do not read availability');
    requireMeterReader(ctx, meter, 'evaluateAvailability');
    // null: the meter has not taken part in an event yet, every interval is at the initial value.
    return { meterId: input.meterId, availability: (await getJson<AvailabilityState>(ctx, key(ctx, 'availability', input.meterId)))?.values ?? null };
  },

  /** Seed 002 steps 3–5: baselines and availability, then the allocation of the request, on the ledger. */
  async notifyDREvent(ctx: ContractContext, input: { eventId: string; date: string; notifiedOn: string; timeZone?: string; start: number; end: number; request: number[]; meterIds: string[]; baseline?: BaselineRules }): Promise<DrEventRecord> {
    requireRole(ctx, 'operator', 'notifyDREvent');
    const k = key(ctx, 'drEvent', input.eventId);
    if (await getJson<DrEventRecord>(ctx, k)) throw new ContractError('conflict', `DR event ${input.eventId} is already notified`);
    check(DATE.test(input.date) && DATE.test(input.notifiedOn) && input.notifiedOn <= input.date, 'dates must be YYYY-MM-DD with notifiedOn ≤ date');
    check(input.meterIds.length > 0 && new Set(input.meterIds).size === input.meterIds.length, 'meterIds must be distinct and not empty');
    const rules = checkRules(input.baseline);
    const asked = await Promise.all([...input.meterIds].sort().map((m) => meterOf(ctx, m)));
    // A customer without enough history is reported, not allocated: never a silent short average.
    const outcomes = await Promise.all(asked.map(async (meter) => {
      try {
        return { meter, baseline: await baselineFor(ctx, meter.meterId, input.date, input.notifiedOn, rules, { start: input.start, end: input.end }, input.timeZone) };
      } catch (error) {
        if (error instanceof InsufficientHistoryError) return { meter, short: { meterId: meter.meterId, eligibleDays: error.eligibleDays, requiredDays: error.requiredDays } };
        throw error;
      }
    }));
    const notBaselined = outcomes.flatMap((o) => (o.short ? [o.short] : []));
    const meters = outcomes.flatMap((o) => (o.baseline ? [o.meter] : []));
    const baselines = outcomes.flatMap((o) => (o.baseline ? [o.baseline] : []));
    check(meters.length > 0, `no customer has enough history for a baseline (${notBaselined.map((n) => `${n.meterId}: ${n.eligibleDays} of ${n.requiredDays} days`).join(', ')})`);
    const intervals = baselines[0]!.values.length;
    check(baselines.every((b) => b.values.length === intervals), 'all meters must report the same number of intervals per day');
    check(Number.isInteger(input.start) && Number.isInteger(input.end) && input.start >= 0 && input.end <= intervals && input.start < input.end, `event window must lie within the day's ${intervals} intervals`);
    const request = input.request.length === intervals ? input.request : expandRequest(input.request, input.start, input.end, intervals);
    // Availability is kept by local clock time (slot of the clock grid); the event day reads it at its own intervals.
    const eventDay = baselines[0]!.day;
    const availabilities = await Promise.all(meters.map(async (m) => fromClockGrid((await getJson<AvailabilityState>(ctx, key(ctx, 'availability', m.meterId)))?.values ?? initialAvailability(gridSlots(eventDay.intervalMinutes)), eventDay)));
    const allocation = allocate(request, meters.map((m, i) => ({ customerId: m.meterId, baseline: baselines[i]!.values, availability: availabilities[i]! })));
    for (const [i, m] of meters.entries()) {
      const share = allocation.customers.find((c) => c.customerId === m.meterId)!;
      const record: AllocationRecord = {
        eventId: input.eventId, meterId: m.meterId, customerId: m.customerId,
        baseline: baselines[i]!.values, baselineMethod: baselines[i]!.method, baselineDays: baselines[i]!.days,
        availability: availabilities[i]!, reduction: share.reduction, target: share.target, baselineAccuracy: baselines[i]!.accuracy,
      };
      await putJson(ctx, key(ctx, 'allocation', input.eventId, m.meterId), record);
    }
    const record: DrEventRecord = {
      eventId: input.eventId, date: input.date, notifiedOn: input.notifiedOn, ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone }), start: input.start, end: input.end, intervals, request,
      meterIds: meters.map((m) => m.meterId), ...(notBaselined.length ? { notBaselined } : {}), ...(Object.keys(rules).length ? { baselineRules: rules } : {}), shortfall: allocation.shortfall, settled: false, txId: ctx.stub.getTxID(),
    };
    await putJson(ctx, k, record);
    ctx.stub.setEvent('DREventNotified', encoder.encode(canonicalJson({ eventId: input.eventId, meterIds: record.meterIds, notBaselined: notBaselined.map((n) => n.meterId), shortfall: record.shortfall.reduce((s, v) => s + v, 0) })));
    return record;
  },

  async queryLoadReduction(ctx: ContractContext, input: { eventId: string; meterId: string }): Promise<AllocationRecord> {
    const meter = await meterOf(ctx, input.meterId);
    if (role(ctx) === 'retailer') throw new ContractError('forbidden', 'retailers do not read allocations');
    requireMeterReader(ctx, meter, 'queryLoadReduction');
    const record = await getJson<AllocationRecord>(ctx, key(ctx, 'allocation', input.eventId, input.meterId));
    if (!record) throw new ContractError('not-found', `no allocation of event ${input.eventId} for meter ${input.meterId}`);
    return record;
  },

  /** Seed 002 steps 9–10: compliance, reward in tokens, and the availability update, once per event. */
  async settle(ctx: ContractContext, input: { eventId: string; scale: number }): Promise<SettlementRecord[]> {
    requireRole(ctx, 'operator', 'settle');
    const eventKey = key(ctx, 'drEvent', input.eventId);
    const event = await getJson<DrEventRecord>(ctx, eventKey);
    if (!event) throw new ContractError('not-found', `no DR event ${input.eventId}`);
    if (event.settled) throw new ContractError('conflict', `DR event ${input.eventId} is already settled`);
    check(Number.isFinite(input.scale) && input.scale >= 0, 'scale must be a non-negative number');
    const settlements: SettlementRecord[] = [];
    for (const meterId of event.meterIds) {
      const allocation = (await getJson<AllocationRecord>(ctx, key(ctx, 'allocation', input.eventId, meterId)))!;
      const energy = await getJson<EnergyRecord>(ctx, key(ctx, 'energy', meterId, event.date));
      if (!energy) throw new ContractError('not-found', `meter ${meterId} has no energy recorded for the event day ${event.date}`);
      if ((energy.timeZone ?? 'UTC') !== (event.timeZone ?? 'UTC') || energy.values.length !== event.intervals) {
        throw new ContractError('invalid', `meter ${meterId}'s energy of ${event.date} is a day of ${energy.timeZone ?? 'UTC'} with ${energy.values.length} values; the event's day is of ${event.timeZone ?? 'UTC'} with ${event.intervals}`);
      }
      const target = allocation.target.map((t, h) => (h >= event.start && h < event.end ? t : undefined));
      const computed = settleCustomer(allocation.baseline, energy.values, target, { scale: input.scale, intervalHours: energy.intervalMinutes / 60 });
      const withheld = withheldFor(event.baselineRules?.maxRelativeRmse, allocation.baselineAccuracy);
      const result = withheld ? { ...computed, reward: 0 } : computed;
      const record: SettlementRecord = {
        ...result, eventId: input.eventId, meterId, customerId: allocation.customerId, measured: energy.values,
        baselineAccuracy: allocation.baselineAccuracy ?? null, ...(withheld ? { withheld } : {}), txId: ctx.stub.getTxID(),
      };
      await putJson(ctx, key(ctx, 'settlement', input.eventId, meterId), record);
      const balanceKey = key(ctx, 'tokens', allocation.customerId);
      const balance = (await getJson<TokenBalance>(ctx, balanceKey))?.balance ?? 0;
      await putJson(ctx, balanceKey, { customerId: allocation.customerId, balance: balance + result.reward } satisfies TokenBalance);
      // Availability evolves by local clock time: the event day's intervals are laid on the clock grid first.
      const day = dayOf(event.date, event.timeZone, energy.intervalMinutes);
      await advanceAvailability(ctx, meterId, {
        eventId: input.eventId, order: eventOrder(event),
        baseline: toClockGrid(allocation.baseline, day), target: sparseToClockGrid(target, day).map((t) => t ?? null), measured: toClockGrid(energy.values, day),
      });
      settlements.push(record);
    }
    await putJson(ctx, eventKey, { ...event, settled: true });
    ctx.stub.setEvent('DREventSettled', encoder.encode(canonicalJson({ eventId: input.eventId, at: txSeconds(ctx), rewards: settlements.map((s) => ({ customerId: s.customerId, reward: s.reward })) })));
    return settlements;
  },

  async balanceOf(ctx: ContractContext, input: { customerId: string }): Promise<TokenBalance> {
    const r = role(ctx);
    if (!(r === 'operator' || (r === 'customer' && ctx.clientIdentity.getAttributeValue(ATTRIBUTE.customerId) === input.customerId))) {
      throw new ContractError('forbidden', `caller ${ctx.clientIdentity.getID()} may not read the tokens of ${input.customerId}`);
    }
    return (await getJson<TokenBalance>(ctx, key(ctx, 'tokens', input.customerId))) ?? { customerId: input.customerId, balance: 0 };
  },

  async queryEnergy(ctx: ContractContext, input: { meterId: string; date: string }): Promise<EnergyRecord> {
    const meter = await meterOf(ctx, input.meterId);
    requireMeterReader(ctx, meter, 'queryEnergy');
    const record = await getJson<EnergyRecord>(ctx, key(ctx, 'energy', input.meterId, input.date));
    if (!record) throw new ContractError('not-found', `no energy for meter ${input.meterId} on ${input.date}`);
    return record;
  },

  async querySettlement(ctx: ContractContext, input: { eventId: string; meterId: string }): Promise<SettlementRecord> {
    const meter = await meterOf(ctx, input.meterId);
    if (role(ctx) === 'retailer') throw new ContractError('forbidden', 'retailers do not read settlements');
    requireMeterReader(ctx, meter, 'querySettlement');
    const record = await getJson<SettlementRecord>(ctx, key(ctx, 'settlement', input.eventId, input.meterId));
    if (!record) throw new ContractError('not-found', `no settlement of event ${input.eventId} for meter ${input.meterId}`);
    return record;
  },

  /** The current value of an anchored record (event version, telemetry window): for reconciliation by the operator. */
  async queryRecord(ctx: ContractContext, input: { objectType: 'eventVersion' | 'telemetry' | 'gridOrder'; attributes: string[] }): Promise<unknown> {
    requireRole(ctx, 'operator', 'queryRecord');
    check(['eventVersion', 'telemetry', 'gridOrder'].includes(input.objectType) && Array.isArray(input.attributes) && input.attributes.every((a) => typeof a === 'string'), 'queryRecord reads eventVersion, telemetry or gridOrder records by their key attributes');
    return (await getJson<unknown>(ctx, key(ctx, input.objectType, ...input.attributes))) ?? null;
  },
};

export type DrContract = typeof drContract;
export type DrTransaction = keyof DrContract;

/** The program's baseline rules a notification may name (defaults: seed §4.5). */
export interface BaselineRules {
  readonly countFrom?: 'notification' | 'event';
  readonly minDays?: number;
  /** A customer whose baseline back-casts worse than this relative RMSE (or cannot be back-cast) is not paid. */
  readonly maxRelativeRmse?: number;
}

function checkRules(rules: BaselineRules | undefined): BaselineRules {
  const r = rules ?? {};
  check(r.countFrom === undefined || r.countFrom === 'notification' || r.countFrom === 'event', "baseline.countFrom is 'notification' or 'event'");
  check(r.minDays === undefined || (Number.isInteger(r.minDays) && r.minDays >= 1 && r.minDays <= 366), 'baseline.minDays is a whole number of days from 1 to 366');
  check(r.maxRelativeRmse === undefined || (Number.isFinite(r.maxRelativeRmse) && r.maxRelativeRmse > 0), 'baseline.maxRelativeRmse is a positive number (0.2 = 20 %)');
  return { ...(r.countFrom ? { countFrom: r.countFrom } : {}), ...(r.minDays !== undefined ? { minDays: r.minDays } : {}), ...(r.maxRelativeRmse !== undefined ? { maxRelativeRmse: r.maxRelativeRmse } : {}) };
}

/**
 * A meter's baseline for an event day, on that day's own intervals. History days of every length
 * are laid on the clock grid (local-day.ts), ranked and averaged there, and the result is placed
 * back on the event day's intervals, so a 23- or 25-hour day compares with ordinary days by local
 * clock time.
 */
async function baselineFor(ctx: ContractContext, meterId: string, eventDate: string, notifiedOn: string, rules: BaselineRules = {}, window?: { start: number; end: number }, timeZone?: string) {
  // Days of DR events the meter took part in are not baseline days (seed: "Y non-DR days").
  const eventDates = new Set<string>();
  for await (const e of entries<DrEventRecord>(ctx, 'drEvent', [])) if (e.meterIds.includes(meterId)) eventDates.add(e.date);
  const records: EnergyRecord[] = [];
  for await (const e of entries<EnergyRecord>(ctx, 'energy', [meterId])) records.push(e);
  if (records.length === 0) throw new InsufficientHistoryError(0, requiredBaselineDays(eventDate, rules), `meter ${meterId} has no recorded energy`);
  const intervalMinutes = records[0]!.intervalMinutes;
  check(records.every((e) => e.intervalMinutes === intervalMinutes), `meter ${meterId} has days of different interval lengths`);
  const history: DayProfile[] = records.map((e) => ({ date: e.date, values: toClockGrid(e.values, dayOf(e.date, e.timeZone, e.intervalMinutes)), eventDay: e.eventDay || eventDates.has(e.date) }));
  const slots = gridSlots(intervalMinutes);
  const day = dayOf(eventDate, timeZone, intervalMinutes);
  const baseline = baselineHighLowXofY(history, eventDate, notifiedOn, slots, rules);
  // The event window by clock time, for the back-cast of the same hours on other days.
  const gridWindow = window && window.start >= 0 && window.end <= day.intervals && window.start < window.end
    ? { start: day.slots[window.start]!, end: Math.max(day.slots[window.start]! + 1, day.slots[window.end - 1]! + 1) }
    : undefined;
  const accuracy = gridWindow ? baselineAccuracy(history, notifiedOn, slots, gridWindow, rules) ?? null : null;
  return { ...baseline, values: fromClockGrid(baseline.values, day), accuracy, day };
}

/** Why a reward is withheld under the program's accuracy rule, or undefined when it is paid. */
function withheldFor(maxRelativeRmse: number | undefined, accuracy: AllocationRecord['baselineAccuracy']): string | undefined {
  if (maxRelativeRmse === undefined) return undefined;
  if (!accuracy) return `the baseline could not be back-cast (too little history) and the program requires a relative RMSE of at most ${maxRelativeRmse}`;
  if (accuracy.relativeRmse > maxRelativeRmse) return `the baseline back-casts with a relative RMSE of ${accuracy.relativeRmse.toFixed(3)}, above the program's ${maxRelativeRmse}`;
  return undefined;
}

/** A request given for the event intervals only, placed into a whole day (zeros outside). */
function expandRequest(request: number[], start: number, end: number, intervals: number): number[] {
  if (request.length !== end - start) throw new ContractError('invalid', `request has ${request.length} values; expected ${end - start} (event intervals) or ${intervals} (whole day)`);
  return Array.from({ length: intervals }, (_, h) => (h >= start && h < end ? request[h - start]! : 0));
}
