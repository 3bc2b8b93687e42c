import { connect } from 'node:tls';
import { silentLogger } from '../../src/logger.js';
import { systemClock } from '../../src/clock.js';
import { readPem } from '../../src/pki.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { iec104Controlling as controlling, until } from '../../test/support/iec104-controlling.js';
import { valueOf, type Asdu } from '../index.js';
import { COT } from '../codec/cause.js';
import { ControlledStation, type ControlledStationOptions } from '../station/controlled-station.js';
import { Iec104CommandError } from '../errors.js';
import { ControllingStation } from '../station/controlling-station.js';
import { certificateFingerprint, type Iec104Tls } from '../transport/tls.js';

const orders: { ioa: number; value: number }[] = [];
function stationOptions(overrides: Partial<ControlledStationOptions> = {}): ControlledStationOptions {
  return {
    host: '127.0.0.1', port: 0, commonAddress: 1, periodMs: 200, clock: systemClock, logger: silentLogger,
    measurements: () => [{ ioa: 1000, value: 4321.5 }], setpointIoas: [2000],
    onSetpoint: (order) => { orders.push(order); return order.value >= 0; },
    ...overrides,
  };
}

describe('IEC 104 controlled station (UVAM outstation) with our controlling station', () => {
  let station: ControlledStation;
  let port = 0;
  beforeAll(async () => {
    station = new ControlledStation(stationOptions());
    port = (await station.listen()).port;
  });
  afterAll(() => station.close());

  it('answers a general interrogation with confirmation, the measurements and termination', async () => {
    const c = await controlling(port);
    const objects = await c.station.interrogate(1);
    expect(objects).toEqual([expect.objectContaining({ type: 'M_ME_TF_1', ioa: 1000, value: 4321.5 })]);
    const answers = c.received.filter((a) => a.cause !== COT.periodic);
    expect(answers.map((a) => [a.type, a.cause])).toEqual([['C_IC_NA_1', 7], ['M_ME_TF_1', 20], ['C_IC_NA_1', 10]]);
    await c.close();
  });

  it('sends its aggregate power cyclically with a time tag, in the clock the master synchronised', async () => {
    const c = await controlling(port);
    const skew = 3_600_000;
    await c.station.clockSync(1, Date.now() + skew);
    await until(() => c.received.some((a) => a.cause === COT.periodic));
    const cyclic = c.received.find((a) => a.cause === COT.periodic)!;
    expect(cyclic.cause).toBe(COT.periodic);
    expect(cyclic.objects[0]).toMatchObject({ ioa: 1000, value: 4321.5 });
    expect(Math.abs(station.now() - (Date.now() + skew))).toBeLessThan(1_000);
    await c.close();
  });

  it('executes a setpoint order with confirmation and termination, refuses one the UVAM cannot take, and supports select-before-operate', async () => {
    orders.length = 0;
    const c = await controlling(port);
    await expect(c.station.setpoint({ commonAddress: 1, ioa: 2000, value: -500, selectBeforeOperate: true })).rejects.toThrow(Iec104CommandError);
    await c.station.setpoint({ commonAddress: 1, ioa: 2000, value: 1500, awaitTermination: true });
    await c.station.setpoint({ commonAddress: 1, ioa: 2000, value: 1700, timeTag: Date.now(), selectBeforeOperate: true, awaitTermination: true });
    const answers = c.received.filter((a) => a.type.startsWith('C_SE')).map((a) => [a.type, a.cause, a.negative, valueOf(a.objects[0]), a.objects[0] && 'select' in a.objects[0] ? a.objects[0].select : undefined]);
    expect(answers).toEqual([
      ['C_SE_NC_1', 7, false, -500, true], ['C_SE_NC_1', 7, true, -500, false],
      ['C_SE_NC_1', 7, false, 1500, false], ['C_SE_NC_1', 10, false, 1500, false],
      ['C_SE_TC_1', 7, false, 1700, true], ['C_SE_TC_1', 7, false, 1700, false], ['C_SE_TC_1', 10, false, 1700, false],
    ]);
    expect(orders.map((o) => o.value)).toEqual([-500, 1500, 1700]);
    await c.close();
  });

  it('refuses an execute that does not match its selection', async () => {
    orders.length = 0;
    const c = await controlling(port);
    const setpoint = (value: number, select: boolean): Asdu => ({ type: 'C_SE_NC_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 2000, value, qualifier: 0, select }] });
    c.send(setpoint(100, true));
    c.send(setpoint(900, false));
    await until(() => c.received.filter((a) => a.type === 'C_SE_NC_1').length >= 2);
    expect(c.received.filter((a) => a.type === 'C_SE_NC_1').map((a) => [a.cause, a.negative])).toEqual([[7, false], [7, true]]);
    expect(orders).toEqual([]);
    await c.close();
  });

  it('answers an unknown address or cause negatively', async () => {
    const c = await controlling(port);
    await expect(c.station.setpoint({ commonAddress: 1, ioa: 9999, value: 1 })).rejects.toMatchObject({ causeOfTransmission: COT.unknownIoa });
    await expect(c.station.setpoint({ commonAddress: 7, ioa: 2000, value: 1 })).rejects.toMatchObject({ causeOfTransmission: COT.unknownCommonAddress });
    c.send({ type: 'C_IC_NA_1', sequence: false, cause: 3, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 0, qualifier: 20 }] });
    await until(() => c.received.some((a) => a.type === 'C_IC_NA_1' && a.negative));
    expect(c.received.find((a) => a.type === 'C_IC_NA_1')!.cause).toBe(COT.unknownCause);
    await c.close();
  });
});

