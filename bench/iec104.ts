// npm run bench:iec104 — IEC 60870-5-104: ASDUs/s through our codec and over loopback TCP, beside
// c104 (lib60870-C 2.x from PyPI) measured in the same run.
import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachLink, ControllingStation, cp56FromDate, decodeApdu, decodeAsdu, encodeApdu, encodeAsdu, GOOD, valueOf, type Asdu } from '../iec104/index.js';
import { peerPython } from '../test/support/python-peers.js';
import { measure, table } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string): void => { process.stderr.write(`  ${line}\n`); };
const COUNT = Number(process.env.BENCH_IEC104_COUNT ?? 20_000);

const sample = (value: number): Asdu => ({
  type: 'M_ME_TF_1', sequence: false, cause: 3, negative: false, test: false, originator: 0, commonAddress: 1,
  objects: [{ ioa: 1000, value, quality: { ...GOOD, overflow: false }, time: cp56FromDate(Date.UTC(2026, 10, 23, 10, 0, 0)) }],
});
const frame = encodeApdu({ format: 'I', sendSequence: 0, receiveSequence: 0, asdu: encodeAsdu(sample(3600)) });

function c104(args: string[]): Record<string, number> {
  const out = execFileSync(peerPython(), [join(root, 'bench', 'c104_bench.py'), ...args], { encoding: 'utf8', timeout: 180_000 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>;
}

log('codec: ours');
// The decoded values are summed so that no work can be optimised away.
let sink = 0;
const decodeUs = measure(() => {
  const apdu = decodeApdu(frame);
  if (apdu.format === 'I') sink += Number(valueOf(decodeAsdu(apdu.asdu).objects[0]));
}, 1000);
const roundTripUs = measure(() => {
  const apdu = decodeApdu(encodeApdu({ format: 'I', sendSequence: 7, receiveSequence: 3, asdu: encodeAsdu(sample(1234.5)) }));
  if (apdu.format === 'I') sink += Number(valueOf(decodeAsdu(apdu.asdu).objects[0]));
}, 1000);
if (!Number.isFinite(sink)) throw new Error('unreachable');
log('codec: c104 (explain_bytes_dict)');
const c104Decode = c104(['--mode', 'decode', '--frame', frame.toString('hex'), '--seconds', '1']).decode_per_s!;

log(`loopback: ours, ${COUNT} spontaneous M_ME_TF_1 station → master`);
const oursLoopback = await new Promise<number>((resolve, reject) => {
  const server = createServer((socket) => {
    attachLink(socket, { role: 'controlled' }, {
      deliver: () => undefined,
      started: (c, active) => { if (active) for (let i = 0; i < COUNT; i++) c.link.send(encodeAsdu(sample(i))); },
      closed: () => undefined,
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    let received = 0;
    let master: ControllingStation | undefined;
    const start = process.hrtime.bigint();
    ControllingStation.connect({
      host: '127.0.0.1', port,
      onAsdu: () => {
        if (++received === COUNT) {
          const perSecond = COUNT / (Number(process.hrtime.bigint() - start) / 1e9);
          void master?.close().then(() => server.close());
          resolve(perSecond);
        }
      },
    }).then((m) => { master = m; }, reject);
  });
});

log(`loopback: c104, ${COUNT} spontaneous M_ME_TF_1 server → client`);
const port = await new Promise<number>((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); }); });
const c104Loopback = c104(['--mode', 'loopback', '--port', String(port), '--count', String(COUNT)]);

const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
console.log(`\nIEC 104 on this machine (${COUNT.toLocaleString('en-US')} ASDUs over loopback; each side's station and master share one process)\n`);
console.log(table(['measure', 'FlexBridge', 'c104 (lib60870-C)', 'ours / c104'], [
  ['decode APDU + ASDU, M_ME_TF_1 (ASDUs/s)', 1e6 / decodeUs, c104Decode, ratio(1e6 / decodeUs, c104Decode)],
  ['encode + decode round trip (ASDUs/s)', 1e6 / roundTripUs, 'no stand-alone encoder', ''],
  ['loopback TCP station → master (ASDUs/s)', oursLoopback, c104Loopback.loopback_per_s!, ratio(oursLoopback, c104Loopback.loopback_per_s!)],
]));
console.log('\nc104 decode is c104.explain_bytes_dict (lib60870 parsing plus building a Python dict); its loopback keeps at most 400 values in flight, since lib60870\'s queue overwrites when full.');
