// npm run bench:fabric — seed 002's Table 5.1 operations on a real Hyperledger Fabric network
// (two organisations, three Raft orderers, chaincode as a service, every node on this machine),
// with the seed's block settings (BatchTimeout 2 s, MaxMessageCount 10) and tuned ones
// (250 ms, 100), beside the embedded ledger, in one run, with the CPU each Fabric process spent.
// Sizes: BENCH_FABRIC_METERS (default 1,000), BENCH_FABRIC_BATCH meter-days per recordEnergyBatch (25).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger, FabricNetwork, type ContractLedger } from '../anchor/index.js';
import { dates, householdDay, operator, retailer } from '../anchor/test/scenario.js';
import { systemClock } from '../src/clock.js';
import { openTestPki, readPem } from '../src/pki.js';
import { table } from './measure.js';

const METERS = Number(process.env.BENCH_FABRIC_METERS ?? 1000);
const DAYS = 35;
/** The first days are recorded one meter-day per transaction (the seed's way), the rest in batches. */
const SINGLE_DAYS = 3;
const BATCH = Number(process.env.BENCH_FABRIC_BATCH ?? 25);
const BATCHES_IN_FLIGHT = 12;
const CONCURRENCY = Number(process.env.BENCH_FABRIC_CONCURRENCY ?? 150);
const log = (line: string): void => { process.stderr.write(`  ${line}\n`); };
const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** Runs `count` calls with at most `width` in flight; returns each call's latency (ms). */
async function pool(count: number, width: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) {
      const i = next++;
      const t = process.hrtime.bigint();
      await call(i);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  return latencies.sort((a, b) => a - b);
}

/** CPU seconds a phase cost, by component (Fabric's processes read from /proc, the client from Node). */
type CpuSplit = Record<'peers' | 'orderers' | 'chaincode' | 'client' | 'ioWait', number>;
const TICKS_PER_SECOND = 100;

function cpuSeconds(pid: number): number {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Time this machine's cores spent idle waiting for the disk (fsync of blocks, WAL and state). */
function ioWaitSeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  return Number(fields[5]) / TICKS_PER_SECOND;
}

function cpuSnapshot(network: FabricNetwork | undefined): CpuSplit {
  const split: CpuSplit = { peers: 0, orderers: 0, chaincode: 0, client: 0, ioWait: ioWaitSeconds() };
  for (const p of network?.status().processes ?? []) {
    const component = p.name.startsWith('peer') ? 'peers' : p.name.startsWith('orderer') ? 'orderers' : p.name === 'chaincode' ? 'chaincode' : undefined;
    if (component) split[component] += cpuSeconds(p.pid);
  }
  const usage = process.cpuUsage();
  split.client = (usage.user + usage.system) / 1e6;
  return split;
}

function cpuSince(before: CpuSplit, network: FabricNetwork | undefined): CpuSplit {
  const now = cpuSnapshot(network);
  return { peers: now.peers - before.peers, orderers: now.orderers - before.orderers, chaincode: now.chaincode - before.chaincode, client: now.client - before.client, ioWait: now.ioWait - before.ioWait };
}

interface Figures {
  singleMeterDaysPerSecond: number;
  meterDaysPerSecond: number;
  /** CPU by component per phase, with the phase's length (s). */
  phases: [string, CpuSplit, number][];
  commitP50: number;
  commitP99: number;
  notifySeconds: number;
  settleSeconds: number;
  queryP50: number;
  queryP99: number;
  txPerSecond: number;
}

