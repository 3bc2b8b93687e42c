import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { decodeApdu, splitFrames } from '../index.js';
import { ControlledStation } from '../station/controlled-station.js';
import { ControllingStation } from '../station/controlling-station.js';
import { iec104Controlling, until } from '../../test/support/iec104-controlling.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { readPem } from '../../src/pki.js';

const here = join(dirname(fileURLToPath(import.meta.url)), 'hostile');
interface HostileCase { readonly file: string; readonly startDataTransfer: boolean; readonly close?: string; readonly negative?: number }
const manifest = JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8')) as { cases: HostileCase[] };
const bytesOf = (file: string): Buffer => Buffer.from(readFileSync(join(here, file), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('').replace(/\s+/g, ''), 'hex');
const STARTDT_ACT = Buffer.from('680407000000', 'hex');
const STARTDT_CON = Buffer.from('68040b000000', 'hex');

describe('IEC 104 hostile-frame corpus', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  let station: ControlledStation;
  let port = 0;
  beforeAll(async () => {
    station = new ControlledStation({
      host: '127.0.0.1', port: 0, commonAddress: 1, periodMs: 200, clock: systemClock, logger,
      measurements: () => [{ ioa: 1000, value: 1234 }], setpointIoas: [2000],
      onSetpoint: (o) => Number.isFinite(o.value) && o.value >= 0,
      link: { t1Ms: 1_000, t3Ms: 600 },
    });
    port = (await station.listen()).port;
  });
  afterAll(() => station.close());

  it('holds every case of the manifest', () => {
    expect(manifest.cases.length).toBeGreaterThanOrEqual(15);
    for (const c of manifest.cases) expect(bytesOf(c.file).length > 0 || c.file === 'never-acknowledges.hex').toBe(true);
  });

  it.each(manifest.cases.map((c) => [c.file, c] as const))('%s', async (_name, c) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let closed = false;
    socket.on('data', (d: Buffer) => { received = Buffer.concat([received, d]); });
    socket.on('close', () => { closed = true; });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const peer = `127.0.0.1:${socket.localPort}`;
    if (c.startDataTransfer) {
      socket.write(STARTDT_ACT);
      await until(() => received.includes(STARTDT_CON));
    }
    socket.write(bytesOf(c.file));
    if (c.close !== undefined) {
      await until(() => closed, 5_000);
      const line = lines.find((l) => l.msg === 'IEC 104 connection closed' && l.peer === peer);
      expect(line?.reason).toMatch(new RegExp(c.close));
    } else {
      // A negative confirmation with the expected cause, and the connection stays up.
      const negativeCause = (): number | undefined => {
        const { frames } = splitFrames(received);
        for (const f of frames) {
          const apdu = decodeApdu(f);
          if (apdu.format === 'I' && (apdu.asdu[2]! & 0x40) !== 0) return apdu.asdu[2]! & 0x3f;
        }
        return undefined;
      };
      await until(() => negativeCause() !== undefined);
      expect(negativeCause()).toBe(c.negative);
      expect(closed).toBe(false);
      socket.destroy();
    }
  });

  it('still serves a well-behaved master afterwards', async () => {
    const m = await iec104Controlling(port);
    expect(await m.station.interrogate(1)).toEqual([expect.objectContaining({ ioa: 1000, value: 1234 })]);
    await m.close();
  });
});

describe('IEC 104 controlling station facing a hostile station', () => {
  /** A fake station: confirms STARTDT, then sends `bytes`. */
  async function fakeStation(bytes: Buffer, confirm = true): Promise<{ port: number; close: () => void }> {
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined);
      s.on('data', (d: Buffer) => { if (d.includes(STARTDT_ACT) && confirm) { s.write(STARTDT_CON); setTimeout(() => s.write(bytes), 50); } });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return { port: (server.address() as { port: number }).port, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
  }

  it.each([
    ['garbage', '474554202f', /broken frame \(framing\)/],
    ['a sequence gap', '680e0a0000006401070001000000 0014', /sequence error/],
    ['an impossible cause', '680e000000006401000001000000 0014', /malformed ASDU/],
  ])('closes on %s with its reason', async (_what, hex, reason) => {
    const fake = await fakeStation(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
    try {
      const master = await ControllingStation.connect({ host: '127.0.0.1', port: fake.port });
      expect(await master.closed).toMatch(reason);
      await expect(master.interrogate(1)).rejects.toThrow(/connection closed/);
    } finally {
      fake.close();
    }
  });

  it('gives up on a station that never confirms STARTDT (t1) and one that never completes the connection (t0)', async () => {
    const silent = await fakeStation(Buffer.alloc(0), false);
    try {
      await expect(ControllingStation.connect({ host: '127.0.0.1', port: silent.port, link: { t1Ms: 300 } })).rejects.toThrow(/t1 expired: no confirmation of STARTDT_ACT/);
      // The same silent peer never answers a TLS handshake: the connection is not established within t0.
      const pki = testPki();
      const cert = pki.issue('iec104-t0', 'ecdsa');
      const tls = { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) };
      await expect(ControllingStation.connect({ host: '127.0.0.1', port: silent.port, tls, t0Ms: 300 })).rejects.toThrow(/t0 expired/);
    } finally {
      silent.close();
    }
  });
});
