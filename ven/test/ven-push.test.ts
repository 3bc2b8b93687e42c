import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { freePort } from '../../test/support/python-peers.js';
import { apiCall, startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { Ven, VenStore } from '../index.js';


describe('our VEN in the push model against our VTN', () => {
  let running: RunningVtn | undefined;
  let ven: Ven | undefined;
  let store: VenStore | undefined;
  afterEach(async () => { await ven?.stop(); store?.close(); await running?.vtn.stop(); });

  it('receives an event the VTN pushes, answers its opt in the HTTP response, and still reports telemetry', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven-push-'));
    running = await startTlsVtn(join(work, 'vtn'), { policy: { telemetryGranularityMs: 1000, telemetryReportBackMs: 1000 }, push: { intervalMs: 100, minBackoffMs: 200 } });
    const pki = testPki();
    const cert = pki.issue('push-model-ven', 'ecdsa');
    const port = await freePort();
    store = new VenStore(join(work, 'ven.sqlite'));
    const seen: string[] = [];
    ven = new Ven({
      vtnUrl: running.oadrUrl, venName: 'push-ven', store, tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) },
      push: { host: '127.0.0.1', port, transportAddress: `https://127.0.0.1:${port}` },
      usage: [{ rId: 'p', resourceId: 'meter', read: () => 999 }],
      handlers: { onEvent: (e) => { seen.push(e.eventId); return 'optIn'; } },
    });
    await ven.start();
    const venId = ven.venId!;
    expect(await running.vtn.store.read.getVen(venId)).toMatchObject({ httpPullModel: false, transportAddress: `https://127.0.0.1:${port}` });
    await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
    await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId: 'pushed-1', dtstart: Date.now() + 3_600_000, targets: { venIds: [venId] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
    const deadline = Date.now() + 15_000;
    let responses = await running.vtn.store.read.listEventResponses('pushed-1');
    while (responses.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      responses = await running.vtn.store.read.listEventResponses('pushed-1');
    }
    expect(seen).toContain('pushed-1');
    expect(responses).toMatchObject([{ venId, optType: 'optIn' }]);
    expect(await running.vtn.store.read.pendingOutbox(venId)).toEqual([]);
    let readings = await running.vtn.store.read.listReadings({ venId });
    while (readings.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      readings = await running.vtn.store.read.listReadings({ venId });
    }
    expect(readings[0]?.payload.value).toEqual({ kind: 'float', value: 999 });
  }, 30_000);
});
