// Child process for the crash test: records meter-days as fast as it can and prints each
// acknowledged transaction after its block committed.
import { systemClock } from '../../src/clock.js';
import { readPem } from '../../src/pki.js';
import { EmbeddedLedger } from '../index.js';
import { householdDay, operator, retailer } from './scenario.js';

const [path, keyPath, certPath] = process.argv.slice(2) as [string, string, string];
const ledger = new EmbeddedLedger({ path, node: { privateKeyPem: readPem(keyPath), certificatePem: readPem(certPath) }, clock: systemClock });
await ledger.submit('registerMeter', { meterId: 'meter-crash', customerId: 'c', retailerId: 'retailer-1' }, operator, { txId: 'register' });
for (let i = 0; ; i++) {
  const date = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const txId = `energy-${i}`;
  const { blockNumber } = await ledger.submit('recordEnergy', { meterId: 'meter-crash', date, intervalMinutes: 15, values: householdDay(2000, i) }, retailer, { txId });
  process.stdout.write(`ack ${txId} ${blockNumber}\n`);
}