describe('IEC 104 redundancy groups', () => {
  it('keeps one connection of a group in data transfer; the newest STARTDT takes over and spontaneous data waits for a master', async () => {
    let power = 100;
    const station = new ControlledStation(stationOptions({ periodMs: 100, measurements: () => [{ ioa: 1000, value: power }], redundancyGroups: [{ name: 'tso', peers: ['127.0.0.1'] }] }));
    const { port } = await station.listen();
    try {
      const a = await controlling(port);
      await until(() => a.received.some((x) => x.type === 'M_ME_TF_1'));
      const b = await controlling(port);
      await until(() => b.received.some((x) => x.type === 'M_ME_TF_1'));
      expect(station.status().map((s) => s.active).sort()).toEqual([false, true]);
      const aSeen = a.received.length;
      await new Promise((r) => setTimeout(r, 350));
      expect(a.received.length).toBe(aSeen);
      await b.close();
      await until(() => station.status().length === 1);
      // No active master: a spontaneous change is kept for the next one.
      power = 250;
      station.sendSpontaneous();
      const c = await controlling(port);
      await until(() => c.received.some((x) => x.cause === COT.spontaneous));
      expect(c.received.find((x) => x.cause === COT.spontaneous)!.objects[0]).toMatchObject({ value: 250 });
      await a.close();
      await c.close();
    } finally {
      await station.close();
    }
  });

  it('refuses an address that belongs to no group', async () => {
    const station = new ControlledStation(stationOptions({ redundancyGroups: [{ name: 'tso', peers: ['192.0.2.7'] }] }));
    const { port } = await station.listen();
    try {
      await expect(ControllingStation.connect({ host: '127.0.0.1', port, link: { t1Ms: 2_000 } })).rejects.toThrow(/closed/);
    } finally {
      await station.close();
    }
  });
});

describe('IEC 104 over TLS (IEC 62351-3: mutual certificates, TLS 1.2+)', () => {
  const pki = testPki();
  const tlsOf = (name: string, allowedPeers?: string[]): Iec104Tls => {
    const cert = pki.issue(name, 'ecdsa');
    return { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath), ...(allowedPeers ? { allowedPeers } : {}) };
  };

  it('serves a master with a certificate from the trusted CA and refuses one without, or one not on the allowed list', async () => {
    const master = tlsOf('iec104-master');
    const stranger = tlsOf('iec104-stranger');
    const stationTls = tlsOf('iec104-station', [certificateFingerprint(master.cert)]);
    const station = new ControlledStation(stationOptions({ tls: stationTls }));
    const { port } = await station.listen();
    try {
      const c = await controlling(port, { tls: master });
      expect(await c.station.interrogate(1)).toEqual([expect.objectContaining({ ioa: 1000, value: 4321.5 })]);
      await c.close();
      await expect(ControllingStation.connect({ host: '127.0.0.1', port, tls: stranger, link: { t1Ms: 2_000 } })).rejects.toThrow(/closed|ECONNRESET|socket/);
      // No client certificate at all: the handshake fails.
      const bare = connect({ host: '127.0.0.1', port, ca: readPem(pki.caPath), checkServerIdentity: () => undefined });
      const outcome = await new Promise<string>((resolve) => {
        bare.on('error', (e) => resolve(`error: ${e.message}`));
        bare.on('close', () => resolve('closed'));
        bare.on('data', () => resolve('data'));
      });
      expect(outcome).not.toBe('data');
      // A plain TCP master gets nothing from a TLS station.
      await expect(ControllingStation.connect({ host: '127.0.0.1', port, link: { t1Ms: 1_000 } })).rejects.toThrow();
    } finally {
      await station.close();
    }
  });

  it('a master refuses a station whose certificate is not on its own allowed list', async () => {
    const station = new ControlledStation(stationOptions({ tls: tlsOf('iec104-station-2') }));
    const { port } = await station.listen();
    try {
      await expect(ControllingStation.connect({ host: '127.0.0.1', port, tls: tlsOf('iec104-master-2', ['00'.repeat(32)]) })).rejects.toThrow(/not in the allowed list/);
    } finally {
      await station.close();
    }
  });
});
