import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sqliteDriverOptions } from '../../src/sqlite.js';
import { ManualClock } from '../../src/clock.js';
import { readPem } from '../../src/pki.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { EmbeddedLedger } from '../index.js';
import { dates, householdDay, operator, retailer } from './scenario.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = (args: string[]): Promise<{ code: number; stdout: string }> => new Promise((resolve) => {
  execFile(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'anchor', ...args], { cwd: root }, (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
});

describe('flexbridge anchor verify | proof | check', () => {
  it('verifies a ledger, exports a settlement proof that checks offline, and reports tampering', async () => {
    const work = mkdtempSync(join(tmpdir(), 'anchor-cli-'));
    const cert = testPki().issue('ledger-node', 'ecdsa');
    const path = join(work, 'ledger.sqlite');
    const ledger = new EmbeddedLedger({ path, node: { privateKeyPem: readPem(cert.keyPath), certificatePem: readPem(cert.certPath) }, clock: new ManualClock(Date.UTC(2026, 10, 25)) });
    await ledger.submit('registerMeter', { meterId: 'meter-z', customerId: 'zoe', retailerId: 'retailer-1' }, operator);
    await Promise.all(dates('2026-10-19', 35).map((date, i) => ledger.submit('recordEnergy', { meterId: 'meter-z', date, intervalMinutes: 15, values: householdDay(2000, i) }, retailer)));
    await ledger.submit('notifyDREvent', { eventId: 'dr-z', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(500), meterIds: ['meter-z'] }, operator);
    await ledger.submit('recordEnergy', { meterId: 'meter-z', date: '2026-11-24', intervalMinutes: 15, values: householdDay(1500, 99), eventDay: true }, retailer);
    await ledger.submit('settle', { eventId: 'dr-z', scale: 100 }, operator);
    ledger.close();

    expect(await cli(['verify', '--ledger', path, '--node-cert', cert.certPath])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ledger verified: \d+ blocks/) });
    const proof = await cli(['proof', '--ledger', path, '--node-cert', cert.certPath, 'settlement', 'dr-z', 'meter-z']);
    expect(proof.code).toBe(0);
    const proofPath = join(work, 'proof.json');
    writeFileSync(proofPath, proof.stdout);
    const checked = await cli(['check', proofPath, '--node-cert', cert.certPath]);
    expect(checked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^proof holds: block \d+/) });
    expect(checked.stdout).toContain('"customerId": "zoe"');
    // Any record by its type and key (the bridge's chain is proved record by record this way).
    const meter = await cli(['proof', '--ledger', path, '--node-cert', cert.certPath, 'meter', 'meter-z']);
    expect(meter.code).toBe(0);
    expect(JSON.parse(meter.stdout)).toMatchObject({ objectType: 'meter', attributes: ['meter-z'] });
    expect(await cli(['proof', '--ledger', path, '--node-cert', cert.certPath, 'meter', 'nobody'])).toMatchObject({ code: 1 });

    const db = new Database(path, sqliteDriverOptions());
    db.prepare("UPDATE history SET value = CAST(replace(CAST(value AS TEXT), 'zoe', 'eve') AS BLOB) WHERE instr(CAST(value AS TEXT), 'zoe') > 0").run();
    db.close();
    expect(await cli(['verify', '--ledger', path, '--node-cert', cert.certPath])).toMatchObject({ code: 1, stdout: expect.stringMatching(/LEDGER DIVERGES/) });
  }, 60_000);
});

describe('flexbridge anchor baseline-report', () => {
  it('prints each customer\'s baseline method, back-cast accuracy and reward, with the reason a reward was withheld', async () => {
    const work = mkdtempSync(join(tmpdir(), 'anchor-report-'));
    const cert = testPki().issue('ledger-node', 'ecdsa');
    const path = join(work, 'ledger.sqlite');
    const ledger = new EmbeddedLedger({ path, node: { privateKeyPem: readPem(cert.keyPath), certificatePem: readPem(cert.certPath) }, clock: new ManualClock(Date.UTC(2026, 10, 25)) });
    for (const m of ['steady', 'erratic', 'newcomer']) await ledger.submit('registerMeter', { meterId: m, customerId: `c-${m}`, retailerId: 'retailer-1' }, operator);
    const shape = householdDay(1500, 1);
    for (const [i, date] of dates('2026-10-19', 35).entries()) {
      await ledger.submit('recordEnergyBatch', { days: [
        { meterId: 'steady', date, intervalMinutes: 15, values: shape },
        { meterId: 'erratic', date, intervalMinutes: 15, values: shape.map((v) => Math.round(v * (i % 2 ? 1.8 : 0.3))) },
        ...(i >= 30 ? [{ meterId: 'newcomer', date, intervalMinutes: 15, values: shape }] : []),
      ] }, retailer);
    }
    await ledger.submit('notifyDREvent', { eventId: 'dr-r', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(300), meterIds: ['steady', 'erratic', 'newcomer'], baseline: { maxRelativeRmse: 0.2 } }, operator);
    for (const m of ['steady', 'erratic']) await ledger.submit('recordEnergy', { meterId: m, date: '2026-11-24', intervalMinutes: 15, values: shape.map((v) => Math.round(v / 2)), eventDay: true }, retailer);
    await ledger.submit('settle', { eventId: 'dr-r', scale: 100 }, operator);
    ledger.close();

    const report = await cli(['baseline-report', '--ledger', path, '--node-cert', cert.certPath, 'dr-r']);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/2 customers baselined, paid only at a relative RMSE ≤ 20\.0 %/);
    expect(report.stdout).toMatch(/steady\s+c-steady\s+High21of35\s+10\s+0\.0 %\s+0\.0 %\s+\d+\.\d\d/);
    expect(report.stdout).toMatch(/erratic\s+c-erratic\s+High21of35\s+10\s+\d+\.\d %.*0\.00\s+withheld: the baseline back-casts/);
    expect(report.stdout).toMatch(/newcomer\s+\?\s+not baselined.*5 of 21 history days/);
    expect(await cli(['baseline-report', '--ledger', path, '--node-cert', cert.certPath, 'no-such'])).toMatchObject({ code: 1 });
  }, 60_000);
});
