import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('flexbridge ven', () => {
  let running: RunningVtn;
  afterAll(() => running?.vtn.stop());

  it('runs a VEN from a config file: registers and reports the power its file says', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven-cli-'));
    running = await startTlsVtn(join(work, 'vtn'), { policy: { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 1000 } });
    const pki = testPki();
    const cert = pki.issue('cli-ven', 'rsa');
    const powerFile = join(work, 'power.txt');
    writeFileSync(powerFile, '2345\n');
    const config = join(work, 'ven.json');
    writeFileSync(config, JSON.stringify({ vtnUrl: running.oadrUrl, venName: 'cli-ven', store: join(work, 'ven.sqlite'), tls: { key: cert.keyPath, cert: cert.certPath, ca: pki.caPath }, usage: [{ rId: 'p', resourceId: 'meter', file: powerFile }], logLevel: 'warn' }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'ven', '--config', config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    try {
      const venId = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`VEN did not start:\n${output}`)), 20_000);
        child.stdout.on('data', () => { const m = /"venId":"([0-9a-f]{20})"/.exec(output); if (m) { clearTimeout(timer); resolve(m[1]!); } });
      });
      const deadline = Date.now() + 15_000;
      let readings = await running.vtn.store.read.listReadings({ venId });
      while (readings.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        readings = await running.vtn.store.read.listReadings({ venId });
      }
      expect(readings[0]?.payload.value).toEqual({ kind: 'float', value: 2345 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((r) => child.once('exit', (code) => r(code)))).toBe(0);
  }, 60_000);
});
