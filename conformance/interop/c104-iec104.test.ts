import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnchorService, AnchorStore, EmbeddedLedger, httpFeedSource, type LedgerIdentity } from '../../anchor/index.js';
import { ATTRIBUTE } from '../../anchor/chaincode/records.js';
import { ControllingStation, valueOf, type Asdu } from '../../iec104/index.js';
import { UvamAdapter } from '../../vtn/index.js';
import { ManualClock, systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { readPem } from '../../src/pki.js';
import { freePort, startPeer, waitFor, type PeerProcess } from '../../test/support/python-peers.js';
import { startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { uvamVens } from '../../test/support/uvam-vens.js';
import type { GridOrderRecord } from '../../vtn/index.js';

// c104 (lib60870-C 2.x, from PyPI via `npm run setup`) on the other end of our IEC 104 code.
type PeerLine = Record<string, unknown> & { event: string };
const lines = (peer: PeerProcess): PeerLine[] => peer.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as PeerLine);
const operator: LedgerIdentity = { id: 'x509::CN=operator', mspId: 'SystemOperatorMSP', attributes: { [ATTRIBUTE.role]: 'operator' } };
const retailer: LedgerIdentity = { id: 'x509::CN=retailer', mspId: 'RetailerMSP', attributes: { [ATTRIBUTE.role]: 'retailer', [ATTRIBUTE.retailerId]: 'retailer-1' } };

describe('interop: c104 master → FlexBridge UVAM station → VTN → ledger', () => {
  let running: RunningVtn | undefined;
  afterAll(() => running?.vtn.stop());

  it('interrogates, synchronises the clock, receives the aggregate power every 4 s, and its setpoint becomes per-VEN events within 1 s, anchored', async () => {
    const work = mkdtempSync(join(tmpdir(), 'interop-c104-master-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const pki = testPki();
    const { vens, stop: stopVens } = await uvamVens(running, work, 'c104', [1200, 2400]);
    await running.vtn.operator.createProgram({ programId: 'uvam', name: 'UVAM', marketContext: 'http://flexbridge.example/uvam' });
    const adapter = new UvamAdapter({
      host: '127.0.0.1', port: 0, commonAddress: 1, powerIoa: 1000, setpointIoa: 2000, venIds: vens.map((v) => v.venId!), rId: 'power',
      programId: 'uvam', orderDurationMs: 900_000, periodMs: 4_000, clock: systemClock, logger: silentLogger,
    }, running.vtn.store, running.vtn.operator);
    const port = await adapter.start();
    const peer = startPeer('conformance/interop/c104_master.py', ['--port', String(port), '--setpoint', '1800', '--select', '--watch-seconds', '9']);
    try {
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([peer.exited, new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), 45_000); })]);
      clearTimeout(timer);
      const out = lines(peer);
      expect({ code, tail: code === 0 ? '' : peer.output().slice(-3000) }).toEqual({ code: 0, tail: '' });
      const steps = out.filter((l) => ['connected', 'interrogation', 'clock_sync'].includes(l.event)).map((l) => `${l.event}=${String(l.ok)}`).join(' ');
      expect({ steps, output: steps === 'connected=true interrogation=true clock_sync=true' ? '' : peer.output().slice(0, 4000) }).toEqual({ steps: 'connected=true interrogation=true clock_sync=true', output: '' });
      // What lib60870 decoded: the interrogation answer, then cyclic time-tagged values 4 s apart.
      const measurements = out.filter((l) => l.event === 'measurement' && l.ioa === 1000);
      expect(measurements.find((m) => m.cot === 'Cot.INTERROGATED_BY_STATION')).toMatchObject({ type: 'Type.M_ME_TF_1', value: 3600 });
      const periodic = measurements.filter((m) => m.cot === 'Cot.PERIODIC');
      expect(periodic.length).toBeGreaterThanOrEqual(2);
      const tags = periodic.map((m) => m.recorded_at as number);
      for (let i = 1; i < tags.length; i++) expect(Math.abs(tags[i]! - tags[i - 1]! - 4)).toBeLessThan(0.5);
      expect(out.find((l) => l.event === 'setpoint')).toMatchObject({ ok: true });

      // The order, its outcome and its per-VEN events, decided within 1 s of its arrival.
      const feed = await running.vtn.store.read.feedAfter(0, 10_000);
      const order = feed.find((e) => e.kind === 'gridOrder')!.data as GridOrderRecord;
      expect(order).toMatchObject({ source: 'iec104', setpointW: 1800, accepted: true });
      expect(order.decidedAt - order.receivedAt).toBeLessThan(1_000);
      const targets = Object.fromEntries(await Promise.all(order.eventIds.map(async (id) => {
        const event = (await running!.vtn.store.read.getEvent(id))!;
        return [(await running!.vtn.store.read.eventTargets(id))[0]!, (event.event.signals[0]!.intervals[0]!.payloads[0] as { value: number }).value];
      })));
      expect(targets).toEqual({ [vens[0]!.venId!]: 600, [vens[1]!.venId!]: 1200 });

      // The anchor puts the order and its outcome on the ledger.
      const nodeCert = pki.issue('c104-ledger-node', 'ecdsa');
      const ledger = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(nodeCert.keyPath), certificatePem: readPem(nodeCert.certPath) }, clock: new ManualClock(Date.now()) });
      const anchorStore = new AnchorStore(join(work, 'anchor.sqlite'));
      const anchor = new AnchorService({ source: httpFeedSource(running.apiUrl), clock: systemClock, logger: silentLogger, identities: { operator, retailer }, meters: {}, ledger, store: anchorStore });
      expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0 });
      expect(await ledger.evaluate('queryGridOrder', { orderId: order.orderId }, operator)).toMatchObject({ accepted: true, setpointW: 1800, eventIds: order.eventIds });
      anchorStore.close();
      ledger.close();
    } finally {
      peer.child.kill();
      await peer.exited;
      await adapter.stop();
      await stopVens();
    }
  }, 90_000);
});

