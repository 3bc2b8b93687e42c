import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { readPem } from '../../src/pki.js';
import { COT } from '../../iec104/index.js';
import { contractAllocator, EmbeddedLedger } from '../../anchor/index.js';
import { dates, operator, retailer } from '../../anchor/test/scenario.js';
import { UvamAdapter, type GridOrderRecord, type UvamAllocator } from '../../vtn/index.js';
import { iec104Controlling, until } from '../support/iec104-controlling.js';
import { uvamVens } from '../support/uvam-vens.js';
import { startTlsVtn, testPki, type RunningVtn } from '../support/vtn-harness.js';

// Seed 002 §5.7 with §4.5: a TSO setpoint over IEC 104 is allocated by the DR contract on the
// ledger (baselines, availability, the residual loop), and still confirmed within 1 s of arriving.
describe('UVAM setpoint orders allocated by the DR contract', () => {
  let running: RunningVtn | undefined;
  afterAll(() => running?.vtn.stop());

  async function order(allocator: UvamAllocator, setpointW: number, deadlineMs?: number) {
    const work = mkdtempSync(join(tmpdir(), 'uvam-contract-'));
    running?.vtn.stop();
    running = await startTlsVtn(join(work, 'vtn'));
    const { vens, stop: stopVens } = await uvamVens(running, work, 'uvamc', [1200, 2400]);
    await running.vtn.operator.createProgram({ programId: 'uvam', name: 'UVAM', marketContext: 'http://flexbridge.example/uvam' });
    const adapter = new UvamAdapter({
      host: '127.0.0.1', port: 0, commonAddress: 1, powerIoa: 1000, setpointIoa: 2000, venIds: vens.map((v) => v.venId!), rId: 'power',
      programId: 'uvam', orderDurationMs: 900_000, periodMs: 4_000, clock: systemClock, logger: silentLogger, allocator,
      ...(deadlineMs ? { allocationDeadlineMs: deadlineMs } : {}),
    }, running.vtn.store, running.vtn.operator);
    const master = await iec104Controlling(await adapter.start());
    try {
      const sent = Date.now();
      let confirmedAt = 0;
      master.send({ type: 'C_SE_NC_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 2000, value: setpointW, qualifier: 0, select: false }] });
      await until(() => {
        if (!confirmedAt && master.received.some((a) => a.type === 'C_SE_NC_1' && a.cause === COT.activationCon)) confirmedAt = Date.now();
        return confirmedAt > 0;
      });
      const store = running.vtn.store.read;
      const feed = await store.feedAfter(0, 10_000);
      const grid = feed.find((e) => e.kind === 'gridOrder')!.data as GridOrderRecord;
      const events = await store.listEvents();
      const targets: Record<string, number> = {};
      for (const e of events) targets[(await store.eventTargets(e.eventId))[0]!] = (e.event.signals[0]!.intervals[0]!.payloads[0] as { value: number }).value;
      const negative = master.received.find((a) => a.type === 'C_SE_NC_1' && a.cause === COT.activationCon)!.negative;
      return { confirmMs: confirmedAt - sent, negative, grid, targets, venIds: vens.map((v) => v.venId!) };
    } finally {
      await master.close();
      await adapter.stop();
      await stopVens();
    }
  }

  it('allocates the setpoint by the contract: each VEN gets its contract target, the order records it, confirmed within 1 s', async () => {
    const node = testPki().issue('uvam-ledger', 'ecdsa');
    const ledger = new EmbeddedLedger({ path: join(mkdtempSync(join(tmpdir(), 'uvam-ledger-')), 'ledger.sqlite'), node: { privateKeyPem: readPem(node.keyPath), certificatePem: readPem(node.certPath) }, clock: new ManualClock(Date.now()) });
    // 35 days of flat history before today: baselines of 1,500 W and 2,500 W.
    const today = new Date().toISOString().slice(0, 10);
    const history = dates(new Date(Date.parse(`${today}T00:00:00Z`) - 35 * 86_400_000).toISOString().slice(0, 10), 35);
    for (const [m, level] of [[0, 1500], [1, 2500]] as const) {
      await ledger.submit('registerMeter', { meterId: `uvam-meter-${m}`, customerId: `uvam-customer-${m}`, retailerId: 'retailer-1' }, operator);
      await ledger.submit('recordEnergyBatch', { days: history.map((date) => ({ meterId: `uvam-meter-${m}`, date, intervalMinutes: 15, values: new Array(96).fill(level) })) }, retailer);
    }
    const meters: Record<string, string> = {};
    const allocator: UvamAllocator = async (request) => {
      // The VENs' IDs are known once they registered: meter 0 for the first, meter 1 for the second.
      [...request.powers.keys()].forEach((venId, i) => { meters[venId] = `uvam-meter-${i}`; });
      return contractAllocator({ ledger, operator, meters })(request);
    };
    try {
      const result = await order(allocator, 1800);
      expect(result.negative).toBe(false);
      expect(result.confirmMs).toBeLessThan(1000);
      expect(result.grid.allocatedBy).toMatch(/^the DR contract \(ledger event iec104-/);
      // Request 4,000 − 1,800 = 2,200 W shared by baseline at equal availability: targets 675 and 1,125 W.
      expect(result.targets).toEqual({ [result.venIds[0]!]: 675, [result.venIds[1]!]: 1125 });
      const allocation = await ledger.evaluate('queryLoadReduction', { eventId: result.grid.orderId, meterId: 'uvam-meter-1' }, operator);
      expect(allocation.baselineMethod).toMatch(/^(High|Low)\d+of35$/);
    } finally {
      ledger.close();
    }
  }, 60_000);

  it('falls back to shares of present power when the ledger does not answer in time, confirms within 1 s and records why', async () => {
    const slow: UvamAllocator = () => new Promise((resolve) => setTimeout(() => resolve({ targets: new Map(), by: 'too late' }), 2_000));
    const result = await order(slow, 1800, 300);
    expect(result.negative).toBe(false);
    expect(result.confirmMs).toBeLessThan(1000);
    expect(result.grid.allocatedBy).toBe('fallback: share of present power (the allocator did not answer within 300 ms)');
    expect(result.targets).toEqual({ [result.venIds[0]!]: 600, [result.venIds[1]!]: 1200 });
  }, 60_000);
});
