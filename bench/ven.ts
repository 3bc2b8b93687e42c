// npm run bench:ven — 1,000 simulated VENs in one process against our VTN (its own process):
// memory per VEN and CPU per poll on the VEN side.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ven, VenStore } from '../ven/index.js';
import { table } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const VENS = Number(process.env.BENCH_VENS ?? 1000);
const ROUNDS = 5;
const work = mkdtempSync(join(tmpdir(), 'bench-ven-'));
const log = (line: string): void => { process.stderr.write(`  ${line}\n`); };

// The VTN runs without TLS here so that 1,000 VENs need no 1,000 certificates; the VEN-side cost of
// TLS is in bench:vtn's client figures.
const config = join(work, 'vtn.json');
writeFileSync(config, JSON.stringify({ dataDir: join(work, 'vtn'), logLevel: 'error', store: { synchronous: 'normal' }, oadr: { host: '127.0.0.1', port: 0, tls: null, insecure: true }, api: { host: '127.0.0.1', port: 0, insecureNoToken: true }, policy: { pollFrequencyMs: 10_000 } }));
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
const oadrUrl = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); const m = /"oadrUrl":"([^"]+)"/.exec(out); if (m) resolve(m[1]!); });
  child.once('exit', (code) => reject(new Error(`VTN exited ${code}: ${out}`)));
});

global.gc?.();
const before = process.memoryUsage();
const vens: Ven[] = [];
const stores: VenStore[] = [];
const t0 = Date.now();
for (let i = 0; i < VENS; i++) {
  const store = new VenStore(join(work, `ven-${i}.sqlite`));
  const ven = new Ven({ vtnUrl: oadrUrl, venName: `sim-${i}`, store, usage: [{ rId: 'p', resourceId: `m${i}`, read: () => 1000 + i }] });
  await ven.register();
  vens.push(ven);
  stores.push(store);
  if ((i + 1) % 250 === 0) log(`${i + 1}/${VENS} VENs registered`);
}
const registerSeconds = (Date.now() - t0) / 1000;
global.gc?.();
const after = process.memoryUsage();

log(`polling: ${ROUNDS} rounds × ${VENS} VENs`);
const cpu0 = process.cpuUsage();
const wall0 = process.hrtime.bigint();
let polls = 0;
for (let round = 0; round < ROUNDS; round++) {
  // All VENs poll concurrently, as their timers would make them.
  await Promise.all(vens.map(async (v) => { await v.pollOnce(); polls++; }));
}
const cpu = process.cpuUsage(cpu0);
const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;

console.log(`VEN benchmark — ${VENS} VENs in one Node ${process.version} process (each with its own SQLite store), VTN in its own process\n`);
console.log(table(['measure', 'value'], [
  ['RSS per VEN', `${((after.rss - before.rss) / VENS / 1024).toFixed(0)} KiB`],
  ['heap per VEN', `${((after.heapUsed - before.heapUsed) / VENS / 1024).toFixed(1)} KiB`],
  ['registration (query + create + report METADATA + created report)', `${((registerSeconds * 1000) / VENS).toFixed(2)} ms per VEN, sequential`],
  ['polls', polls],
  ['VEN-side CPU per poll (user + system)', `${((cpu.user + cpu.system) / polls).toFixed(0)} µs`],
  ['poll throughput, all VENs at once', `${Math.round((polls / wallMs) * 1000).toLocaleString('en-US')} polls/s`],
  ['at a 10 s poll frequency, one core carries', `~${Math.round(10_000_000 / ((cpu.user + cpu.system) / polls)).toLocaleString('en-US')} VENs`],
]));
for (const v of vens) await v.stop();
for (const s of stores) s.close();
child.kill('SIGTERM');
process.exit(0);
