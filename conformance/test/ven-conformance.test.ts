import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { Ven, VenStore } from '../../ven/index.js';
import { venCases } from '../cases/ven/index.js';
import { runCases } from '../harness/runner.js';
import { startVenCase, type VenTarget } from '../harness/ven-target.js';

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
});
