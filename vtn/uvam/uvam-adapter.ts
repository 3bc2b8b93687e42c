import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import { ControlledStation, type ControlledStationOptions, type SetpointOrder } from '../../iec104/index.js';
import type { OperatorService } from '../service/index.js';
import type { VtnStore } from '../store/store.js';

export interface UvamOptions {
  readonly host: string;
  readonly port: number;
  readonly commonAddress: number;
  /** IOA of the aggregate power measurement and of the TSO's setpoint (Terna's plans are private: configure them). */
  readonly powerIoa: number;
  readonly setpointIoa: number;
  /** The UVAM's VENs: their latest TELEMETRY_USAGE readings add up to its power. */
  readonly venIds: readonly string[];
  /** rID of the power readings. */
  readonly rId: string;
  /** The program events are created in, and how long an order holds (Terna: executed within 15 min). */
  readonly programId: string;
  readonly orderDurationMs: number;
  readonly periodMs?: number;
  /** Orders outside this range (W) are refused (default 0 W to 100 MW). */
  readonly setpointRange?: { readonly min: number; readonly max: number };
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Shares an order among the VENs (the DR contract on the ledger, wired by the application);
   * without one, or when it does not answer within `allocationDeadlineMs`, the setpoint is shared
   * by present power and the grid order records that fallback and why.
   */
  readonly allocator?: UvamAllocator;
  /** How long the allocator may take, so the station still confirms within 1 s of the order (default 700 ms). */
  readonly allocationDeadlineMs?: number;
  /** Transport options of the station: TLS, redundancy groups, timers. */
  readonly station?: Pick<ControlledStationOptions, 'tls' | 'redundancyGroups' | 't0Ms' | 'link' | 'backlogLimit'>;
}

/** What an allocator is asked: share `setpointW` (the UVAM's aggregate target) among these VENs. */
export interface UvamAllocationRequest {
  readonly orderId: string;
  readonly setpointW: number;
  readonly receivedAt: number;
  readonly durationMs: number;
  /** Each VEN's present power (W). */
  readonly powers: ReadonlyMap<string, number>;
}

/** Each VEN's target power (W) for the order, and who decided it (recorded with the order). */
export interface UvamAllocation {
  readonly targets: ReadonlyMap<string, number>;
  readonly by: string;
}

export type UvamAllocator = (request: UvamAllocationRequest) => Promise<UvamAllocation>;

/**
 * The UVAM's IEC 104 interface device (seed 002 §5.7): reports the aggregate power of its VENs to
 * the TSO every 4 s, and turns an accepted setpoint order into a VTN DR event for those VENs
 * (LOAD_DISPATCH setpoint, the aggregate target split by each VEN's share of the present power).
 * The order, its outcome and its events are written in one VTN transaction before the station
 * confirms; the anchor then records the order (recordGridOrder) and each event version on the ledger.
 */
export class UvamAdapter {
  readonly station: ControlledStation;
  private latestW = 0;
  private orderSeq = 0;
  private refresh: NodeJS.Timeout | undefined;
  /** The events of the last accepted order: a new order replaces them. */
  private currentOrderEvents: readonly string[] = [];

  constructor(private readonly options: UvamOptions, private readonly store: VtnStore, private readonly operator: OperatorService) {
    this.station = new ControlledStation({
      ...options.station,
      host: options.host, port: options.port, commonAddress: options.commonAddress, periodMs: options.periodMs ?? 4_000, clock: options.clock, logger: options.logger,
      measurements: () => [{ ioa: options.powerIoa, value: this.latestW }], setpointIoas: [options.setpointIoa],
      setpointRange: options.setpointRange ?? { min: 0, max: 100e6 },
      onSetpoint: (order) => this.onOrder(order),
    });
  }

  async start(): Promise<number> {
    await this.updatePower();
    this.refresh = setInterval(() => {
      // A timer callback must never reject out of the process: a store error is logged and retried next tick.
      this.updatePower().catch((error: unknown) => this.options.logger.error('UVAM power not updated', { reason: error instanceof Error ? error.message : String(error) }));
    }, Math.min(1_000, this.options.periodMs ?? 4_000));
    return (await this.station.listen()).port;
  }

