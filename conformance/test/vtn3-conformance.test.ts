import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenadr3Vtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { runConformance } from '../cli.js';
import { vtn3Cases } from '../cases/vtn3/index.js';
import { runCases } from '../harness/runner.js';
import { Vtn3CaseContext, type Vtn3Target } from '../harness/vtn3-target.js';
import { withCapturedOutput } from './captured-output.js';

describe('conformance: the OpenADR 3.x VTN case list against our VTN', () => {
  let running: RunningVtn;
  const pki = testPki();
  beforeAll(async () => {
    running = await startOpenadr3Vtn(mkdtempSync(join(tmpdir(), 'conformance-vtn3-')), [{ id: 'conf-bl', secret: 'conf-bl-secret', role: 'bl' }, { id: 'conf-ven', secret: 'conf-ven-secret', role: 'ven' }], {
      webhooks: { allowHttp: true, minBackoffMs: 200, maxBackoffMs: 2_000 },
    });
  });
  afterAll(() => running?.vtn.stop());

  it('passes every case, per object and per role, run from the CLI with progress, JSON and JUnit', async () => {
    const work = mkdtempSync(join(tmpdir(), 'conformance-vtn3-cli-'));
    const { result: code, output } = await withCapturedOutput(() => runConformance([
      '--vtn3', running.openadr3Url!, '--client-id', 'conf-bl', '--client-secret', 'conf-bl-secret', '--ven-client-id', 'conf-ven', '--ven-client-secret', 'conf-ven-secret',
      '--ca', pki.caPath, '--json', join(work, 'r.json'), '--junit', join(work, 'r.xml'),
    ]));
    const report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')) as { role: string; results: { id: string; outcome: string; reason?: string }[] };
    expect(report.results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id} ${r.outcome}: ${r.reason ?? ''}`)).toEqual([]);
    expect(code).toBe(0);
    expect(report.results.map((r) => r.id)).toEqual(vtn3Cases.map((c) => c.id));
    expect(vtn3Cases.length).toBeGreaterThanOrEqual(45);
    // Every object and both roles are covered.
    for (const prefix of ['A3', 'P3', 'E3', 'V3', 'R3', 'S3']) for (const role of ['BL', 'VEN']) expect(vtn3Cases.some((c) => c.id.startsWith(prefix) && c.id.endsWith(`_TH_${role}`))).toBe(true);
    expect(vtn3Cases.some((c) => c.id.startsWith('X3'))).toBe(true);
    expect(output).toMatch(new RegExp(`\\[\\s*1/${vtn3Cases.length}\\] A3_0010_TH_BL pass`));
    expect(readFileSync(join(work, 'r.xml'), 'utf8')).toMatch(new RegExp(`tests="${vtn3Cases.length}" failures="0" skipped="0"`));
  }, 240_000);

  it('without a VEN client the VEN-role cases are not applicable, saying what to give', async () => {
    const target: Vtn3Target = { url: running.openadr3Url!, ca: readFileSync(pki.caPath, 'utf8'), bl: { clientId: 'conf-bl', clientSecret: 'conf-bl-secret' } };
    const results = await runCases(vtn3Cases.filter((c) => /^(P3_0090|E3_0010)/.test(c.id)), target, () => new Vtn3CaseContext(target));
    expect(results.map((r) => [r.id, r.outcome])).toEqual([['E3_0010_TH_BL', 'pass'], ['P3_0090_TH_VEN', 'n/a']].sort((a, b) => (vtn3Cases.findIndex((c) => c.id === a[0]) - vtn3Cases.findIndex((c) => c.id === b[0]))));
    expect(results.find((r) => r.outcome === 'n/a')!.reason).toMatch(/--ven-client-id/);
  }, 60_000);

  it('fails a VTN that grants tokens and then answers 200 {} to everything, with reasons', async () => {
    // Tokens are granted (so the harness gets past them); every other request gets 200 and {}.
    let url = '';
    const lax = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const body = req.url === '/auth/token' ? { access_token: 'x', token_type: 'Bearer', expires_in: 3600 } : req.url === '/auth/server' ? { tokenURL: `${url}/auth/token` } : {};
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => lax.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(lax.address() as AddressInfo).port}`;
    try {
      const target: Vtn3Target = { url, bl: { clientId: 'a', clientSecret: 'b' }, ven: { clientId: 'c', clientSecret: 'd' } };
      const results = await runCases(vtn3Cases, target, () => new Vtn3CaseContext(target));
      // Only the token discovery and grant can pass against it; everything else fails with a reason.
      expect(results.filter((r) => r.outcome === 'pass').map((r) => r.id)).toEqual(['A3_0010_TH_BL', 'A3_0020_TH_BL']);
      expect(results.filter((r) => r.outcome === 'n/a')).toEqual([]);
      for (const r of results.filter((x) => x.outcome === 'fail')) expect(r.reason).toMatch(/expected|should|no |was |sees|differs/);
    } finally {
      lax.close();
    }
  }, 120_000);
});
