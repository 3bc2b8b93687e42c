import type { AllocationRecord, DrEventRecord, GridOrderLedgerRecord, SettlementRecord, TokenBalance } from '../chaincode/records.js';
import type { ChainCheck, EmbeddedLedger, LedgerIdentity } from '../ledger/embedded-ledger.js';
import type { AnchorStore, QuarantinedEntry } from './anchor-store.js';
import { localDay, type LocalDay } from '../../src/local-day.js';

/** Where an event day's local hours fall among its intervals, for plot axes (a change day has 23 or 25 hours). */
export interface LocalClock {
  readonly timeZone: string;
  /** Interval index of local 00:00, 06:00, 12:00, 18:00 and the end of the day, with their labels. */
  readonly ticks: readonly { readonly index: number; readonly label: string }[];
  /** The event window in local clock time, e.g. 07:00–19:00. */
  readonly window: string;
}

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The event's local day; its interval length is the one whose count matches the event's intervals. */
function eventDay(event: Pick<DrEventRecord, 'date' | 'intervals' | 'timeZone'>): LocalDay | undefined {
  for (const minutes of [15, 5, 10, 30, 60, 1]) {
    const day = localDay(event.date, event.timeZone ?? 'UTC', minutes);
    if (day.intervals === event.intervals) return day;
  }
  return undefined;
}

/** The local clock of a DR event's day, as the dashboard draws it. */
export function localClockOf(event: Pick<DrEventRecord, 'date' | 'intervals' | 'timeZone' | 'start' | 'end'>): LocalClock | undefined {
  const day = eventDay(event);
  if (!day) return undefined;
  const minutesOf = (k: number): number => day.slots[k]! * day.intervalMinutes;
  const ticks = day.slots.flatMap((slot, index) => (slot * day.intervalMinutes % 360 === 0 && day.slots.indexOf(slot) === index ? [{ index, label: hhmm(slot * day.intervalMinutes) }] : []));
  const end = event.end < day.intervals ? hhmm(minutesOf(event.end)) : '24:00';
  return { timeZone: day.timeZone, ticks: [...ticks, { index: day.intervals, label: '24:00' }], window: `${hhmm(minutesOf(event.start))}–${end}` };
}

/** What the dashboard shows of the ledger: plain JSON, so the VTN needs no ledger types. */
export interface LedgerView {
  readonly backend: string;
  readonly height: number;
  readonly verification: ChainCheck & { readonly checkedAtHeight: number };
  /** The latest blocks; on Fabric with the organisations that endorsed their transactions. */
  readonly blocks: readonly { number: number; hash: string; prevHash: string; transactions: number; timestampMs: number; endorsers?: readonly string[] }[];
  /** The zone timestamps are shown in (the program's; default UTC). */
  readonly timeZone?: string;
  readonly drEvents: readonly (Omit<DrEventRecord, 'meterIds'> & {
    /** The event day's local hours (absent for a day that cannot be laid out). */
    readonly clock?: LocalClock;
    readonly customers: readonly {
      readonly meterId: string;
      readonly customerId: string;
      readonly baseline: readonly number[];
      readonly target: readonly number[];
      readonly reduction: readonly number[];
      readonly availability: readonly number[];
      /** From the settlement, or from the recorded meter-day before settlement; absent until then. */
      readonly measured?: readonly number[];
      readonly settlement?: Pick<SettlementRecord, 'reward' | 'performance' | 'compliantIntervals' | 'eventIntervals'>;
    }[];
  })[];
  readonly tokens: readonly TokenBalance[];
  readonly gridOrders: readonly GridOrderLedgerRecord[];
  /** VTN records the anchor could not write: kept with their reason (the most recent 50). */
  readonly quarantined: readonly QuarantinedEntry[];
}

/**
 * A view of an embedded ledger for the dashboard. The chain is verified again only when it has
 * grown, so that a dashboard refreshing every few seconds costs little.
 */
export function embeddedLedgerView(ledger: EmbeddedLedger, operator: LedgerIdentity, anchorStore?: AnchorStore, timeZone?: string): () => Promise<LedgerView> {
  let checked: LedgerView['verification'] | undefined;
  return async () => {
    const height = ledger.height();
    if (!checked || checked.checkedAtHeight !== height) checked = { ...ledger.verifyChain(), checkedAtHeight: height };
    const allocations = ledger.records<AllocationRecord>('allocation');
    const settlements = ledger.records<SettlementRecord>('settlement');
    const drEvents = await Promise.all(ledger.records<DrEventRecord>('drEvent').map(async ({ meterIds: _meterIds, ...event }) => ({
      ...event, ...withClock(event),
      customers: await Promise.all(allocations.filter((a) => a.eventId === event.eventId).map(async (a) => {
        const settled = settlements.find((s) => s.eventId === a.eventId && s.meterId === a.meterId);
        const measured = settled?.measured ?? (await ledger.evaluate('queryEnergy', { meterId: a.meterId, date: event.date }, operator).then((e) => e.values, () => undefined));
        return {
          meterId: a.meterId, customerId: a.customerId, baseline: a.baseline, target: a.target, reduction: a.reduction, availability: a.availability,
          ...(measured ? { measured } : {}),
          ...(settled ? { settlement: { reward: settled.reward, performance: settled.performance, compliantIntervals: settled.compliantIntervals, eventIntervals: settled.eventIntervals } } : {}),
        };
      })),
    })));
    return {
      backend: 'embedded', height, verification: checked, ...(timeZone ? { timeZone } : {}),
      blocks: ledger.recentBlocks(20).map((b) => ({ number: b.number, hash: b.hash, prevHash: b.prevHash, transactions: b.txIds.length, timestampMs: b.timestampMs })),
      drEvents, tokens: ledger.records<TokenBalance>('tokens'), gridOrders: ledger.records<GridOrderLedgerRecord>('gridOrder'),
      quarantined: anchorStore?.quarantined().slice(-50) ?? [],
    };
  };
}

/** The event's local clock, when its day can be laid out. */
export function withClock(event: Pick<DrEventRecord, 'date' | 'intervals' | 'timeZone' | 'start' | 'end'>): { clock?: LocalClock } {
  const clock = localClockOf(event);
  return clock ? { clock } : {};
}
