import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../src/clock.js';
import { readPem } from '../../src/pki.js';
import { apiCall, startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { EmbeddedLedger } from '../index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('flexbridge anchor run', () => {
  let running: RunningVtn;
  afterAll(() => running?.vtn.stop());

  it('follows the VTN feed onto the ledger as its own process and stops cleanly', async () => {
    const work = mkdtempSync(join(tmpdir(), 'anchor-run-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const node = testPki().issue('ledger-node', 'ecdsa');
    const ledgerPath = join(work, 'ledger.sqlite');
    const config = join(work, 'anchor.json');
    writeFileSync(config, JSON.stringify({ vtnApiUrl: running.apiUrl, store: join(work, 'anchor.sqlite'), ledger: { path: ledgerPath, nodeKey: node.keyPath, nodeCert: node.certPath }, logLevel: 'warn' }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'anchor', 'run', '--config', config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    try {
      await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
      await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId: 'run-1', dtstart: Date.now() + 3_600_000, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
      const deadline = Date.now() + 20_000;
      let found = false;
      while (!found && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        try {
          const reader = new EmbeddedLedger({ path: ledgerPath, node: { certificatePem: readPem(node.certPath) }, clock: new ManualClock(0) });
          found = reader.history('eventVersion', ['run-1', '0000000000']).length === 1;
          reader.close();
        } catch { /* the ledger file may not exist yet */ }
      }
      expect(found ? 'anchored' : `not anchored:\n${output}`).toBe('anchored');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((r) => child.once('exit', (code) => r(code)))).toBe(0);
  }, 60_000);
});
