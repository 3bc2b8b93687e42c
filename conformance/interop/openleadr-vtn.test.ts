import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { freePort, startPeer, waitFor } from '../../test/support/python-peers.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { Ven, VenStore } from '../../ven/index.js';


// Our VEN against OpenLEADR's VTN, installed from PyPI by `npm run setup`, over mutual TLS.
describe('interop: FlexBridge VEN → OpenLEADR VTN', () => {
  it('registers, receives two events and opts out of one, and reports telemetry that OpenLEADR receives', async () => {
    const work = mkdtempSync(join(tmpdir(), 'interop-openleadr-vtn-'));
    const pki = testPki();
    const vtnCert = pki.issue('openleadr-vtn', 'ecdsa');
    const venCert = pki.issue('flexbridge-ven', 'ecdsa');
    const digest = createHash('sha256').update(new X509Certificate(readFileSync(venCert.certPath)).raw).digest('hex');
    const venId = digest.slice(-20);
    const fingerprint = venId.toUpperCase().match(/../g)!.join(':');
    const port = await freePort();
    const outPath = join(work, 'seen.json');
    const peer = startPeer('conformance/interop/openleadr_vtn_session.py', ['127.0.0.1', String(port), vtnCert.certPath, vtnCert.keyPath, pki.caPath, venId, fingerprint, outPath]);
    const describe = (): string => `OpenLEADR output:\n${peer.output().slice(-3000)}`;
    const seen = (): { registered: boolean; opts: Record<string, string>; readings: { value: number }[] } => JSON.parse(readFileSync(outPath, 'utf8'));
    const store = new VenStore(join(work, 'ven.sqlite'));
    const ven = new Ven({
      vtnUrl: `https://127.0.0.1:${port}/OpenADR2/Simple/2.0b`, venName: 'flexbridge-ven', store, jitter: 0,
      tls: { key: readPem(venCert.keyPath), cert: readPem(venCert.certPath), ca: readPem(pki.caPath) },
      usage: [{ rId: 'house-power', resourceId: 'meter-1', read: () => 1234 }],
      handlers: { onEvent: (e) => (e.eventId.includes('optout') ? 'optOut' : 'optIn') },
    });
    try {
      await waitFor('OpenLEADR VTN to listen', async () => (peer.output().includes('listening') ? true : undefined), 20_000, describe);
      await ven.start().catch((error: Error) => { throw new Error(`${error.message}\n${describe()}`); });
      expect(ven.venId).toBe(venId);
      await waitFor('both opts at OpenLEADR', async () => (existsSync(outPath) && Object.keys(seen().opts).length >= 2 ? true : undefined), 20_000, describe);
      expect(seen().opts).toEqual({ 'interop-optin': 'optIn', 'interop-optout': 'optOut' });
      expect(ven.events().map((e) => e.eventId).sort()).toEqual(['interop-optin', 'interop-optout']);
      await waitFor('telemetry at OpenLEADR', async () => (seen().readings.length > 0 ? true : undefined), 20_000, describe);
      expect(seen().readings[0]!.value).toBe(1234);
    } finally {
      await ven.stop();
      store.close();
      peer.child.kill('SIGKILL');
    }
  }, 60_000);
});
