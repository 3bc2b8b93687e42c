// npm run bench:fabric — seed 002's Table 5.1 operations on a real Hyperledger Fabric network
// (two organisations, three Raft orderers, chaincode as a service, every node on this machine),
// with the seed's block settings (BatchTimeout 2 s, MaxMessageCount 10) and tuned ones
// (250 ms, 100), beside the embedded ledger, in one run. Sizes: BENCH_FABRIC_METERS (default 200).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger, FabricNetwork, type ContractLedger } from '../anchor/index.js';
import { dates, householdDay, operator, retailer } from '../anchor/test/scenario.js';
import { systemClock } from '../src/clock.js';
import { openTestPki, readPem } from '../src/pki.js';
import { table } from './measure.js';

const METERS = Number(process.env.BENCH_FABRIC_METERS ?? 200);
const DAYS = 35;
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

interface Figures {
  meterDaysPerSecond: number;
  commitP50: number;
  commitP99: number;
  notifySeconds: number;
  settleSeconds: number;
  queryP50: number;
  queryP99: number;
  txPerSecond: number;
}

async function run(name: string, ledger: ContractLedger, suffix: string): Promise<Figures> {
  const days = dates('2026-10-19', DAYS);
  const meter = (m: number): string => `bench-${suffix}-${m}`;
  log(`${name}: registering ${METERS} meters`);
  await pool(METERS, CONCURRENCY, (m) => ledger.submit('registerMeter', { meterId: meter(m), customerId: `customer-${suffix}-${m}`, retailerId: 'retailer-1' }, operator));
  log(`${name}: recording ${METERS * DAYS} meter-days (one per transaction, ${CONCURRENCY} in flight)`);
  let t0 = process.hrtime.bigint();
  await pool(METERS * DAYS, CONCURRENCY, (i) => ledger.submit('recordEnergy', { meterId: meter(i % METERS), date: days[Math.floor(i / METERS)]!, intervalMinutes: 15, values: householdDay(1500 + (i % 700), i) }, retailer));
  const meterDaysPerSecond = (METERS * DAYS) / seconds(t0);
  log(`${name}: commit latency of one transaction alone (20 in a row)`);
  const alone = await pool(20, 1, (i) => ledger.submit('recordEnergy', { meterId: meter(0), date: `2027-01-${String(i + 1).padStart(2, '0')}`, intervalMinutes: 15, values: householdDay(1500, i) }, retailer));
  log(`${name}: notifyDREvent across ${METERS} customers`);
  t0 = process.hrtime.bigint();
  await ledger.submit('notifyDREvent', { eventId: `bench-${suffix}`, date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(METERS * 200), meterIds: Array.from({ length: METERS }, (_, m) => meter(m)) }, operator);
  const notifySeconds = seconds(t0);
  await pool(METERS, CONCURRENCY, (m) => ledger.submit('recordEnergy', { meterId: meter(m), date: '2026-11-24', intervalMinutes: 15, values: householdDay(1200, m), eventDay: true }, retailer));
  log(`${name}: settle across ${METERS} customers`);
  t0 = process.hrtime.bigint();
  await ledger.submit('settle', { eventId: `bench-${suffix}`, scale: 100 }, operator);
  const settleSeconds = seconds(t0);
  log(`${name}: 200 queries (queryEnergy)`);
  const queries = await pool(200, 1, (i) => ledger.evaluate('queryEnergy', { meterId: meter(i % METERS), date: days[i % DAYS]! }, operator));
  log(`${name}: sustained writes (recordTelemetryWindow, ${CONCURRENCY} in flight)`);
  const windows = Math.max(1000, METERS * 5);
  t0 = process.hrtime.bigint();
  await pool(windows, CONCURRENCY, (i) => ledger.submit('recordTelemetryWindow', { venId: `ven-${suffix}`, reportRequestId: 'bench', from: i * 900_000, to: (i + 1) * 900_000, count: 1, readingsSha256: 'b'.repeat(64) }, operator));
  const txPerSecond = windows / seconds(t0);
  return { meterDaysPerSecond, commitP50: percentile(alone, 0.5), commitP99: percentile(alone, 0.99), notifySeconds, settleSeconds, queryP50: percentile(queries, 0.5), queryP99: percentile(queries, 0.99), txPerSecond };
}

async function onFabric(label: string, batchTimeout: string, maxMessageCount: number, basePort: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fabric-'));
  const network = new FabricNetwork({ dir, basePort, batchTimeout, maxMessageCount, progress: (line) => log(`${label}: ${line}`) });
  try {
    await network.up();
    const ledger = network.ledger();
    try {
      return await run(label, ledger, `${batchTimeout}-${maxMessageCount}-${Date.now().toString(36)}`);
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

const seed = ['25 tx/s (Table 5.1)', '10.2 s per profile', '—', '2.3 s', '2.3 s (getDRToken)', '0.065 s', '—', '25 tx/s'];
const target = ['', '≥ 200/s', '', '< 5 s (1,000 cust.)', '< 5 s (1,000 cust.)', '< 20 ms', '', '≥ 300 tx/s'];
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rowsOut = [
  ['recordEnergy meter-days/s', ...results.map(([, f]) => fmt(f.meterDaysPerSecond)), seed[1]!, target[1]!],
  ['commit latency p50 / p99 (ms)', ...results.map(([, f]) => `${fmt(f.commitP50)} / ${fmt(f.commitP99)}`), seed[2]!, target[2]!],
  [`notifyDREvent, ${METERS} customers (s)`, ...results.map(([, f]) => fmt(f.notifySeconds, 2)), seed[3]!, target[3]!],
  [`settle, ${METERS} customers (s)`, ...results.map(([, f]) => fmt(f.settleSeconds, 2)), seed[4]!, target[4]!],
  ['query p50 / p99 (ms)', ...results.map(([, f]) => `${fmt(f.queryP50, 1)} / ${fmt(f.queryP99, 1)}`), seed[5]!, target[5]!],
  ['sustained writes (tx/s)', ...results.map(([, f]) => fmt(f.txPerSecond)), seed[7]!, target[7]!],
];
console.log(`\nSeed 002 Table 5.1 beside FlexBridge (${METERS} customers × ${DAYS} days, ${CONCURRENCY} transactions in flight, every node on this machine)\n`);
console.log(table(['operation', ...results.map(([n]) => n), 'seed 002', 'target'], rowsOut));
