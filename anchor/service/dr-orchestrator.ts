import type { LedgerIdentity } from '../ledger/embedded-ledger.js';
import type { AllocationRecord, DrEventRecord, SettlementRecord } from '../chaincode/records.js';
import type { DrContract, DrTransaction } from '../chaincode/dr-contract.js';
import { localDay } from '../../src/local-day.js';

/** What the orchestrator needs of a ledger: submit and evaluate, typed by the contract. */
export interface ContractLedger {
  submit<F extends DrTransaction>(fn: F, args: Parameters<DrContract[F]>[1], identity: LedgerIdentity, options?: { txId?: string }): Promise<{ result: Awaited<ReturnType<DrContract[F]>> }>;
  evaluate<F extends DrTransaction>(fn: F, args: Parameters<DrContract[F]>[1], identity: LedgerIdentity): Promise<Awaited<ReturnType<DrContract[F]>>>;
}

/** Creates events on the VTN (its operator API). */
export interface VtnEventSink {
  createEvent(input: Record<string, unknown>): Promise<{ eventId: string }>;
}

export function httpEventSink(apiUrl: string, token?: string): VtnEventSink {
  return {
    async createEvent(input) {
      const response = await fetch(`${apiUrl}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(input) });
      if (response.status !== 201) throw new Error(`VTN refused the event: ${response.status} ${await response.text()}`);
      return (await response.json()) as { eventId: string };
    },
  };
}

export interface DrOrder {
  readonly eventId: string;
  readonly programId: string;
  /** The event day and the day it is notified (seed 002: the day before). */
  readonly date: string;
  readonly notifiedOn: string;
  /** Event window as interval indexes of the day [start, end). */
  readonly start: number;
  readonly end: number;
  /** Reduction requested of the whole cluster per event interval (W). */
  readonly requestW: number | readonly number[];
  /** The VENs taking part and their meters. */
  readonly participants: readonly { readonly venId: string; readonly meterId: string }[];
  readonly intervalMinutes?: number;
  /** The program's IANA time zone: `date` is its local day and `start`/`end` index that day's intervals (default UTC). */
  readonly timeZone?: string;
}

/**
 * The data flow of the brief: an operator (or TSO) order → contract allocation on the ledger →
 * one OpenADR event per VEN carrying its own target profile (LOAD_DISPATCH setpoints, with a
 * SIMPLE level beside it for VENs that only understand that) → later, settlement on the ledger.
 */
export class DrOrchestrator {
  constructor(private readonly ledger: ContractLedger, private readonly vtn: VtnEventSink, private readonly operator: LedgerIdentity) {}

  /** Participants the contract could not baseline (too little history) get no event; `event.notBaselined` lists them. */
  async notify(order: DrOrder): Promise<{ event: DrEventRecord; allocations: AllocationRecord[]; vtnEventIds: string[] }> {
    const minutes = order.intervalMinutes ?? 15;
    const width = order.end - order.start;
    const request = typeof order.requestW === 'number' ? new Array<number>(width).fill(order.requestW) : [...order.requestW];
    const { result: event } = await this.ledger.submit('notifyDREvent', {
      eventId: order.eventId, date: order.date, notifiedOn: order.notifiedOn, ...(order.timeZone === undefined ? {} : { timeZone: order.timeZone }), start: order.start, end: order.end, request,
      meterIds: order.participants.map((p) => p.meterId),
    }, this.operator, { txId: `notify-${order.eventId}` });
    const allocations: AllocationRecord[] = [];
    const vtnEventIds: string[] = [];
    const dtstart = localDay(order.date, order.timeZone ?? 'UTC', minutes).startMs + order.start * minutes * 60_000;
    const allocated = new Set(event.meterIds);
    for (const participant of order.participants.filter((p) => allocated.has(p.meterId))) {
      const allocation = await this.ledger.evaluate('queryLoadReduction', { eventId: order.eventId, meterId: participant.meterId }, this.operator);
      allocations.push(allocation);
      const vtnEventId = `${order.eventId}-${participant.venId}`;
      await this.vtn.createEvent({
        programId: order.programId, eventId: vtnEventId, dtstart, targets: { venIds: [participant.venId] },
        vtnComment: `allocation of DR event ${order.eventId} on the ledger (tx ${event.txId})`,
        signals: [
          { signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: width * minutes * 60_000, value: 1 }] },
          { signalName: 'LOAD_DISPATCH', signalType: 'setpoint', units: 'W', intervals: allocation.target.slice(order.start, order.end).map((value) => ({ durationMs: minutes * 60_000, value: Math.round(value * 1000) / 1000 })) },
        ],
      });
      vtnEventIds.push(vtnEventId);
    }
    return { event, allocations, vtnEventIds };
  }

  async settle(eventId: string, scale: number): Promise<SettlementRecord[]> {
    return (await this.ledger.submit('settle', { eventId, scale }, this.operator, { txId: `settle-${eventId}` })).result;
  }
}
