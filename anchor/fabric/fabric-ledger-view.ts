import { common, msp, peer } from '@hyperledger/fabric-protos';
import type { DrEventRecord, TokenBalance } from '../chaincode/records.js';
import type { LedgerIdentity } from '../ledger/embedded-ledger.js';
import type { AnchorStore } from '../service/anchor-store.js';
import { withClock, type LedgerView } from '../service/ledger-view.js';
import { blockHeaderHash, type FabricLedger } from './fabric-ledger.js';

/** What the view should show: the DR events the caller orchestrated and the customers it knows. */
export interface FabricViewScope {
  readonly events: readonly DrEventRecord[];
  readonly customers: readonly { readonly meterId: string; readonly customerId: string }[];
}

export interface BlockSummary {
  readonly number: number;
  readonly hash: string;
  readonly prevHash: string;
  readonly transactions: number;
  readonly timestampMs: number;
  /** The organisations whose peers endorsed the block's transactions. */
  readonly endorsers: readonly string[];
}

/** Reads a block's transactions: their count, the first timestamp and every endorsing MSP. */
export function summariseBlock(block: common.Block): BlockSummary {
  const header = block.getHeader()!;
  const endorsers = new Set<string>();
  let timestampMs = 0;
  const data = block.getData()?.getDataList_asU8() ?? [];
  for (const bytes of data) {
    try {
      const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
      const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
      const ts = channelHeader.getTimestamp();
      if (ts && timestampMs === 0) timestampMs = ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6);
      if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) continue;
      for (const action of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
        const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
        for (const e of endorsed?.getEndorsementsList() ?? []) endorsers.add(msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid());
      }
    } catch {
      // A configuration block or an envelope we do not read: counted, not summarised.
    }
  }
  return {
    number: header.getNumber(), hash: blockHeaderHash(header).toString('hex'), prevHash: Buffer.from(header.getPreviousHash_asU8()).toString('hex'),
    transactions: data.length, timestampMs, endorsers: [...endorsers].sort(),
  };
}

/**
 * The dashboard's ledger panel on Fabric: the channel's latest blocks (with their endorsing
 * organisations) and the chain check, and for each DR event in scope the contract's allocation,
 * the measured day and the settlement, read through the operator's gateway. The chain is checked
 * again only when it has grown.
 */
export function fabricLedgerView(ledger: FabricLedger, operator: LedgerIdentity, scope: () => FabricViewScope, anchorStore?: AnchorStore, timeZone?: string): () => Promise<LedgerView> {
  let checked: LedgerView['verification'] | undefined;
  // A block never changes once committed: each is read and summarised once.
  const summaries = new Map<number, BlockSummary>();
  return async () => {
    const height = await ledger.height(operator);
    if (!checked || checked.checkedAtHeight !== height) checked = { ...(await ledger.verifyChain(operator)), checkedAtHeight: height };
    const blocks: BlockSummary[] = [];
    for (let n = height - 1; n >= Math.max(0, height - 20); n--) {
      let summary = summaries.get(n);
      if (!summary) summaries.set(n, (summary = summariseBlock(await ledger.block(operator, n))));
      blocks.push(summary);
    }
    for (const n of summaries.keys()) if (n < height - 20) summaries.delete(n);
    const { events, customers } = scope();
    const drEvents = await Promise.all(events.map(async ({ meterIds, ...event }) => ({
      ...event, ...withClock(event),
      customers: await Promise.all(meterIds.map(async (meterId) => {
        const a = await ledger.evaluate('queryLoadReduction', { eventId: event.eventId, meterId }, operator);
        const settled = await ledger.evaluate('querySettlement', { eventId: event.eventId, meterId }, operator).catch(() => undefined);
        const measured = settled?.measured ?? (await ledger.evaluate('queryEnergy', { meterId, date: event.date }, operator).then((e) => e.values, () => undefined));
        return {
          meterId, customerId: a.customerId, baseline: a.baseline, target: a.target, reduction: a.reduction, availability: a.availability,
          ...(measured ? { measured } : {}),
          ...(settled ? { settlement: { reward: settled.reward, performance: settled.performance, compliantIntervals: settled.compliantIntervals, eventIntervals: settled.eventIntervals } } : {}),
        };
      })),
    })));
    const tokens: TokenBalance[] = await Promise.all(customers.map((c) => ledger.evaluate('balanceOf', { customerId: c.customerId }, operator)));
    return {
      backend: 'fabric', height, verification: checked, ...(timeZone ? { timeZone } : {}), blocks, drEvents, tokens: tokens.filter((t) => t.balance > 0), gridOrders: [],
      quarantined: anchorStore?.quarantined().slice(-50) ?? [],
    };
  };
}
