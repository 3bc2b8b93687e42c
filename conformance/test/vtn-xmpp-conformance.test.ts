import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { startProsody, type RunningProsody } from '../../test/support/prosody.js';
import { createVtn, vtnConfigSchema, type Vtn } from '../../vtn/index.js';
import { xmppVtnCases } from '../cases/vtn/index.js';
import { runCases } from '../harness/runner.js';
import { xmppVtnCaseContext, type XmppVtnAccess } from '../harness/vtn-xmpp-target.js';
import type { VtnTarget } from '../harness/vtn-target.js';

// The VTN case list over the XMPP binding, through Debian's Prosody.
describe('conformance: the VTN case list over XMPP against our VTN', () => {
  let prosody: RunningProsody | undefined;
  let vtn: Vtn | undefined;
  afterAll(async () => {
    await vtn?.stop();
    await prosody?.stop();
  });

  it('passes every case that applies to the XMPP binding', async () => {
    const work = mkdtempSync(join(tmpdir(), 'conformance-xmpp-'));
    prosody = await startProsody(work);
    prosody.addAccount('vtn', 'vtn-secret');
    await prosody.start();
    vtn = createVtn(vtnConfigSchema.parse({
      dataDir: join(work, 'vtn'), oadr: { host: '127.0.0.1', port: 0 }, api: { host: '127.0.0.1', port: 0 },
      xmpp: { service: prosody.service, domain: prosody.domain, username: 'vtn', password: 'vtn-secret', ca: prosody.caPath },
    }), { logger: silentLogger });
    await vtn.start();
    let n = 0;
    const server = prosody;
    const access: XmppVtnAccess = {
      service: server.service, domain: server.domain, ca: readFileSync(server.caPath, 'utf8'), vtnJid: 'vtn@localhost/vtn',
      account(label) {
        // A venID-like account name per VEN: letters and digits only.
        const username = `${label.replace(/[^a-z0-9]/g, '')}x${n++}`;
        server.addAccount(username, `${username}-secret`);
        return { username, password: `${username}-secret` };
      },
    };
    const target: VtnTarget = { oadrUrl: 'xmpp', ca: '', identities: () => ({ keyPem: '', certPem: '' }) };
    const results = await runCases(xmppVtnCases, target, () => xmppVtnCaseContext(target, access));
    expect(results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id}: ${r.outcome} ${r.reason ?? ''}`)).toEqual([]);
    expect(results).toHaveLength(xmppVtnCases.length);
  }, 180_000);
});