  async stop(): Promise<void> {
    clearInterval(this.refresh);
    await this.station.close();
  }

  /** Power of each VEN now: its most recent reading of the configured data point. */
  async powers(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const venId of this.options.venIds) {
      // Runs every second: one row per VEN, not the day's readings.
      const last = await this.store.read.latestReading(venId, this.options.rId, this.options.clock.now() - 86_400_000);
      if (last && last.payload.value.kind === 'float' && Number.isFinite(last.payload.value.value)) out.set(venId, last.payload.value.value);
    }
    return out;
  }

  private async updatePower(): Promise<void> {
    const before = this.latestW;
    this.latestW = [...(await this.powers()).values()].reduce((s, v) => s + v, 0);
    // A significant change (> 5 %) goes out at once, not only at the next cycle.
    if (before > 0 && Math.abs(this.latestW - before) / before > 0.05) this.station.sendSpontaneous();
  }

  private async onOrder(order: SetpointOrder): Promise<boolean> {
    const base = { orderId: `iec104-${order.receivedAt}-${order.ioa}-${this.orderSeq++}`, source: 'iec104', origin: order.peer, setpointW: order.value, receivedAt: order.receivedAt };
    const refuse = async (reason: string): Promise<boolean> => {
      await this.operator.applyGridOrder(base, { refused: reason });
      this.options.logger.warn('TSO setpoint order refused', { ...base, reason });
      return false;
    };
    if (!Number.isFinite(order.value) || order.value < 0) return refuse('setpoint must be a non-negative power in W');
    const powers = await this.powers();
    const total = [...powers.values()].reduce((s, v) => s + v, 0);
    if (powers.size === 0 || total <= 0) return refuse('the UVAM has no measured power to share the setpoint by');
    const start = this.options.clock.now();
    const { targets, by } = await this.allocate({ orderId: base.orderId, setpointW: order.value, receivedAt: order.receivedAt, durationMs: this.options.orderDurationMs, powers }, total);
    const events = [...targets].map(([venId, target]) => ({
      programId: this.options.programId, dtstart: start - (start % 1000), targets: { venIds: [venId] }, priority: 0,
      vtnComment: `TSO setpoint order ${order.value} W for the UVAM (IEC 104 IOA ${order.ioa}, order ${base.orderId}), allocated by ${by}`,
      signals: [{ signalName: 'LOAD_DISPATCH' as const, signalType: 'setpoint' as const, intervals: [{ durationMs: this.options.orderDurationMs, value: Math.round(target) }] }],
    }));
    const record = await this.operator.applyGridOrder(base, { events, supersedes: this.currentOrderEvents, allocatedBy: by });
    this.currentOrderEvents = record.eventIds;
    this.options.logger.info('TSO setpoint order turned into DR events', { orderId: record.orderId, setpointW: order.value, events: record.eventIds, allocatedBy: by, tookMs: record.decidedAt - record.receivedAt });
    return true;
  }

  /** The allocator's answer if it comes in time and is usable; else each VEN keeps its share of the present power. */
  private async allocate(request: UvamAllocationRequest, total: number): Promise<UvamAllocation> {
    const byPower = (why: string): UvamAllocation => ({
      targets: new Map([...request.powers].map(([venId, power]) => [venId, (request.setpointW * power) / total])),
      by: `fallback: share of present power (${why})`,
    });
    const allocator = this.options.allocator;
    if (!allocator) return { ...byPower('no allocator configured'), by: 'share of present power' };
    const deadlineMs = this.options.allocationDeadlineMs ?? 700;
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        allocator(request),
        new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), deadlineMs); }),
      ]);
      if (!answer) return byPower(`the allocator did not answer within ${deadlineMs} ms`);
      const usable = answer.targets.size > 0 && [...answer.targets].every(([venId, w]) => request.powers.has(venId) && Number.isFinite(w) && w >= 0);
      return usable ? answer : byPower(`the allocator's answer was unusable`);
    } catch (error) {
      return byPower(`the allocator failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
