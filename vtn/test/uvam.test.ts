import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';
import { uvamVens } from '../../test/support/uvam-vens.js';
import { iec104Controlling, until } from '../../test/support/iec104-controlling.js';
import { COT } from '../../iec104/index.js';
import { UvamAdapter } from '../uvam/uvam-adapter.js';

describe('UVAM adapter: IEC 104 ⇄ VTN', () => {
  let running: RunningVtn | undefined;
  afterAll(() => running?.vtn.stop());

  it('reports the VENs\' aggregate power to the TSO and turns a setpoint order into DR events for them', async () => {
    const work = mkdtempSync(join(tmpdir(), 'uvam-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const { vens, stop: stopVens } = await uvamVens(running, work, 'uvam', [1200, 2400]);
    await running.vtn.operator.createProgram({ programId: 'uvam', name: 'UVAM', marketContext: 'http://flexbridge.example/uvam' });
    const adapter = new UvamAdapter({
      host: '127.0.0.1', port: 0, commonAddress: 1, powerIoa: 1000, setpointIoa: 2000, venIds: vens.map((v) => v.venId!), rId: 'power',
      programId: 'uvam', orderDurationMs: 900_000, periodMs: 4_000, clock: systemClock, logger: silentLogger,
    }, running.vtn.store, running.vtn.operator);
    const port = await adapter.start();
    const master = await iec104Controlling(port);
    const received = master.received;
    try {
      master.send({ type: 'C_IC_NA_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 0, qualifier: 20 }] });
      await until(() => received.some((a) => a.cause === COT.interrogated));
      expect(received.find((a) => a.cause === COT.interrogated)!.objects[0]).toMatchObject({ ioa: 1000, value: 3600 });

      // The TSO orders the UVAM down to 1,800 W.
      master.send({ type: 'C_SE_NC_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 2000, value: 1800, qualifier: 0, select: false }] });
      await until(() => received.some((a) => a.type === 'C_SE_NC_1' && a.cause === COT.activationTerm));
      expect(received.filter((a) => a.type === 'C_SE_NC_1').map((a) => [a.cause, a.negative])).toEqual([[7, false], [10, false]]);
      const events = await running.vtn.store.read.listEvents();
      expect(events).toHaveLength(2);
      const targets = Object.fromEntries(await Promise.all(events.map(async (e) => [(await running!.vtn.store.read.eventTargets(e.eventId))[0]!, (e.event.signals[0]!.intervals[0]!.payloads[0] as { value: number }).value])));
      expect(targets).toEqual({ [vens[0]!.venId!]: 600, [vens[1]!.venId!]: 1200 });
      // The VENs receive their share as an ordinary OpenADR event.
      await vens[1]!.syncEvents();
      expect(vens[1]!.events()[0]!.intervals.map((i) => i.value)).toEqual([1200]);
    } finally {
      await master.close();
      await adapter.stop();
      await stopVens();
    }
  }, 30_000);
});
