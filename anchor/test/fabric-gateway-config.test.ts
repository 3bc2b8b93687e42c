import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedFabric } from '../../test/support/fabric.js';
import { apiCall, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';
import { ATTRIBUTE } from '../chaincode/records.js';
import type { FabricContractEvent } from '../fabric/fabric-ledger.js';
import { householdDay, operator, retailer } from './scenario.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('chaincode events from a durable checkpoint', () => {
  it('hands each event over once across a restart of the follower, and retries an event whose handler failed', async () => {
    const network = await sharedFabric();
    const ledger = network.ledger();
    const suffix = Date.now().toString(36);
    const meter = `events-meter-${suffix}`;
    const checkpointFile = join(mkdtempSync(join(tmpdir(), 'fabric-events-')), 'checkpoint.json');
    const ours = (e: FabricContractEvent): boolean => JSON.stringify(e.payload).includes(meter);
    try {
      await ledger.submit('registerMeter', { meterId: meter, customerId: `erin-${suffix}`, retailerId: 'retailer-1' }, operator);
      const start = await ledger.height(operator);
      const record = (day: number) => ledger.submit('recordEnergy', { meterId: meter, date: `2026-11-${String(day).padStart(2, '0')}`, intervalMinutes: 15, values: householdDay(800, day) }, retailer);
      await record(1);
      await record(2);

      // First follower: handles both, then stops.
      const seen: FabricContractEvent[] = [];
      let controller = new AbortController();
      let following = ledger.followEvents(operator, { checkpointFile, startBlock: start, signal: controller.signal, onEvent: (e) => { if (ours(e)) seen.push(e); } });
      await until('the first two events', async () => seen.length >= 2);
      controller.abort();
      await following;

      // Written while nobody follows; the second follower's handler fails once on it.
      const third = await record(3);
      let failures = 0;
      controller = new AbortController();
      const errors: unknown[] = [];
      following = ledger.followEvents(operator, {
        checkpointFile, startBlock: start, signal: controller.signal, retryMs: 200, onError: (e) => errors.push(e),
        onEvent: (e) => {
          if (!ours(e)) return;
          if (e.txId === third.txId && failures++ === 0) throw new Error('handler down once');
          seen.push(e);
        },
      });
      await until('the third event', async () => seen.some((e) => e.txId === third.txId));
      await record(4);
      await until('the fourth event', async () => seen.length >= 4);
      controller.abort();
      await following;

      expect(seen.map((e) => (e.payload as { date: string }).date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']);
      expect(seen.every((e) => e.name === 'EnergyRecorded')).toBe(true);
      expect(failures).toBe(2);
      expect(errors).toHaveLength(1);
    } finally {
      ledger.close();
    }
  }, 180_000);
});

describe('flexbridge anchor run on an existing Fabric network', () => {
  let running: RunningVtn | undefined;
  afterAll(() => running?.vtn.stop());

  it('anchors the VTN feed through a configured gateway peer, TLS CA and signing certificates', async () => {
    const network = await sharedFabric();
    const work = mkdtempSync(join(tmpdir(), 'anchor-run-fabric-'));
    running = await startTlsVtn(join(work, 'vtn'));
    // What an operator of an existing network hands over: certificate and key files per role.
    const files = (role: 'operator' | 'retailer', attributes: Record<string, string>) => {
      const signer = network.signerFor({ id: `x509::CN=anchor-${role}`, mspId: role === 'operator' ? 'SystemOperatorMSP' : 'RetailerMSP', attributes });
      writeFileSync(join(work, `${role}.pem`), signer.certificatePem);
      writeFileSync(join(work, `${role}.key`), signer.privateKeyPem, { mode: 0o600 });
      return { mspId: signer.mspId, cert: join(work, `${role}.pem`), key: join(work, `${role}.key`) };
    };
    const peer = network.peerEndpoint('operator');
    const config = join(work, 'anchor.json');
    writeFileSync(config, JSON.stringify({
      vtnApiUrl: running.apiUrl, store: join(work, 'anchor.sqlite'), logLevel: 'warn',
      ledger: {
        kind: 'fabric', endpoint: peer.address, tlsCa: peer.tlsCaPath, hostOverride: peer.hostOverride, channel: network.channel, chaincode: network.chaincode,
        signers: { operator: files('operator', { [ATTRIBUTE.role]: 'operator' }), retailer: files('retailer', { [ATTRIBUTE.role]: 'retailer', [ATTRIBUTE.retailerId]: 'retailer-1' }) },
      },
    }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'anchor', 'run', '--config', config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    const eventId = `run-fabric-${Date.now().toString(36)}`;
    const reader = network.ledger();
    try {
      await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
      await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId, dtstart: Date.now() + 3_600_000, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
      let anchored: unknown;
      await until(`event ${eventId} on the Fabric ledger (anchor output:\n${output})`, async () => {
        anchored = await reader.current('eventVersion', [eventId, '0000000000'], operator);
        return Boolean(anchored);
      }, 60_000).catch((error: Error) => { throw new Error(`${error.message}\nanchor output:\n${output}`); });
      // Written by the configured operator certificate, not one the test made up later.
      expect(anchored).toMatchObject({ eventId, modificationNumber: 0 });
    } finally {
      reader.close();
      child.kill('SIGTERM');
    }
    expect(await new Promise((r) => child.once('exit', (code) => r(code)))).toBe(0);
  }, 180_000);
});
