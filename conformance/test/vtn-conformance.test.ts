import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serializePayload } from '../../schemas/index.js';
import { readPem } from '../../src/pki.js';
import { postgresBackend } from '../../test/support/stores.js';
import { startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { vtnCases } from '../cases/vtn/index.js';
import { junitXml } from '../harness/report.js';
import { runCases } from '../harness/runner.js';
import { flexBridgeOperator, vtnCaseContext, type VtnTarget } from '../harness/vtn-target.js';
import { runConformance } from '../cli.js';
import { withCapturedOutput } from './captured-output.js';

// Optional features this VTN does not offer; every other case of the list must pass.
const notApplicable: Record<string, RegExp> = Object.fromEntries([
  ...['R1_3070', 'R1_3080', 'R1_3090', 'R1_3100', 'R1_3120', 'R0_8070', 'R0_8080', 'R0_8090', 'R0_8100', 'R0_8120'].map((id) => [`${id}_TH_VEN`, /registered no reports of its own/]),
  ...['R1_3050', 'R0_8050'].map((id) => [`${id}_TH_VEN`, /not piggy-backed/]),
  ...['G1_4020', 'G0_9020'].map((id) => [`${id}_TH_VEN`, /offers only 2\.0b/]),
]);

async function passesTheCaseList(running: RunningVtn): Promise<void> {
  const pki = testPki();
  const target: VtnTarget = {
    oadrUrl: running.oadrUrl, ca: readPem(pki.caPath), operator: flexBridgeOperator(running.apiUrl),
    identities: (label) => { const c = pki.issue(`${label}-${process.pid}`, 'ecdsa'); return { keyPem: readPem(c.keyPath), certPem: readPem(c.certPath) }; },
  };
  const results = await runCases(vtnCases, target, () => vtnCaseContext(target));
  expect(results.filter((r) => r.outcome === 'fail').map((r) => `${r.id}: ${r.reason ?? ''}`)).toEqual([]);
  const skipped = results.filter((r) => r.outcome === 'n/a');
  expect(skipped.map((r) => r.id).sort()).toEqual(Object.keys(notApplicable).sort());
  for (const r of skipped) expect(r.reason).toMatch(notApplicable[r.id]!);
  expect(results.length).toBe(vtnCases.length);
  expect(vtnCases.length).toBeGreaterThanOrEqual(109);
  const junit = junitXml('vtn', results);
  expect(junit).toMatch(new RegExp(`tests="${vtnCases.length}" failures="0" skipped="${skipped.length}"`));
}

describe('conformance: the VTN case list against our VTN on PostgreSQL', () => {
  let running: RunningVtn;
  beforeAll(async () => { running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'conformance-vtn-pg-')), { store: await postgresBackend.config() }); });
  afterAll(() => running?.vtn.stop());

  it('passes every case of the list (pull, push, security) with the VTN on PostgreSQL, as on SQLite', async () => {
    await passesTheCaseList(running);
  }, 300_000);
});

describe('conformance: the VTN case list against our VTN', () => {
  let running: RunningVtn;
  beforeAll(async () => { running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'conformance-vtn-'))); });
  afterAll(() => running.vtn.stop());

  it('passes every case of the list (pull, push, security) on SQLite, each with its own VEN, the optional ones it lacks reported not applicable', async () => {
    await passesTheCaseList(running);
  }, 300_000);

  it('the CLI marks operator-dependent cases not applicable without an operator API, shows progress and writes JSON and JUnit', async () => {
    const work = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
    const pki = testPki();
    const { result: code, output } = await withCapturedOutput(() => runConformance(['--vtn', running.oadrUrl, '--ca', pki.caPath, '--pki', pki.directory, '--cases', '^(N1_0010|E1_1010|E1_1020)_', '--json', join(work, 'r.json'), '--junit', join(work, 'r.xml')]));
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')) as { results: { id: string; outcome: string }[] };
    expect(Object.fromEntries(report.results.map((r) => [r.id, r.outcome]))).toEqual({ N1_0010_TH_VEN: 'pass', E1_1010_TH_VEN: 'pass', E1_1020_TH_VEN: 'n/a' });
    expect(output).toMatch(/\[1\/3\] N1_0010_TH_VEN pass/);
    expect(readFileSync(join(work, 'r.xml'), 'utf8')).toMatch(/skipped="1"/);
  }, 60_000);

  it('fails a VTN that accepts everything, and one that answers schema-invalid XML, with the reason', async () => {
    const pki = testPki();
    let answer = serializePayload({ type: 'oadrResponse', response: { responseCode: 200, requestId: '' } });
    const lax = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200, { 'content-type': 'application/xml' }).end(answer)); });
    await new Promise<void>((r) => lax.listen(0, '127.0.0.1', () => r()));
    const target: VtnTarget = {
      oadrUrl: `http://127.0.0.1:${(lax.address() as AddressInfo).port}/OpenADR2/Simple/2.0b`, ca: readPem(pki.caPath),
      identities: (label) => { const c = pki.issue(label, 'ecdsa'); return { keyPem: readPem(c.keyPath), certPem: readPem(c.certPath) }; },
    };
    try {
      const [n70, n80] = await runCases(vtnCases.filter((c) => ['N1_0070_TH_VEN', 'N1_0080_TH_VEN'].includes(c.id)), target, () => vtnCaseContext(target));
      expect(n70).toMatchObject({ outcome: 'fail', reason: 'expected oadrCreatedPartyRegistration, got oadrResponse (200 )' });
      // Not one case of the list passes against a VTN that answers 200 to everything.
      const all = await runCases(vtnCases, target, () => vtnCaseContext(target));
      expect(all.filter((r) => r.outcome === 'pass').map((r) => r.id)).toEqual([]);
      expect(all.filter((r) => r.outcome === 'fail').length).toBeGreaterThan(40);
      expect(n80).toMatchObject({ outcome: 'fail', reason: 'expected responseCode 463, got 200 () in oadrResponse' });
      answer = '<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><nonsense/></oadrPayload>';
      const [bad] = await runCases(vtnCases.filter((c) => c.id === 'N1_0080_TH_VEN'), target, () => vtnCaseContext(target));
      expect(bad!.outcome).toBe('fail');
      expect(bad!.reason).toMatch(/^the VTN's answer is not a schema-valid 2.0b payload/);
      expect(bad!.exchanges).toHaveLength(1);
    } finally {
      lax.close();
    }
  });
});
