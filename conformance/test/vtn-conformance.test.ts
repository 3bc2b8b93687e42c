import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serializePayload } from '../../schemas/index.js';
import { readPem } from '../../src/pki.js';
import { startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { vtnCases } from '../cases/vtn/index.js';
import { junitXml } from '../harness/report.js';
import { runCases } from '../harness/runner.js';
import { flexBridgeOperator, vtnCaseContext, type VtnTarget } from '../harness/vtn-target.js';
import { runConformance } from '../cli.js';

describe('conformance: the VTN case list against our VTN', () => {
  let running: RunningVtn;
  beforeAll(async () => { running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'conformance-vtn-'))); });
  afterAll(() => running.vtn.stop());

  it('passes every case, each with its own VEN, and writes a JUnit report', async () => {
    const pki = testPki();
    const target: VtnTarget = {
      oadrUrl: running.oadrUrl, ca: readPem(pki.caPath), operator: flexBridgeOperator(running.apiUrl),
      identities: (label) => { const c = pki.issue(`${label}-${process.pid}`, 'ecdsa'); return { keyPem: readPem(c.keyPath), certPem: readPem(c.certPath) }; },
    };
    const results = await runCases(vtnCases, target, () => vtnCaseContext(target));
    expect(results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id}: ${r.outcome} ${r.reason ?? ''}`)).toEqual([]);
    expect(results.length).toBe(vtnCases.length);
    const junit = junitXml('vtn', results);
    expect(junit).toMatch(new RegExp(`tests="${vtnCases.length}" failures="0" skipped="0"`));
  }, 120_000);

  it('the CLI marks operator-dependent cases not applicable without an operator API, shows progress and writes JSON and JUnit', async () => {
    const work = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
    const pki = testPki();
    const log = console.log;
    const write = process.stdout.write.bind(process.stdout);
    const lines: string[] = [];
    console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
    process.stdout.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await runConformance(['--vtn', running.oadrUrl, '--ca', pki.caPath, '--pki', pki.directory, '--cases', '^(E1|N1_0010)', '--json', join(work, 'r.json'), '--junit', join(work, 'r.xml')]);
    } finally {
      console.log = log;
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')) as { results: { id: string; outcome: string }[] };
    expect(Object.fromEntries(report.results.map((r) => [r.id, r.outcome]))).toEqual({ N1_0010_TH_VEN: 'pass', E1_1010_TH_VEN: 'pass', E1_1020_TH_VEN: 'n/a', E1_1030_TH_VEN: 'n/a' });
    expect(lines.join('')).toMatch(/\[ 1\/4\] N1_0010_TH_VEN pass/);
    expect(readFileSync(join(work, 'r.xml'), 'utf8')).toMatch(/skipped="2"/);
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
      expect(n70).toMatchObject({ outcome: 'fail', reason: 'expected responseCode 452, got 200 () in oadrResponse' });
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
