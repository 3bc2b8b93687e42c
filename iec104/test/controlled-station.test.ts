import { silentLogger } from '../../src/logger.js';
import { systemClock } from '../../src/clock.js';
import { encodeAsdu } from '../index.js';
import { iec104Controlling as controlling, until } from '../../test/support/iec104-controlling.js';
import { ControlledStation, COT } from '../station/controlled-station.js';

describe('IEC 104 controlled station (UVAM outstation)', () => {
  let station: ControlledStation;
  const orders: { ioa: number; value: number }[] = [];
  let port = 0;
  beforeAll(async () => {
    station = new ControlledStation({
      host: '127.0.0.1', port: 0, commonAddress: 1, periodMs: 200, clock: systemClock, logger: silentLogger,
      measurements: () => [{ ioa: 1000, value: 4321.5 }], setpointIoas: [2000],
      onSetpoint: (order) => { orders.push(order); return order.value >= 0; },
    });
    port = (await station.listen()).port;
  });
  afterAll(() => station.close());

  it('answers a general interrogation with confirmation, the measurements and termination', async () => {
    const c = await controlling(port);
    c.link.send(encodeAsdu({ type: 'C_IC_NA_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 0, qualifier: 20 }] }));
    await until(() => c.received.some((a) => a.type === 'C_IC_NA_1' && a.cause === COT.activationTerm));
    const answers = c.received.filter((a) => a.type !== 'M_ME_TF_1');
    expect(answers.map((a) => [a.type, a.cause])).toEqual([['C_IC_NA_1', 7], ['M_ME_NC_1', 20], ['C_IC_NA_1', 10]]);
    expect(answers[1]!.objects[0]).toMatchObject({ ioa: 1000, value: 4321.5 });
    c.socket.destroy();
  });

  it('sends its aggregate power cyclically with a time tag', async () => {
    const c = await controlling(port);
    await until(() => c.received.some((a) => a.type === 'M_ME_TF_1'));
    const cyclic = c.received.find((a) => a.type === 'M_ME_TF_1')!;
    expect(cyclic.cause).toBe(COT.periodic);
    expect(cyclic.objects[0]).toMatchObject({ ioa: 1000, value: 4321.5 });
    expect(cyclic.objects[0]!.time).toBeDefined();
    c.socket.destroy();
  });

  it('executes a setpoint order with confirmation and termination, refuses one the UVAM cannot take, and supports select-before-operate', async () => {
    const c = await controlling(port);
    const order = (value: number, select = false): Buffer => encodeAsdu({ type: 'C_SE_NC_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 2000, value, qualifier: 0, select }] });
    c.link.send(order(-500, true));
    c.link.send(order(-500));
    c.link.send(order(1500));
    await until(() => c.received.filter((a) => a.type === 'C_SE_NC_1').length >= 4);
    const answers = c.received.filter((a) => a.type === 'C_SE_NC_1').map((a) => [a.cause, a.negative, a.objects[0]!.value]);
    expect(answers).toEqual([[7, false, -500], [7, true, -500], [7, false, 1500], [10, false, 1500]]);
    expect(orders.map((o) => o.value)).toEqual([-500, 1500]);
    c.socket.destroy();
  });

  it('answers an unknown address or cause negatively and closes on a broken frame', async () => {
    const c = await controlling(port);
    c.link.send(encodeAsdu({ type: 'C_SE_NC_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 9999, value: 1, qualifier: 0, select: false }] }));
    c.link.send(encodeAsdu({ type: 'C_IC_NA_1', sequence: false, cause: 3, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 0, qualifier: 20 }] }));
    await until(() => c.received.filter((a) => a.negative).length >= 2);
    expect(c.received.filter((a) => a.negative).map((a) => a.cause)).toEqual([COT.unknownIoa, COT.unknownCause]);
    c.socket.write(Buffer.from([0x68, 0x04, 0x05, 0x00, 0x00, 0x00]));
    await c.ended;
  });
});