async function run(name: string, ledger: ContractLedger, suffix: string, network?: FabricNetwork): Promise<Figures> {
  const days = dates('2026-10-19', DAYS);
  const meter = (m: number): string => `bench-${suffix}-${m}`;
  log(`${name}: registering ${METERS} meters`);
  await pool(METERS, CONCURRENCY, (m) => ledger.submit('registerMeter', { meterId: meter(m), customerId: `customer-${suffix}-${m}`, retailerId: 'retailer-1' }, operator));
  const day = (i: number, d: number) => ({ meterId: meter(i), date: days[d]!, intervalMinutes: 15, values: householdDay(1500 + ((d * METERS + i) % 700), d * METERS + i) });
  log(`${name}: recording ${METERS * SINGLE_DAYS} meter-days, one per transaction, ${CONCURRENCY} in flight`);
  let t0 = process.hrtime.bigint();
  await pool(METERS * SINGLE_DAYS, CONCURRENCY, (i) => ledger.submit('recordEnergy', day(i % METERS, Math.floor(i / METERS)), retailer));
  const singleMeterDaysPerSecond = (METERS * SINGLE_DAYS) / seconds(t0);
  const batched = METERS * (DAYS - SINGLE_DAYS);
  log(`${name}: recording ${batched} meter-days, ${BATCH} per recordEnergyBatch, ${BATCHES_IN_FLIGHT} in flight`);
  let cpu = cpuSnapshot(network);
  t0 = process.hrtime.bigint();
  await pool(Math.ceil(batched / BATCH), BATCHES_IN_FLIGHT, (b) => ledger.submit('recordEnergyBatch', {
    days: Array.from({ length: Math.min(BATCH, batched - b * BATCH) }, (_, k) => { const i = b * BATCH + k; return day(i % METERS, SINGLE_DAYS + Math.floor(i / METERS)); }),
  }, retailer));
  const energySeconds = seconds(t0);
  const energyCpu = cpuSince(cpu, network);
  const meterDaysPerSecond = batched / energySeconds;
  log(`${name}: commit latency of one transaction alone (20 in a row)`);
  const alone = await pool(20, 1, (i) => ledger.submit('recordEnergy', { meterId: meter(0), date: `2027-01-${String(i + 1).padStart(2, '0')}`, intervalMinutes: 15, values: householdDay(1500, i) }, retailer));
  log(`${name}: notifyDREvent across ${METERS} customers`);
  cpu = cpuSnapshot(network);
  t0 = process.hrtime.bigint();
  await ledger.submit('notifyDREvent', { eventId: `bench-${suffix}`, date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(METERS * 200), meterIds: Array.from({ length: METERS }, (_, m) => meter(m)) }, operator);
  const notifySeconds = seconds(t0);
  const notifyCpu = cpuSince(cpu, network);
  await pool(METERS, CONCURRENCY, (m) => ledger.submit('recordEnergy', { meterId: meter(m), date: '2026-11-24', intervalMinutes: 15, values: householdDay(1200, m), eventDay: true }, retailer));
  log(`${name}: settle across ${METERS} customers`);
  cpu = cpuSnapshot(network);
  t0 = process.hrtime.bigint();
  await ledger.submit('settle', { eventId: `bench-${suffix}`, scale: 100 }, operator);
  const settleSeconds = seconds(t0);
  const settleCpu = cpuSince(cpu, network);
  log(`${name}: 200 queries (queryEnergy)`);
  const queries = await pool(200, 1, (i) => ledger.evaluate('queryEnergy', { meterId: meter(i % METERS), date: days[i % DAYS]! }, operator));
  log(`${name}: sustained writes (recordTelemetryWindow, ${CONCURRENCY} in flight)`);
  const windows = Math.max(1000, METERS * 5);
  cpu = cpuSnapshot(network);
  t0 = process.hrtime.bigint();
  await pool(windows, CONCURRENCY, (i) => ledger.submit('recordTelemetryWindow', { venId: `ven-${suffix}`, reportRequestId: 'bench', from: i * 900_000, to: (i + 1) * 900_000, count: 1, readingsSha256: 'b'.repeat(64) }, operator));
  const sustainedSeconds = seconds(t0);
  const sustainedCpu = cpuSince(cpu, network);
  const txPerSecond = windows / sustainedSeconds;
  const phases: [string, CpuSplit, number][] = [['recordEnergyBatch', energyCpu, energySeconds], ['notifyDREvent', notifyCpu, notifySeconds], ['settle', settleCpu, settleSeconds], ['sustained writes', sustainedCpu, sustainedSeconds]];
  return { singleMeterDaysPerSecond, meterDaysPerSecond, phases, commitP50: percentile(alone, 0.5), commitP99: percentile(alone, 0.99), notifySeconds, settleSeconds, queryP50: percentile(queries, 0.5), queryP99: percentile(queries, 0.99), txPerSecond };
}

