// npm run bench:anchor — the DR contract on the embedded ledger and as pure functions, beside
// seed 002's Table 5.1 (Hyperledger Fabric on the thesis' test network).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocate, baselineHighLowXofY, EmbeddedLedger, initialAvailability, settle, type DayProfile } from '../anchor/index.js';
import { dates, householdDay, operator, retailer } from '../anchor/test/scenario.js';
import { systemClock } from '../src/clock.js';
import { openTestPki, readPem } from '../src/pki.js';
import { table } from './measure.js';

const log = (line: string): void => { process.stderr.write(`  ${line}\n`); };
const cert = openTestPki(join(tmpdir(), 'flexbridge-bench-pki')).issue('ledger-node', 'ecdsa');
const node = { privateKeyPem: readPem(cert.keyPath), certificatePem: readPem(cert.certPath) };
const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

const LEDGER_METERS = 1000;
const DAYS = 35;
const CUSTOMERS = 10_000;
const days = dates('2026-10-19', DAYS);
const rows: (string | number)[][] = [];

// ---- on the embedded ledger ----------------------------------------------------------------
const ledger = new EmbeddedLedger({ path: join(mkdtempSync(join(tmpdir(), 'bench-anchor-')), 'ledger.sqlite'), node, clock: systemClock });
log(`registering ${LEDGER_METERS} meters`);
await Promise.all(Array.from({ length: LEDGER_METERS }, (_, m) => ledger.submit('registerMeter', { meterId: `meter-${m}`, customerId: `customer-${m}`, retailerId: 'retailer-1' }, operator)));
log(`recording ${LEDGER_METERS * DAYS} meter-days (96 quarter-hours each)`);
let t0 = process.hrtime.bigint();
for (const [d, date] of days.entries()) {
  await Promise.all(Array.from({ length: LEDGER_METERS }, (_, m) => ledger.submit('recordEnergy', { meterId: `meter-${m}`, date, intervalMinutes: 15, values: householdDay(1500 + (m % 1000), d * 31 + m) }, retailer)));
}
const recordSeconds = seconds(t0);
const meterDaysPerSecond = (LEDGER_METERS * DAYS) / recordSeconds;
rows.push(['recordEnergy (one meter-day)', `${(1e3 / meterDaysPerSecond).toFixed(3)} ms (${Math.round(meterDaysPerSecond).toLocaleString('en-US')} meter-days/s, ${ledger.height()} blocks)`, '10.2 s per profile', `${Math.round(10.2 * meterDaysPerSecond).toLocaleString('en-US')}×`]);

