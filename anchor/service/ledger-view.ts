import type { AllocationRecord, DrEventRecord, GridOrderLedgerRecord, SettlementRecord, TokenBalance } from '../chaincode/records.js';
import type { ChainCheck, EmbeddedLedger, LedgerIdentity } from '../ledger/embedded-ledger.js';
import type { AnchorStore, QuarantinedEntry } from './anchor-store.js';

/** What the dashboard shows of the ledger: plain JSON, so the VTN needs no ledger types. */
export interface LedgerView {
  readonly backend: string;
  readonly height: number;
  readonly verification: ChainCheck & { readonly checkedAtHeight: number };
  /** The latest blocks; on Fabric with the organisations that endorsed their transactions. */
  readonly blocks: readonly { number: number; hash: string; prevHash: string; transactions: number; timestampMs: number; endorsers?: readonly string[] }[];
  readonly drEvents: readonly (Omit<DrEventRecord, 'meterIds'> & {
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
export function embeddedLedgerView(ledger: EmbeddedLedger, operator: LedgerIdentity, anchorStore?: AnchorStore): () => Promise<LedgerView> {
  let checked: LedgerView['verification'] | undefined;
  return async () => {
    const height = ledger.height();
    if (!checked || checked.checkedAtHeight !== height) checked = { ...ledger.verifyChain(), checkedAtHeight: height };
    const allocations = ledger.records<AllocationRecord>('allocation');
    const settlements = ledger.records<SettlementRecord>('settlement');
    const drEvents = await Promise.all(ledger.records<DrEventRecord>('drEvent').map(async ({ meterIds: _meterIds, ...event }) => ({
      ...event,
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
      backend: 'embedded', height, verification: checked,
      blocks: ledger.recentBlocks(20).map((b) => ({ number: b.number, hash: b.hash, prevHash: b.prevHash, transactions: b.txIds.length, timestampMs: b.timestampMs })),
      drEvents, tokens: ledger.records<TokenBalance>('tokens'), gridOrders: ledger.records<GridOrderLedgerRecord>('gridOrder'),
      quarantined: anchorStore?.quarantined().slice(-50) ?? [],
    };
  };
}
