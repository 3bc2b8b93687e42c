import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from '../cli.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { Ven, VenStore } from '../../ven/index.js';
import { venCases } from '../cases/ven/index.js';
import { runCases } from '../harness/runner.js';
import { startVenCase, type VenTarget } from '../harness/ven-target.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('conformance: the VEN case list against our VEN', () => {
  it('passes every case, the harness playing the VTN', async () => {
    const pki = testPki();
    const server = pki.issue('conformance-harness-vtn', 'ecdsa');
    const client = pki.issue('conformance-ven-under-test', 'ecdsa');
    let n = 0;
    const target: VenTarget = {
      server: { key: readPem(server.keyPath), cert: readPem(server.certPath), ca: readPem(pki.caPath) },
      async start(vtnUrl) {
        const store = new VenStore(join(mkdtempSync(join(tmpdir(), 'ven-under-test-')), `ven-${n++}.sqlite`));
        const ven = new Ven({
          vtnUrl, venName: 'ven-under-test', store, jitter: 0,
          tls: { key: readPem(client.keyPath), cert: readPem(client.certPath), ca: readPem(pki.caPath) },
          usage: [{ rId: 'power', resourceId: 'meter-1', read: () => 1234 }],
        });
        await ven.start();
        return { stop: async () => { await ven.stop(); store.close(); } };
      },
    };
    const results = await runCases(venCases, target, () => startVenCase(target));
    expect(results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id}: ${r.reason ?? ''}`)).toEqual([]);
  }, 120_000);

  it('runs through the CLI against `flexbridge ven` started per case, and writes JSON', async () => {
    const pki = testPki();
    const client = pki.issue('conformance-cli-ven', 'ecdsa');
    const work = mkdtempSync(join(tmpdir(), 'conformance-ven-cli-'));
    const config = join(work, 'ven.json');
    writeFileSync(config, JSON.stringify({ vtnUrl: 'https://replaced.invalid/', venName: 'cli-ven', tls: { key: client.keyPath, cert: client.certPath, ca: pki.caPath }, usage: [{ rId: 'power', resourceId: 'm', constantW: 1000 }], logLevel: 'error' }));
    const command = `FLEXBRIDGE_VEN_VTN_URL={url} FLEXBRIDGE_VEN_STORE={dir}/ven.sqlite ${process.execPath} --import tsx ${join(root, 'cli.ts')} ven --config ${config}`;
    const log = console.log;
    const write = process.stdout.write.bind(process.stdout);
    console.log = () => undefined;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let code: number;
    try {
      code = await runConformance(['--ven', command, '--ca', pki.caPath, '--pki', pki.directory, '--cases', '^(N1_0020|E1_1020)', '--json', join(work, 'r.json')]);
    } finally {
      console.log = log;
      process.stdout.write = write;
    }
    const report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')) as { role: string; results: { id: string; outcome: string; reason?: string }[] };
    expect(report.results.map((r) => `${r.id} ${r.outcome} ${r.reason ?? ''}`.trim())).toEqual(['N1_0020_TH_VTN pass', 'E1_1020_TH_VTN pass']);
    expect(report.role).toBe('VEN');
    expect(code).toBe(0);
  }, 120_000);
});