log('commit latency of a single recordEnergy');
const latencies: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = process.hrtime.bigint();
  const date = new Date(Date.UTC(2027, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  await ledger.submit('recordEnergy', { meterId: 'meter-0', date, intervalMinutes: 15, values: householdDay(1500, i) }, retailer);
  latencies.push(seconds(t) * 1000);
}
latencies.sort((a, b) => a - b);
rows.push(['commit latency, one transaction alone', `p50 ${latencies[100]!.toFixed(2)} ms, p99 ${latencies[198]!.toFixed(2)} ms`, '—', '']);

log(`evaluateBaseline for ${LEDGER_METERS} meters on the ledger`);
t0 = process.hrtime.bigint();
for (let m = 0; m < LEDGER_METERS; m++) await ledger.evaluate('evaluateBaseline', { meterId: `meter-${m}`, eventDate: '2026-11-24', notifiedOn: '2026-11-23' }, operator);
const baselineLedger = seconds(t0) / LEDGER_METERS;
rows.push(['evaluateBaseline (one customer, 35 days)', `${(baselineLedger * 1000).toFixed(2)} ms`, '12 s per customer', `${Math.round(12 / baselineLedger).toLocaleString('en-US')}×`]);

log(`notifyDREvent across ${LEDGER_METERS} meters (baselines, availability, allocation, written)`);
t0 = process.hrtime.bigint();
await ledger.submit('notifyDREvent', { eventId: 'bench-dr', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(200_000), meterIds: Array.from({ length: LEDGER_METERS }, (_, m) => `meter-${m}`) }, operator);
const notifySeconds = seconds(t0);
rows.push([`notifyDREvent (${LEDGER_METERS} customers in one transaction)`, `${notifySeconds.toFixed(2)} s`, '2.3 s (notifyDRevent)', `${(2.3 / notifySeconds).toFixed(1)}×`]);

await Promise.all(Array.from({ length: LEDGER_METERS }, (_, m) => ledger.submit('recordEnergy', { meterId: `meter-${m}`, date: '2026-11-24', intervalMinutes: 15, values: householdDay(1200, m), eventDay: true }, retailer)));
log(`settle across ${LEDGER_METERS} meters (rewards as tokens, availability update)`);
t0 = process.hrtime.bigint();
await ledger.submit('settle', { eventId: 'bench-dr', scale: 100 }, operator);
const settleSeconds = seconds(t0);
rows.push([`settle (${LEDGER_METERS} customers in one transaction)`, `${settleSeconds.toFixed(2)} s`, '2.3 s (getDRToken)', `${(2.3 / settleSeconds).toFixed(1)}×`]);
log('verifying the chain');
t0 = process.hrtime.bigint();
const check = ledger.verifyChain();
rows.push([`verifyChain (${check.blocks} blocks, ok: ${check.ok})`, `${seconds(t0).toFixed(2)} s`, '—', '']);
ledger.close();

// ---- the pure contract functions at 10,000 customers ------------------------------------------
log(`pure functions for ${CUSTOMERS.toLocaleString('en-US')} customers`);
const histories: DayProfile[][] = Array.from({ length: CUSTOMERS }, (_, c) => days.map((date, d) => ({ date, values: householdDay(1500 + (c % 1000), d * 31 + c) })));
t0 = process.hrtime.bigint();
const baselines = histories.map((h) => baselineHighLowXofY(h, '2026-11-24', '2026-11-23', 96).values);
const baselineSeconds = seconds(t0);
rows.push([`${CUSTOMERS.toLocaleString('en-US')} baselines × 35 days (pure)`, `${baselineSeconds.toFixed(2)} s`, `${(12 * CUSTOMERS / 3600).toFixed(0)} h at 12 s each`, `target < 2 s: ${baselineSeconds < 2 ? 'met' : 'NOT met'}`]);
t0 = process.hrtime.bigint();
const allocation = allocate(Array.from({ length: 96 }, (_, k) => (k >= 28 && k < 76 ? 2_000_000 : 0)), baselines.map((b, c) => ({ customerId: `c${c}`, baseline: b, availability: initialAvailability(96) })));
rows.push([`allocation across ${CUSTOMERS.toLocaleString('en-US')} customers, 48 event intervals (pure)`, `${seconds(t0).toFixed(2)} s (max ${Math.max(...allocation.iterations)} iterations)`, '—', '']);
t0 = process.hrtime.bigint();
for (const [c, a] of allocation.customers.entries()) settle(baselines[c]!, householdDay(1200, c), a.target.map((t, k) => (k >= 28 && k < 76 ? t : undefined)), { scale: 100, intervalHours: 0.25 });
rows.push([`settlement of ${CUSTOMERS.toLocaleString('en-US')} customers (pure)`, `${seconds(t0).toFixed(2)} s`, '—', '']);

console.log(`DR contract benchmark — embedded ledger (SQLite WAL, synchronous=FULL, one fsync per block, ≤ 500 transactions per block), Node ${process.version}\n`);
console.log(table(['operation', 'FlexBridge', 'seed 002 Table 5.1 (Fabric)', 'speed-up / note'], rows));
console.log(`\nTargets: ≥ 10,000 meter-days/s recorded on the embedded ledger: ${meterDaysPerSecond >= 10_000 ? 'met' : 'NOT met'} (${Math.round(meterDaysPerSecond).toLocaleString('en-US')}/s); 10,000 baselines < 2 s: ${baselineSeconds < 2 ? 'met' : 'NOT met'} (${baselineSeconds.toFixed(2)} s).`);
