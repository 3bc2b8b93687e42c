import { connect, type Socket } from 'node:net';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { iec104Controlling, until } from '../../test/support/iec104-controlling.js';
import { decodeApdu, decodeAsdu, encodeApdu, encodeAsdu, splitFrames, valueOf, type Asdu } from '../index.js';
import { COT } from '../codec/cause.js';
import { ControlledStation, measuredValue, type ControlledStationOptions, type Measurement } from '../station/controlled-station.js';

// Attacks from an outside run (issue 15), each reproduced against a running station over TCP.

const STARTDT_ACT = encodeApdu({ format: 'U', function: 'STARTDT_ACT' });
const interrogation = (commonAddress = 1): Buffer => encodeAsdu({ type: 'C_IC_NA_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress, objects: [{ ioa: 0, qualifier: 20 }] });
const setpointAsdu = (value: number, options: { commonAddress?: number; test?: boolean } = {}): Buffer => encodeAsdu({
  type: 'C_SE_NC_1', sequence: false, cause: COT.activation, negative: false, test: options.test ?? false, originator: 0, commonAddress: options.commonAddress ?? 1, objects: [{ ioa: 2000, value, qualifier: 0, select: false }],
});

/** A raw TCP master: sends what it is told, records the station's I-frame ASDUs. */
async function rawMaster(port: number, read = true): Promise<{ socket: Socket; asdus: () => Asdu[]; closed: () => boolean; sendI: (asdu: Buffer) => void }> {
  const socket = connect(port, '127.0.0.1');
  let received = Buffer.alloc(0);
  let closed = false;
  let sendSequence = 0;
  if (read) socket.on('data', (d: Buffer) => { received = Buffer.concat([received, d]); });
  else socket.pause();
  socket.on('close', () => { closed = true; });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    socket,
    closed: () => closed,
    asdus: () => splitFrames(received).frames.map((f) => decodeApdu(f)).flatMap((a) => (a.format === 'I' ? [decodeAsdu(a.asdu)] : [])),
    // N(R) always 0: acknowledges nothing the station sends.
    sendI: (asdu) => { socket.write(encodeApdu({ format: 'I', sendSequence: sendSequence++ % 0x8000, receiveSequence: 0, asdu })); },
  };
}

describe('IEC 104 controlled station under abuse', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  const orders: number[] = [];
  let measurements: Measurement[] = [{ ioa: 1000, value: 1234 }];
  let station: ControlledStation;
  let port = 0;
  const start = async (overrides: Partial<ControlledStationOptions> = {}): Promise<void> => {
    station = new ControlledStation({
      host: '127.0.0.1', port: 0, commonAddress: 1, periodMs: 100, clock: systemClock, logger,
      measurements: () => measurements, setpointIoas: [2000], setpointRange: { min: 0, max: 50e6 },
      onSetpoint: (o) => { orders.push(o.value); return true; },
      link: { t1Ms: 1_000, t3Ms: 5_000 },
      ...overrides,
    });
    port = (await station.listen()).port;
  };
  afterEach(async () => { await station.close(); measurements = [{ ioa: 1000, value: 1234 }]; });
  const servesAGoodMaster = async (): Promise<void> => {
    const m = await iec104Controlling(port);
    expect(await m.station.interrogate(1)).toEqual([expect.objectContaining({ ioa: 1000 })]);
    await m.close();
  };

  it('clamps readings a short float cannot carry and flags them overflow or invalid, instead of throwing from its timer', async () => {
    await start();
    expect(measuredValue(1e39)).toEqual({ value: 3.4028234663852886e38, quality: expect.objectContaining({ overflow: true, invalid: false }) });
    expect(measuredValue(-Infinity)).toEqual({ value: -3.4028234663852886e38, quality: expect.objectContaining({ overflow: true }) });
    expect(measuredValue(Number.NaN)).toEqual({ value: 0, quality: expect.objectContaining({ invalid: true }) });
    measurements = [{ ioa: 1000, value: 3.0e38 + 3.0e38 }];
    const m = await iec104Controlling(port);
    await until(() => m.received.some((a) => a.cause === COT.periodic));
    const cyclic = m.received.find((a) => a.cause === COT.periodic)!;
    expect(cyclic.objects[0]).toMatchObject({ value: 3.4028234663852886e38, quality: expect.objectContaining({ overflow: true }) });
    expect(lines.some((l) => l.msg === 'IEC 104 measurements not sent')).toBe(false);
    await m.close();
  });

  it('a measurement source that throws is logged from the cyclic timer and the station goes on', async () => {
    await start({ measurements: () => { throw new Error('store gone'); } });
    const m = await rawMaster(port);
    m.socket.write(STARTDT_ACT);
    await until(() => lines.some((l) => l.msg === 'IEC 104 measurements not sent' && l.reason === 'store gone'));
    expect(m.closed()).toBe(false);
    m.socket.destroy();
  });

  it('survives ~58k interrogations that are never acknowledged, then a close: the queue is bounded, no stack overflow', async () => {
    // No redundancy groups: each connection is its own group, released (and drained) when it closes.
    await start({ backlogLimit: 500 });
    const m = await rawMaster(port);
    m.socket.write(STARTDT_ACT);
    const frames: Buffer[] = [];
    for (let i = 0; i < 58_000; i++) frames.push(encodeApdu({ format: 'I', sendSequence: i % 0x8000, receiveSequence: 0, asdu: interrogation() }));
    m.socket.write(Buffer.concat(frames));
    await until(() => m.closed(), 20_000);
    const closedLine = lines.find((l) => l.msg === 'IEC 104 connection closed' && String(l.reason).startsWith('send queue full'));
    expect(closedLine).toBeDefined();
    expect(lines.some((l) => l.msg === 'IEC 104 backlog full: oldest ASDUs dropped' && Number(l.dropped) > 0)).toBe(true);
    await servesAGoodMaster();
  }, 30_000);

  it('closes on t1 a master that keeps sending stale acknowledgements (N(R) that acknowledges nothing new)', async () => {
    await start();
    const m = await rawMaster(port);
    m.socket.write(STARTDT_ACT);
    await until(() => m.asdus().length > 0);
    const peer = `127.0.0.1:${m.socket.localPort}`;
    const stale = setInterval(() => m.socket.write(encodeApdu({ format: 'S', receiveSequence: 0 })), 100);
    try {
      await until(() => m.closed(), 4_000);
    } finally {
      clearInterval(stale);
    }
    expect(lines.find((l) => l.msg === 'IEC 104 connection closed' && l.peer === peer)?.reason).toMatch(/t1 expired: I-frames not acknowledged/);
  });

  it('stops reading a TESTFR flood whose answers are never read, and lets the connection go', async () => {
    await start();
    const m = await rawMaster(port, false);
    const testfr = encodeApdu({ format: 'U', function: 'TESTFR_ACT' });
    const flood = Buffer.concat(Array.from({ length: 20_000 }, () => testfr));
    // 48 MB of test frames whose answers nobody reads (more than the kernel's socket buffers take):
    // the station must stop reading, not buffer the answers.
    for (let i = 0; i < 400; i++) m.socket.write(flood);
    // Once the kernel's buffers are full the station's own buffer starts to fill: it must then stop
    // reading (and so stop answering) instead of buffering all 48 MB of answers.
    const unsent = (): number => Math.max(0, ...station.status().map((c) => c.unsentBytes));
    await until(() => unsent() > 0, 25_000);
    let mostUnsent = 0;
    const deadline = Date.now() + 1_500;
    while (Date.now() < deadline) {
      mostUnsent = Math.max(mostUnsent, unsent());
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(mostUnsent).toBeLessThan(1024 * 1024);
    expect(m.socket.writableLength).toBeGreaterThan(0);
    m.socket.destroy();
    await until(() => station.status().length === 0);
    await servesAGoodMaster();
  }, 40_000);

  it('refuses setpoints outside the configured range, commands to the broadcast address, and does not act on test commands', async () => {
    await start();
    orders.length = 0;
    const m = await rawMaster(port);
    m.socket.write(STARTDT_ACT);
    const answers = (): Asdu[] => m.asdus().filter((a) => a.type === 'C_SE_NC_1');
    m.sendI(setpointAsdu(3.0e38));
    m.sendI(setpointAsdu(1e12));
    m.sendI(setpointAsdu(1_000, { commonAddress: 0xffff }));
    m.sendI(setpointAsdu(2_000, { test: true }));
    m.sendI(setpointAsdu(3_000));
    await until(() => answers().filter((a) => a.cause === COT.activationTerm || a.negative).length >= 5);
    const summary = answers().map((a) => [valueOf(a.objects[0]), a.cause, a.negative, a.test]);
    expect(summary).toEqual([
      [expect.closeTo(3.0e38, -32), COT.activationCon, true, false],
      [Math.fround(1e12), COT.activationCon, true, false],
      [1_000, COT.unknownCommonAddress, true, false],
      [2_000, COT.activationCon, false, true], [2_000, COT.activationTerm, false, true],
      [3_000, COT.activationCon, false, false], [3_000, COT.activationTerm, false, false],
    ]);
    expect(orders).toEqual([3_000]);
    m.socket.destroy();
  });
});
