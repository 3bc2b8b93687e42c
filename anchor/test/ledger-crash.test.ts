import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../src/clock.js';
import { readPem } from '../../src/pki.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { EmbeddedLedger } from '../index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('embedded ledger durability', () => {
  it('survives kill -9 while writing: the chain verifies and every acknowledged transaction is in it', async () => {
    const cert = testPki().issue('ledger-node', 'ecdsa');
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-crash-')), 'ledger.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'ledger-writer.ts'), path, cert.keyPath, cert.certPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let stderr = '';
    let buffer = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`writer made too little progress:\n${stderr}`)), 30_000);
      child.stdout.on('data', (c: Buffer) => {
        buffer += c.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) if (line.startsWith('ack ')) acked.push(line.split(' ')[1]!);
        if (acked.length >= 200) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    const ledger = new EmbeddedLedger({ path, node: { privateKeyPem: readPem(cert.keyPath), certificatePem: readPem(cert.certPath) }, clock: new ManualClock(0) });
    try {
      const check = ledger.verifyChain();
      expect(check.problems).toEqual([]);
      expect(check.blocks).toBeGreaterThanOrEqual(acked.length + 1);
      expect(acked.filter((txId) => ledger.blockOfTransaction(txId) === undefined)).toEqual([]);
    } finally {
      ledger.close();
    }
  }, 60_000);
});
