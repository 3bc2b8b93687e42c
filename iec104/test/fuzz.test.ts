import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { iec104Controlling } from '../../test/support/iec104-controlling.js';
import { uvamVens } from '../../test/support/uvam-vens.js';
import { startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';
import { encodeApdu, encodeAsdu } from '../index.js';
import { COT } from '../codec/cause.js';
import { UvamAdapter } from '../../vtn/uvam/uvam-adapter.js';
import { seededRandom as random } from '../../ven/simulator/household.js';

const SEED = 0x104f022;
const FRAMES = 3_000;

/** Well-formed frames a master sends; each fuzz case mutates one. */
function validFrames(): Buffer[] {
  const i = (n: number, asdu: Buffer): Buffer => encodeApdu({ format: 'I', sendSequence: n, receiveSequence: 0, asdu });
  return [
    encodeApdu({ format: 'U', function: 'STARTDT_ACT' }),
    encodeApdu({ format: 'U', function: 'TESTFR_ACT' }),
    encodeApdu({ format: 'S', receiveSequence: 3 }),
    i(0, encodeAsdu({ type: 'C_IC_NA_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 0, qualifier: 20 }] })),
    i(0, encodeAsdu({ type: 'C_SE_NC_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 2000, value: 1500, qualifier: 0, select: false }] })),
    i(0, encodeAsdu({ type: 'C_CS_NA_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: 0, commonAddress: 1, objects: [{ ioa: 0, time: { milliseconds: 1000, minute: 1, hour: 2, day: 3, dayOfWeek: 0, month: 4, year: 26, invalid: false, summerTime: false } }] })),
  ];
}

/** One mutation: flip bits, overwrite, truncate, extend, or rewrite the length octet. */
function mutate(frame: Buffer, next: () => number): Buffer {
  const out = Buffer.from(frame);
  const pick = (n: number): number => Math.floor(next() * n);
  switch (pick(6)) {
    case 0: for (let k = 0; k < 1 + pick(3); k++) out[pick(out.length)]! ^= 1 << pick(8); return out;
    case 1: out[pick(out.length)] = pick(256); return out;
    case 2: return out.subarray(0, pick(out.length));
    case 3: return Buffer.concat([out, Buffer.from(Array.from({ length: 1 + pick(20) }, () => pick(256)))]);
    case 4: out[1] = pick(256); return out;
    default: return Buffer.from(Array.from({ length: 1 + pick(40) }, () => pick(256)));
  }
}

// Seeded mutated frames against the UVAM station running in the VTN: the process stays up, its
// memory stays bounded, and a good master is served afterwards (issue 15).
describe('IEC 104 fuzz: mutated frames against the UVAM station in the VTN', () => {
  let running: RunningVtn | undefined;
  afterAll(() => running?.vtn.stop());

  it(`survives ${FRAMES} seeded mutations (seed 0x${SEED.toString(16)}) and still serves a good master`, async () => {
    const work = mkdtempSync(join(tmpdir(), 'iec104-fuzz-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const { vens, stop: stopVens } = await uvamVens(running, work, 'fuzz', [1500]);
    await running.vtn.operator.createProgram({ programId: 'uvam', name: 'UVAM', marketContext: 'http://flexbridge.example/uvam' });
    const errors: string[] = [];
    const logger = createLogger({ level: 'error', write: (line) => errors.push(line) });
    const adapter = new UvamAdapter({
      host: '127.0.0.1', port: 0, commonAddress: 1, powerIoa: 1000, setpointIoa: 2000, venIds: vens.map((v) => v.venId!), rId: 'power',
      programId: 'uvam', orderDurationMs: 900_000, periodMs: 200, clock: systemClock, logger,
      station: { t0Ms: 1_000, link: { t1Ms: 1_000, t2Ms: 500, t3Ms: 2_000 } },
    }, running.vtn.store, running.vtn.operator);
    const port = await adapter.start();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => { uncaught.push(error); };
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    try {
      const next = random(SEED);
      const frames = validFrames();
      const rssBefore = process.memoryUsage().rss;
      // Ten connections at a time, each: STARTDT (most of the time), then a burst of mutated frames.
      for (let batch = 0; batch < FRAMES / 30; batch++) {
        await Promise.all(Array.from({ length: 10 }, async () => {
          const socket = connect(port, '127.0.0.1');
          socket.on('error', () => undefined);
          socket.on('data', () => undefined);
          await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
          if (next() < 0.8) socket.write(frames[0]!);
          const burst = Buffer.concat(Array.from({ length: 3 }, () => mutate(frames[Math.floor(next() * frames.length)]!, next)));
          socket.write(burst);
          await new Promise((r) => setTimeout(r, 5));
          socket.destroy();
        }));
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(uncaught).toEqual([]);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
      expect(adapter.station.status().length).toBeLessThanOrEqual(10);
      // A good master afterwards: interrogation answered with the UVAM's power.
      const master = await iec104Controlling(port);
      try {
        expect(await master.station.interrogate(1)).toEqual([expect.objectContaining({ ioa: 1000, value: 1500 })]);
      } finally {
        await master.close();
      }
      expect(errors.filter((l) => /measurements not sent|UVAM power not updated/.test(l))).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
      await adapter.stop();
      await stopVens();
    }
  }, 120_000);
});
