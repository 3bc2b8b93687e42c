import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationFromMs, type OadrRegisteredReport } from '../../schemas/index.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { sharedFabric } from '../../test/support/fabric.js';
import { apiCall, postOadr, startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { AnchorService, AnchorStore, httpFeedSource, reconcile, type FabricNetwork } from '../index.js';
import { operator, retailer } from './scenario.js';

// Faults on the real network while the anchor writes: a Raft orderer and a peer killed with
// SIGKILL, and a SmartBFT ordering service with one orderer stopped.

function killHard(network: FabricNetwork, name: string): void {
  const process_ = network.processNamed(name);
  if (!process_) throw new Error(`no ${name} in the network`);
  process.kill(process_.pid, 'SIGKILL');
}

/** A VTN with one registered VEN that sends `windows` telemetry windows, and an event with two versions. */
async function busyVtn(work: string, windows: number, tag: string): Promise<{ running: RunningVtn; venId: string }> {
  const running = await startTlsVtn(join(work, 'vtn'));
  const pki = testPki();
  const cert = pki.issue(`fault-ven-${tag}`, 'ecdsa');
  const venId = createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex').slice(-20);
  await postOadr(running.oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true }, cert, pki);
  const registered = (await postOadr(running.oadrUrl, 'EiReport', { type: 'oadrRegisterReport', requestId: 'rr', venId, reports: [{ reportRequestId: '0', reportSpecifierId: 'usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read' }] }] }, cert, pki)).message as OadrRegisteredReport;
  const reportRequestId = registered.reportRequests![0]!.reportRequestId;
  const start = Date.now() - windows * 900_000 * 4;
  for (let w = 0; w < windows; w++) {
    await postOadr(running.oadrUrl, 'EiReport', {
      type: 'oadrUpdateReport', requestId: `u${w}`, venId, reports: [{ reportRequestId, reportSpecifierId: 'usage', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
        intervals: [0, 1, 2, 3].map((i) => ({ dtstart: { epochMs: start + (w * 4 + i) * 900_000, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value: 1000 + w } }] })) }],
    }, cert, pki);
  }
  await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
  await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId: `fault-${tag}`, dtstart: Date.now() + 3_600_000, targets: { venIds: [venId] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
  await apiCall(running.apiUrl, 'POST', `/api/events/fault-${tag}/cancel`, {});
  return { running, venId };
}

/** Runs the anchor until nothing is pending (the clock moves past each backoff). */
async function drain(anchor: AnchorService, clock: ManualClock): Promise<ReturnType<AnchorService['backlog']>> {
  let backlog = await anchor.runOnce();
  for (let i = 0; i < 60 && backlog.pending > 0; i++) {
    clock.advance(120_000);
    await new Promise((r) => setTimeout(r, 500));
    backlog = await anchor.runOnce();
  }
  return backlog;
}

describe('anchoring on Fabric through faults', () => {
  let running: RunningVtn | undefined;
  afterEach(async () => { await running?.vtn.stop(); running = undefined; });

  it('goes on when one Raft orderer of three is killed, and loses nothing', async () => {
    const network = await sharedFabric('raft');
    const work = mkdtempSync(join(tmpdir(), 'fabric-orderer-kill-'));
    const tag = `o${Date.now().toString(36)}`;
    ({ running } = await busyVtn(work, 8, tag));
    const ledger = network.ledger();
    const clock = new ManualClock(Date.now());
    const anchor = new AnchorService({ source: httpFeedSource(running.apiUrl), ledger, store: new AnchorStore(join(work, 'anchor.sqlite')), clock, logger: silentLogger, identities: { operator, retailer }, meters: {}, minBackoffMs: 1_000 });
    try {
      killHard(network, 'orderer0');
      expect(await drain(anchor, clock)).toMatchObject({ pending: 0, failed: 0, quarantined: 0 });
      const agreed = await reconcile((type, parts) => ledger.current(type, parts, operator), httpFeedSource(running.apiUrl));
      expect(agreed).toMatchObject({ divergences: [], checkedTelemetryWindows: 8, checkedEventVersions: 2 });
    } finally {
      await network.restart('orderer0');
      ledger.close();
    }
  }, 300_000);

  it('drains its outbox after a peer is killed mid-stream and restarted, writing each record once', async () => {
    const network = await sharedFabric('raft');
    const work = mkdtempSync(join(tmpdir(), 'fabric-peer-kill-'));
    const tag = `p${Date.now().toString(36)}`;
    ({ running } = await busyVtn(work, 8, tag));
    const ledger = network.ledger();
    const clock = new ManualClock(Date.now());
    const store = new AnchorStore(join(work, 'anchor.sqlite'));
    const anchor = new AnchorService({ source: httpFeedSource(running.apiUrl), ledger, store, clock, logger: silentLogger, identities: { operator, retailer }, meters: {}, minBackoffMs: 1_000 });
    try {
      // The retailer's peer dies while the anchor writes: every write needs its endorsement.
      const writing = anchor.runOnce();
      await new Promise((r) => setTimeout(r, 300));
      killHard(network, 'peer0.retailer');
      const during = await writing;
      expect(during.pending + during.done).toBeGreaterThan(0);
      await network.restart('peer0.retailer');
      expect(await drain(anchor, clock)).toMatchObject({ pending: 0, failed: 0 });
      const agreed = await reconcile((type, parts) => ledger.current(type, parts, operator), httpFeedSource(running.apiUrl));
      expect(agreed).toMatchObject({ divergences: [], checkedTelemetryWindows: 8, checkedEventVersions: 2 });
      // Written once: a record keeps the transaction that first wrote it, whatever was retried.
      const version = await ledger.current('eventVersion', [`fault-${tag}`, '0000000000'], operator) as { txId: string };
      const again = await ledger.submit('recordEventVersion', { ...(version as unknown as Record<string, unknown>), txId: undefined } as never, operator);
      expect((again.result as { txId: string }).txId).toBe(version.txId);
    } finally {
      if (!network.status().processes.find((p) => p.name === 'peer0.retailer')?.running) await network.restart('peer0.retailer');
      store.close();
      ledger.close();
    }
  }, 300_000);

  it('anchors an event on SmartBFT (four orderers) with one orderer stopped', async () => {
    const network = await sharedFabric('bft');
    const ledger = network.ledger();
    try {
      killHard(network, 'orderer3');
      const tag = `b${Date.now().toString(36)}`;
      const args = { eventId: `bft-${tag}`, modificationNumber: 0, contentSha256: 'a'.repeat(64), programId: 'p', dtstart: Date.now(), durationMs: 3_600_000, status: 'issued' as const };
      const written = await ledger.submit('recordEventVersion', args, operator);
      expect(written.blockNumber).toBeGreaterThan(0);
      expect(await ledger.current('eventVersion', [`bft-${tag}`, '0000000000'], operator)).toMatchObject({ eventId: `bft-${tag}`, txId: written.txId });
      expect(await ledger.verifyChain(operator)).toMatchObject({ ok: true });
    } finally {
      await network.restart('orderer3');
      ledger.close();
    }
  }, 300_000);
});