async function onFabric(label: string, batchTimeout: string, maxMessageCount: number, basePort: number, parent = tmpdir()): Promise<Figures> {
  const dir = mkdtempSync(join(parent, 'bench-fabric-'));
  const network = new FabricNetwork({ dir, basePort, batchTimeout, maxMessageCount, progress: (line) => log(`${label}: ${line}`) });
  try {
    await network.up();
    const ledger = network.ledger();
    try {
      return await run(label, ledger, `${batchTimeout}-${maxMessageCount}-${Date.now().toString(36)}`, network);
    } finally {
      ledger.close();
    }
  } finally {
    await network.down();
    rmSync(dir, { recursive: true, force: true });
  }
}

const cert = openTestPki(join(tmpdir(), 'flexbridge-bench-pki')).issue('ledger-node', 'ecdsa');
const embedded = new EmbeddedLedger({ path: join(mkdtempSync(join(tmpdir(), 'bench-fabric-embedded-')), 'ledger.sqlite'), node: { privateKeyPem: readPem(cert.keyPath), certificatePem: readPem(cert.certPath) }, clock: systemClock });
const results: [string, Figures][] = [];
results.push(['embedded ledger', await run('embedded', embedded, 'embedded')]);
embedded.close();
results.push(['Fabric, seed settings (2 s, 10)', await onFabric('fabric seed', '2s', 10, 37050)]);
results.push(['Fabric, tuned (250 ms, 100)', await onFabric('fabric tuned', '250ms', 100, 37150)]);
// The same with every node's data in memory: how much of the time is the disk's (fsync per block).
if (process.env.BENCH_FABRIC_TMPFS === '1') results.push(['Fabric, tuned, data on tmpfs', await onFabric('fabric tuned tmpfs', '250ms', 100, 37250, '/dev/shm')]);

const seed = ['25 tx/s (Table 5.1)', '0.1 meter-days/s (10.2 s per profile)', '—', '2.3 s', '2.3 s (getDRToken)', '0.065 s', '—', '25 tx/s'];
const target = ['', '≥ 200/s', '', '< 5 s (1,000 cust.)', '< 5 s (1,000 cust.)', '< 20 ms', '', '≥ 300 tx/s'];
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rowsOut = [
  ['recordEnergy meter-days/s, one per tx', ...results.map(([, f]) => fmt(f.singleMeterDaysPerSecond)), seed[1]!, ''],
  [`recordEnergyBatch meter-days/s, ${BATCH} per tx`, ...results.map(([, f]) => fmt(f.meterDaysPerSecond)), seed[1]!, target[1]!],
  ['commit latency p50 / p99 (ms)', ...results.map(([, f]) => `${fmt(f.commitP50)} / ${fmt(f.commitP99)}`), seed[2]!, target[2]!],
  [`notifyDREvent, ${METERS} customers (s)`, ...results.map(([, f]) => fmt(f.notifySeconds, 2)), seed[3]!, target[3]!],
  [`settle, ${METERS} customers (s)`, ...results.map(([, f]) => fmt(f.settleSeconds, 2)), seed[4]!, target[4]!],
  ['query p50 / p99 (ms)', ...results.map(([, f]) => `${fmt(f.queryP50, 1)} / ${fmt(f.queryP99, 1)}`), seed[5]!, target[5]!],
  ['sustained writes (tx/s)', ...results.map(([, f]) => fmt(f.txPerSecond)), seed[7]!, target[7]!],
];
console.log(`\nSeed 002 Table 5.1 beside FlexBridge (${METERS} customers × ${DAYS} days, ${CONCURRENCY} transactions in flight, every node on this machine)\n`);
console.log(table(['operation', ...results.map(([n]) => n), 'seed 002', 'target'], rowsOut));

// Where the time goes: with every node on this machine, the two cores are shared by all of them.
const cores = 2;
const splitRows = results.slice(1).flatMap(([n, f]) => f.phases.map(([phase, c, s]) => {
  const busy = c.peers + c.orderers + c.chaincode + c.client;
  const pct = (x: number): string => `${fmt((100 * x) / (cores * s))} %`;
  return [`${n}: ${phase}`, pct(c.peers), pct(c.orderers), pct(c.chaincode), pct(c.client), pct(busy), pct(c.ioWait)];
}));
console.log(`\nCPU by component while writing, as a share of this machine's ${cores} cores\n`);
console.log(table(['phase', 'peers (2)', 'orderers', 'chaincode', 'client (gateway SDK)', 'total busy', 'waiting for disk'], splitRows));
