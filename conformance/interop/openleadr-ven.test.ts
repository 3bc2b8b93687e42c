import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPeer, waitFor } from '../../test/support/python-peers.js';
import { apiCall, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';

// OpenLEADR's VEN, installed from PyPI by `npm run setup`, against our VTN over mutual TLS.
describe('interop: OpenLEADR VEN → FlexBridge VTN', () => {
  let running: RunningVtn;
  afterAll(() => running?.vtn.stop());

  it('registers, polls, gets two events, opts out of one, registers its report and sends telemetry that the store holds', async () => {
    const work = mkdtempSync(join(tmpdir(), 'interop-openleadr-ven-'));
    running = await startTlsVtn(work, { policy: { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 2000 } });
    // Python's default TLS context offers no RSA-AES128-SHA256, so OpenLEADR gets an ECDSA certificate (the other 2.0b suite).
    const ven = running.pki.issue('openleadr-ven', 'ecdsa');
    const venId = createHash('sha256').update(new X509Certificate(readFileSync(ven.certPath)).raw).digest('hex').slice(-20);
    const start = Date.now() + 3_600_000;
    expect((await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'interop', name: 'Interop', marketContext: 'http://flexbridge.example/interop' })).status).toBe(201);
    for (const eventId of ['interop-optin', 'interop-optout']) {
      const created = await apiCall(running.apiUrl, 'POST', '/api/events', {
        programId: 'interop', eventId, dtstart: start, targets: { venIds: [venId] },
        signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 1_800_000, value: 1 }, { durationMs: 1_800_000, value: 2 }] }],
      });
      expect(created.status).toBe(201);
    }

    const outPath = join(work, 'openleadr-ven.json');
    const peer = startPeer('conformance/interop/openleadr_ven.py', [running.oadrUrl, ven.certPath, ven.keyPath, running.pki.caPath, '12', outPath]);
    const store = running.vtn.store;
    const describe = (): string => `OpenLEADR output:\n${peer.output().slice(-4000)}`;
    try {
      await waitFor('OpenLEADR to register', async () => ((await store.read.getVen(venId))?.state === 'registered' ? true : undefined), 20_000, describe);
      const responses = await waitFor('both opt responses', async () => {
        const all = await store.read.listEventResponses();
        return all.length >= 2 ? all : undefined;
      }, 20_000, describe);
      expect(Object.fromEntries(responses.map((r) => [r.eventId, r.optType]))).toEqual({ 'interop-optin': 'optIn', 'interop-optout': 'optOut' });
      const registrations = await store.read.listReportRegistrations(venId);
      expect(registrations.map((r) => r.report.reportName)).toContain('METADATA_TELEMETRY_USAGE');
      const readings = await waitFor('telemetry readings', async () => {
        const r = await store.read.listReadings({ venId });
        return r.length > 0 ? r : undefined;
      }, 20_000, describe);
      expect(readings[0]!).toMatchObject({ rId: 'device-1-power', payload: { value: { kind: 'float', value: 1234.5 } } });
      expect((await store.read.listReportRequests(venId)).map((r) => r.state)).toContain('created');
      const exit = await peer.exited;
      expect(exit).toBe(0);
      const seen = JSON.parse(readFileSync(outPath, 'utf8')) as { ven_id: string; events: { event_id: string }[] };
      expect(seen.ven_id.replace(/:/g, '').toLowerCase()).toBe(venId);
      expect(new Set(seen.events.map((e) => e.event_id))).toEqual(new Set(['interop-optin', 'interop-optout']));
    } finally {
      peer.child.kill('SIGKILL');
    }
  }, 60_000);
});
