import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { startProsody, type RunningProsody } from '../../test/support/prosody.js';
import { createVtn, vtnConfigSchema, type Vtn } from '../../vtn/index.js';
import { xmppVtnCases } from '../cases/vtn/index.js';
import { runCases } from '../harness/runner.js';
import { runConformance } from '../cli.js';
import { withCapturedOutput } from './captured-output.js';
import { xmppVtnCaseContext, type XmppVtnAccess } from '../harness/vtn-xmpp-target.js';
import { flexBridgeOperator, type VtnTarget } from '../harness/vtn-target.js';

// The VTN case list over the XMPP binding, through Debian's Prosody.
describe('conformance: the VTN case list over XMPP against our VTN', () => {
  let prosody: RunningProsody | undefined;
  let vtn: Vtn | undefined;
  afterAll(async () => {
    await vtn?.stop();
    await prosody?.stop();
  });

  // What does not apply over XMPP here, or is an optional feature this VTN lacks.
  const notApplicable: Record<string, RegExp> = Object.fromEntries([
    ...['R0_8070', 'R0_8080', 'R0_8090', 'R0_8100', 'R0_8120'].map((id) => [`${id}_TH_VEN`, /registered no reports of its own/]),
    ['R0_8050_TH_VEN', /not piggy-backed/], ['G0_9020_TH_VEN', /offers only 2\.0b/], ['G0_9010_TH_VEN', /the XMPP server's/],
    ...['XS_0030', 'XS_0040', 'XS_0050'].map((id) => [`${id}_TH_VEN`, /signatures are not offered over the XMPP binding/]),
  ]);

  it('passes the push list and the security cases over the XMPP binding', async () => {
    const work = mkdtempSync(join(tmpdir(), 'conformance-xmpp-'));
    prosody = await startProsody(work);
    prosody.addAccount('vtn', 'vtn-secret');
    await prosody.start();
    vtn = createVtn(vtnConfigSchema.parse({
      dataDir: join(work, 'vtn'), oadr: { host: '127.0.0.1', port: 0, insecure: true }, api: { host: '127.0.0.1', port: 0 },
      xmpp: { service: prosody.service, domain: prosody.domain, username: 'vtn', password: 'vtn-secret', ca: prosody.caPath },
    }), { logger: silentLogger });
    const { apiUrl } = await vtn.start();
    let n = 0;
    const server = prosody;
    const access: XmppVtnAccess = {
      service: server.service, domain: server.domain, ca: readFileSync(server.caPath, 'utf8'), vtnJid: 'vtn@localhost/vtn',
      account(label) {
        // A venID-like account name per VEN: letters and digits only.
        const username = `${label.replace(/[^a-z0-9]/g, '')}x${n++}`;
        server.addAccounts([{ username, password: `${username}-secret` }]);
        return { username, password: `${username}-secret` };
      },
    };
    const target: VtnTarget = { oadrUrl: 'xmpp', ca: '', identities: () => ({ keyPem: '', certPem: '' }), operator: flexBridgeOperator(apiUrl) };
    const results = await runCases(xmppVtnCases, target, () => xmppVtnCaseContext(target, access));
    expect(results.filter((r) => r.outcome === 'fail').map((r) => `${r.id}: ${r.reason ?? ''}`)).toEqual([]);
    const skipped = results.filter((r) => r.outcome === 'n/a');
    expect(skipped.map((r) => r.id).sort()).toEqual(Object.keys(notApplicable).sort());
    for (const r of skipped) expect(r.reason).toMatch(notApplicable[r.id]!);
    expect(results).toHaveLength(xmppVtnCases.length);

    // The same through the CLI (--vtn-xmpp), with accounts from a file.
    const accounts = Array.from({ length: 4 }, (_, i) => ({ username: `cliven${i}`, password: `cli-secret-${i}` }));
    server.addAccounts(accounts);
    writeFileSync(join(work, 'accounts.json'), JSON.stringify(accounts));
    const { result: code, output } = await withCapturedOutput(() => runConformance(['--vtn-xmpp', access.vtnJid, '--xmpp-service', server.service, '--xmpp-accounts', join(work, 'accounts.json'), '--ca', server.caPath,
      '--operator-api', apiUrl, '--cases', '^(N0_5010|E0_6020)_', '--json', join(work, 'cli.json')]));
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'cli.json'), 'utf8')) as { role: string; results: { id: string; outcome: string }[] };
    expect(report.role).toBe('VTN');
    expect(Object.fromEntries(report.results.map((r) => [r.id, r.outcome]))).toEqual({ N0_5010_TH_VEN: 'pass', E0_6020_TH_VEN: 'pass' });
    expect(output).toMatch(/2 VTN cases over XMPP/);
  }, 300_000);
});