describe('interop: FlexBridge controlling station → c104 station', () => {
  it('interrogates, synchronises the clock, sends direct, time-tagged and select-and-execute setpoints, and sees the station follow them', async () => {
    const port = await freePort();
    const peer = startPeer('conformance/interop/c104_station.py', ['--port', String(port), '--report-ms', '500', '--seconds', '40']);
    const describe = (): string => `c104 station output:\n${peer.output().slice(-3000)}`;
    try {
      await waitFor('the c104 station to listen', async () => (lines(peer).some((l) => l.event === 'ready') ? true : undefined), 20_000, describe);
      const received: Asdu[] = [];
      const master = await ControllingStation.connect({ host: '127.0.0.1', port, onAsdu: (a) => received.push(a) });
      const objects = await master.interrogate(1);
      expect(objects.map((o) => [o.type, o.ioa, valueOf(o)])).toEqual([['M_ME_NC_1', 1000, 4200], ['M_ME_TF_1', 1001, 4200]]);
      const sentAt = Date.now();
      await master.clockSync(1, sentAt);
      await master.setpoint({ commonAddress: 1, ioa: 2000, value: 1800 });
      await master.setpoint({ commonAddress: 1, ioa: 2001, value: 1700, timeTag: Date.now() });
      await master.setpoint({ commonAddress: 1, ioa: 2002, value: 1600, selectBeforeOperate: true });
      await waitFor('the station to report its new power', async () => (received.some((a) => a.cause === 1 && valueOf(a.objects[0]) === 1600) ? true : undefined), 10_000, describe);
      await master.close();
      const out = lines(peer);
      expect(Math.abs((out.find((l) => l.event === 'clock_sync')!.time as number) * 1000 - sentAt)).toBeLessThan(1_000);
      expect(out.filter((l) => l.event === 'setpoint').map((l) => [l.ioa, l.value])).toEqual([[2000, 1800], [2001, 1700], [2002, 1600]]);
    } finally {
      peer.child.kill();
      await peer.exited;
    }
  }, 60_000);
});
