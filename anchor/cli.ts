import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import { checkProof, type LedgerProof } from './ledger/proof.js';
import { EmbeddedLedger } from './ledger/embedded-ledger.js';
import { reconcile } from './service/reconcile.js';
import { AnchorStore } from './service/anchor-store.js';
import { ATTRIBUTE, type AllocationRecord, type DrEventRecord, type SettlementRecord } from './chaincode/records.js';
import { checkFabricProof, exportFabricProof, type FabricTransactionProof } from './fabric/fabric-proof.js';
import { FabricNetwork, ORGANISATIONS } from './fabric/network.js';
import { httpFeedSource } from './service/vtn-feed-client.js';
import { runAnchorService } from './run-command.js';

const USAGE = `usage:
  flexbridge anchor run --config FILE                           follow the VTN's live feed onto the embedded ledger
  flexbridge anchor verify --ledger FILE --node-cert PEM [--vtn API_URL [--token T]] [--anchor-store FILE]
                                                                recompute the chain, history and world state;
                                                                with --vtn, reconcile the VTN's records against the ledger
  flexbridge anchor proof  --ledger FILE --node-cert PEM settlement EVENT_ID METER_ID > proof.json
  flexbridge anchor proof  --ledger FILE --node-cert PEM TYPE KEY... > proof.json
                                                                any record: gridOrder ORDER_ID (e.g. an upstream event's
                                                                version, upstream-up-ID-v0), eventVersion EVENT_ID VERSION, …
  flexbridge anchor proof  --fabric DIR tx TX_ID > proof.json   a Fabric transaction: its block, endorsements and the
                                                                channel's CA certificates (network of 'flexbridge fabric up')
  flexbridge anchor check  PROOF.json [--node-cert PEM]         check a proof offline (embedded or Fabric)
  flexbridge anchor baseline-report --ledger FILE --node-cert PEM EVENT_ID
                                                                each customer of a DR event: baseline method, how well it
                                                                back-casts recent ordinary days, reward or why withheld
  flexbridge anchor events --fabric DIR [--checkpoint FILE] [--from-block N]
                                                                the contract's events on a Fabric network, one JSON line
                                                                each, resuming after the last one printed (checkpoint
                                                                default DIR/events.checkpoint) until interrupted`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function positional(args: string[]): string[] {
  return args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/** The baseline-accuracy table of one DR event, from the ledger's records (undefined: no such event). */
export function baselineReport(ledger: EmbeddedLedger, eventId: string): string | undefined {
  const event = ledger.history('drEvent', [eventId]).at(-1)?.value as DrEventRecord | null | undefined;
  if (!event) return undefined;
  const rules = event.baselineRules?.maxRelativeRmse !== undefined ? `paid only at a relative RMSE ≤ ${pct(event.baselineRules.maxRelativeRmse)}` : 'no accuracy rule';
  const lines = [`DR event ${eventId} on ${event.date} (notified ${event.notifiedOn}), ${event.meterIds.length} customers baselined, ${rules}`, ''];
  const header = ['meter', 'customer', 'method', 'back-cast days', 'relative RMSE', 'bias', 'reward', 'note'];
  const rows = event.meterIds.map((meterId) => {
    const allocation = ledger.history('allocation', [eventId, meterId]).at(-1)?.value as AllocationRecord | undefined;
    const settlement = ledger.history('settlement', [eventId, meterId]).at(-1)?.value as SettlementRecord | undefined;
    const accuracy = allocation?.baselineAccuracy;
    return [meterId, allocation?.customerId ?? '?', allocation?.baselineMethod ?? '?', accuracy ? String(accuracy.days.length) : '—',
      accuracy ? pct(accuracy.relativeRmse) : 'too little history', accuracy ? pct(accuracy.relativeBias) : '—',
      settlement ? settlement.reward.toFixed(2) : 'not settled', settlement?.withheld ? `withheld: ${settlement.withheld}` : ''];
  });
  for (const n of event.notBaselined ?? []) rows.push([n.meterId, '?', 'not baselined', '—', '—', '—', '—', `${n.eligibleDays} of ${n.requiredDays} history days`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  lines.push(format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format));
  return lines.join('\n');
}

function openReadOnly(args: string[]): EmbeddedLedger | undefined {
  const path = option(args, '--ledger');
  const cert = option(args, '--node-cert');
  if (!path || !cert) return undefined;
  return new EmbeddedLedger({ path, node: { certificatePem: readFileSync(cert, 'utf8') }, clock: systemClock });
}

/** `flexbridge anchor verify|proof|check`. */
export async function runAnchor(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || rest.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'run') return runAnchorService(rest);
  if (command === 'verify') {
    const ledger = openReadOnly(rest);
    if (!ledger) { console.error(USAGE); return 2; }
    const check = ledger.verifyChain();
    console.log(check.ok ? `ledger verified: ${check.blocks} blocks, chain, signatures, history and world state consistent` : `LEDGER DIVERGES (${check.problems.length} problems):`);
    for (const p of check.problems) console.log(`  ${p}`);
    // The anchor's own store: VTN records it set aside (quarantined) or the ledger refused.
    const anchorStorePath = option(rest, '--anchor-store');
    let clean = true;
    if (anchorStorePath) {
      const store = new AnchorStore(anchorStorePath);
      const held = store.quarantined();
      const refused = store.failed();
      store.close();
      clean = held.length === 0 && refused.length === 0;
      console.log(clean ? 'anchor store: nothing quarantined, nothing refused' : `ANCHOR STORE HOLDS ${held.length} quarantined and ${refused.length} refused records:`);
      for (const q of held) console.log(`  quarantined feed entry ${q.offset} (${q.kind}): ${q.reason}`);
      for (const r of refused) console.log(`  refused ${r.fn} ${r.txId}: ${r.lastError ?? ''}`);
    }
    const vtn = option(rest, '--vtn');
    let reconciled = true;
    if (vtn) {
      const result = await reconcile(ledger, httpFeedSource(vtn, option(rest, '--token')));
      reconciled = result.divergences.length === 0;
      console.log(reconciled
        ? `VTN and ledger agree: ${result.checkedEventVersions} event versions, ${result.checkedTelemetryWindows} telemetry windows`
        : `VTN AND LEDGER DIVERGE (${result.divergences.length}):`);
      for (const d of result.divergences) console.log(`  ${d}`);
    }
    ledger.close();
    return check.ok && reconciled && clean ? 0 : 1;
  }
  if (command === 'proof' && option(rest, '--fabric')) {
    const [kind, txId] = positional(rest);
    if (kind !== 'tx' || !txId) { console.error(USAGE); return 2; }
    const network = new FabricNetwork({ dir: option(rest, '--fabric')! });
    const ledger = network.ledger();
    try {
      const reader = { id: 'x509::CN=proof-reader', mspId: 'SystemOperatorMSP', attributes: { [ATTRIBUTE.role]: 'operator' } };
      const proof = await exportFabricProof(ledger, reader, txId, { channel: network.channel, chaincode: network.chaincode, allOf: ORGANISATIONS.map((o) => o.mspId) });
      console.log(JSON.stringify(proof, null, 2));
      return 0;
    } finally {
      ledger.close();
    }
  }
  if (command === 'proof') {
    const ledger = openReadOnly(rest);
    const [kind, ...keys] = positional(rest);
    if (!ledger || !kind || !/^[a-zA-Z]+$/.test(kind) || keys.length === 0) { ledger?.close(); console.error(USAGE); return 2; }
    const proof = ledger.exportProof(kind, keys);
    ledger.close();
    if (!proof) { console.error(kind === 'settlement' ? `no settlement of event ${keys[0]} for meter ${keys[1] ?? '?'}` : `no ${kind} record ${keys.join(' ')} on this ledger`); return 1; }
    console.log(JSON.stringify(proof, null, 2));
    return 0;
  }
  if (command === 'baseline-report') {
    const ledger = openReadOnly(rest);
    const [eventId] = positional(rest);
    if (!ledger || !eventId) { console.error(USAGE); return 2; }
    try {
      const report = baselineReport(ledger, eventId);
      if (!report) { console.error(`no DR event ${eventId} on this ledger`); return 1; }
      console.log(report);
      return 0;
    } finally {
      ledger.close();
    }
  }
  if (command === 'events') {
    const dir = option(rest, '--fabric');
    if (!dir) { console.error(USAGE); return 2; }
    const fromBlock = Number(option(rest, '--from-block') ?? 0);
    if (!Number.isInteger(fromBlock) || fromBlock < 0) { console.error('--from-block is a block number'); return 2; }
    const network = new FabricNetwork({ dir });
    if (!network.status().ready) { console.error(`no running Fabric network in ${dir}: run 'flexbridge fabric up --dir ${dir}' first`); return 1; }
    const ledger = network.ledger();
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const reader = { id: 'x509::CN=event-reader', mspId: 'SystemOperatorMSP', attributes: { [ATTRIBUTE.role]: 'operator' } };
      await ledger.followEvents(reader, {
        checkpointFile: option(rest, '--checkpoint') ?? join(dir, 'events.checkpoint'), startBlock: fromBlock, signal: controller.signal,
        onEvent: (event) => { console.log(JSON.stringify(event)); },
        onError: (error) => console.error(`events: ${(error as Error).message ?? String(error)}; reconnecting`),
      });
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      ledger.close();
    }
  }
  if (command === 'check') {
    const [file] = positional(rest);
    if (!file) { console.error(USAGE); return 2; }
    const cert = option(rest, '--node-cert');
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { kind?: string };
    if (parsed.kind === 'fabric-transaction') {
      const fabric = checkFabricProof(parsed as FabricTransactionProof);
      console.log(fabric.ok
        ? `proof holds: transaction in block ${fabric.blockNumber}, VALID, endorsed by ${fabric.endorsedBy.join(' and ')}, created by ${fabric.creator?.subject ?? '?'} (${fabric.creator?.mspId ?? '?'})`
        : 'PROOF DOES NOT HOLD:');
      for (const p of fabric.problems) console.log(`  ${p}`);
      if (fabric.ok) for (const w of fabric.writes) console.log(`  wrote ${w.key} = ${w.value}`);
      return fabric.ok ? 0 : 1;
    }
    const result = checkProof(parsed as LedgerProof, cert ? readFileSync(cert, 'utf8') : undefined);
    console.log(result.ok ? `proof holds: block ${result.blockNumber} (tip ${result.tipNumber}), signed by ${result.nodeSubject} (certificate SHA-256 ${result.nodeCertificateSha256})` : 'PROOF DOES NOT HOLD:');
    for (const p of result.problems) console.log(`  ${p}`);
    if (result.ok) console.log(JSON.stringify(result.record, null, 2));
    return result.ok ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}
