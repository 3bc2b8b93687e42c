import type { UvamAllocation, UvamAllocationRequest, UvamAllocator } from '../../vtn/index.js';
import type { BaselineRules } from '../chaincode/dr-contract.js';
import type { LedgerIdentity } from '../ledger/embedded-ledger.js';
import type { ContractLedger } from './dr-orchestrator.js';
import { intervalAt } from '../../src/local-day.js';

export interface ContractAllocatorOptions {
  readonly ledger: ContractLedger;
  readonly operator: LedgerIdentity;
  /** venID → meter on the ledger; VENs without a meter are asked nothing (their target is their present power). */
  readonly meters: Readonly<Record<string, string>>;
  /** Length of a meter-day interval (default 15 min). */
  readonly intervalMinutes?: number;
  /** The program's IANA time zone, as the anchor assembles its meter-days (default UTC). */
  readonly timeZone?: string;
  readonly baseline?: BaselineRules;
}

/**
 * A TSO setpoint shared by the DR contract on the ledger, like an operator's event: the order
 * becomes a DR event notified on its own day for the intervals it covers (until midnight at the
 * latest), the contract's baselines, availability and residual loop allocate the reduction
 * Σ baselines − (setpoint − what the VENs without a meter draw now), and each VEN's target is its
 * allocated target averaged over the order's intervals. Days are the program's local days, as
 * the anchor assembles its meter-days.
 */
export function contractAllocator(options: ContractAllocatorOptions): UvamAllocator {
  const minutes = options.intervalMinutes ?? 15;
  const timeZone = options.timeZone ?? 'UTC';
  const zone = options.timeZone === undefined ? {} : { timeZone };
  return async (request: UvamAllocationRequest): Promise<UvamAllocation> => {
    const { day, index: start } = intervalAt(request.receivedAt, timeZone, minutes);
    const date = day.date;
    const end = Math.min(day.intervals, Math.max(start + 1, Math.ceil((request.receivedAt + request.durationMs - day.startMs) / (minutes * 60_000))));
    const withMeter = [...request.powers.keys()].filter((venId) => options.meters[venId] !== undefined);
    // A VEN whose meter cannot be baselined (too little history) is asked nothing, like one without a meter.
    const evaluated = await Promise.allSettled(withMeter.map((venId) => options.ledger.evaluate('evaluateBaseline', { meterId: options.meters[venId]!, eventDate: date, notifiedOn: date, ...zone, ...(options.baseline ? { baseline: options.baseline } : {}) }, options.operator)));
    const covered = withMeter.filter((_, i) => evaluated[i]!.status === 'fulfilled');
    const baselines = evaluated.flatMap((e) => (e.status === 'fulfilled' ? [e.value] : []));
    if (covered.length === 0) throw new Error('no VEN of the UVAM has a baselined meter on the ledger');
    const uncoveredW = [...request.powers].filter(([venId]) => !covered.includes(venId)).reduce((s, [, w]) => s + w, 0);
    const aim = request.setpointW - uncoveredW;
    const requestW = Array.from({ length: end - start }, (_, i) => Math.max(0, baselines.reduce((s, b) => s + b.values[start + i]!, 0) - aim));
    const { result: event } = await options.ledger.submit('notifyDREvent', {
      eventId: request.orderId, date, notifiedOn: date, ...zone, start, end, request: requestW,
      meterIds: covered.map((venId) => options.meters[venId]!), ...(options.baseline ? { baseline: options.baseline } : {}),
    }, options.operator, { txId: `notify-${request.orderId}` });
    // One query per allocated VEN, all at once: the station waits on this to confirm the order.
    const targets = new Map(await Promise.all([...request.powers].map(async ([venId, power]): Promise<[string, number]> => {
      const meterId = options.meters[venId];
      if (meterId === undefined || !covered.includes(venId) || !event.meterIds.includes(meterId)) return [venId, power];
      const allocation = await options.ledger.evaluate('queryLoadReduction', { eventId: request.orderId, meterId }, options.operator);
      const window = allocation.target.slice(start, end);
      return [venId, window.reduce((s, v) => s + v, 0) / window.length];
    })));
    return { targets, by: `the DR contract (ledger event ${request.orderId}, ${event.meterIds.length} customers${event.notBaselined?.length ? `, ${event.notBaselined.length} not baselined` : ''})` };
  };
}
