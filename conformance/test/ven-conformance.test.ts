import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from '../cli.js';
import { withCapturedOutput } from './captured-output.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { Ven, VenStore } from '../../ven/index.js';
import { venCases } from '../cases/ven/index.js';
import { runCases } from '../harness/runner.js';
import { startVenCase, type VenControl, type VenTarget } from '../harness/ven-target.js';
import { freePort } from '../../test/support/python-peers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('conformance: the VEN case list against our VEN', () => {
  // Optional features our VEN does not offer; every other case of the list must pass.
  const notApplicable: Record<string, RegExp> = Object.fromEntries([
    ...['R1_3070', 'R1_3080', 'R1_3090', 'R1_3100', 'R1_3120', 'R0_8070', 'R0_8080', 'R0_8090', 'R0_8100', 'R0_8120'].map((id) => [`${id}_TH_VTN`, /asks for none of the VTN's reports/]),
    ...['R1_3130', 'R1_3140', 'R0_8130', 'R0_8140'].map((id) => [`${id}_TH_VTN`, /offers no HISTORY_USAGE report/]),
    ...['E1_1065', 'E0_6065'].map((id) => [`${id}_TH_VTN`, /only in self-test/]),
  ]);

  it('passes every case of the list (pull, push, extras) against our VEN library, pull and push, the harness playing the VTN', async () => {
    const pki = testPki();
    const server = pki.issue('conformance-harness-vtn', 'ecdsa');
    const client = pki.issue('conformance-ven-under-test', 'ecdsa');
    const tls = { key: readPem(client.keyPath), cert: readPem(client.certPath), ca: readPem(pki.caPath) };
    let n = 0;
    const target: VenTarget = {
      server: { key: readPem(server.keyPath), cert: readPem(server.certPath), ca: readPem(pki.caPath) },
      push: true, preallocatedVenId: true,
      async start(vtnUrl, { delivery, venId }) {
        const store = new VenStore(join(mkdtempSync(join(tmpdir(), 'ven-under-test-')), `ven-${n++}.sqlite`));
        const port = delivery === 'push' ? await freePort() : 0;
        const ven = new Ven({
          vtnUrl, venName: 'ven-under-test', store, jitter: 0, tls, samplingMinPeriodMs: 1_000, ...(venId ? { venId } : {}),
          ...(delivery === 'push' ? { push: { host: '127.0.0.1', port, transportAddress: `https://127.0.0.1:${port}` } } : {}),
          usage: [{ rId: 'power', resourceId: 'meter-1', read: () => 1234 }],
          status: [{ rId: 'status', resourceId: 'meter-1', read: () => ({ online: true, manualOverride: false }) }],
        });
        await ven.start();
        const control: VenControl = {
          queryRegistration: async () => { await ven.queryRegistration(); },
          cancelRegistration: () => ven.cancelRegistration(),
          register: (fresh) => ven.register({ fresh }),
          createOpt: (opt) => ven.createOpt(opt),
          cancelOpt: (optId) => ven.cancelOpt(optId),
        };
        return { control, stop: async () => { await ven.stop(); store.close(); } };
      },
    };
    const results = await runCases(venCases, target, (c) => startVenCase(target, c));
    expect(results.filter((r) => r.outcome === 'fail').map((r) => `${r.id}: ${r.reason ?? ''}`)).toEqual([]);
    const skipped = results.filter((r) => r.outcome === 'n/a');
    expect(skipped.map((r) => r.id).sort()).toEqual(Object.keys(notApplicable).sort());
    for (const r of skipped) expect(r.reason).toMatch(notApplicable[r.id]!);
    expect(venCases.length).toBeGreaterThanOrEqual(105);
  }, 900_000);

  it('runs through the CLI against `flexbridge ven` started per case, and writes JSON', async () => {
    const pki = testPki();
    const client = pki.issue('conformance-cli-ven', 'ecdsa');
    const work = mkdtempSync(join(tmpdir(), 'conformance-ven-cli-'));
    const config = join(work, 'ven.json');
    writeFileSync(config, JSON.stringify({ vtnUrl: 'https://replaced.invalid/', venName: 'cli-ven', tls: { key: client.keyPath, cert: client.certPath, ca: pki.caPath }, usage: [{ rId: 'power', resourceId: 'm', constantW: 1000 }], logLevel: 'error' }));
    const command = `FLEXBRIDGE_VEN_VTN_URL={url} FLEXBRIDGE_VEN_STORE={dir}/ven.sqlite FLEXBRIDGE_VEN_ID={venId} ${process.execPath} --import tsx ${join(root, 'cli.ts')} ven --config ${config}`;
    const push = `FLEXBRIDGE_VEN_PUSH_PORT={port} ${command.replace(' FLEXBRIDGE_VEN_ID={venId}', '')}`;
    const { result: code } = await withCapturedOutput(() => runConformance(['--ven', command, '--ven-push', push, '--ca', pki.caPath, '--pki', pki.directory, '--cases', '^(N1_0020|E1_1020|N1_0025|N0_5020|E0_6020|P1_2010)_', '--json', join(work, 'r.json')]));
    const report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')) as { role: string; results: { id: string; outcome: string; reason?: string }[] };
    expect(report.results.map((r) => `${r.id} ${r.outcome}`)).toEqual(['N1_0020_TH_VTN pass', 'N1_0025_TH_VTN pass', 'E1_1020_TH_VTN pass', 'P1_2010_TH_VTN n/a', 'N0_5020_TH_VTN pass', 'E0_6020_TH_VTN pass']);
    expect(report.results.find((r) => r.id === 'P1_2010_TH_VTN')?.reason).toMatch(/no control of the VEN under test/);
    expect(report.role).toBe('VEN');
    expect(code).toBe(0);
  }, 120_000);
});
