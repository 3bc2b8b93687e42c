import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { apiCall, startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { Ven, VenStore } from '../index.js';
import { eventually } from '../../test/support/eventually.js';

const until = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => eventually(what, probe, timeoutMs);

describe('our VEN against our VTN (HTTP pull, mutual TLS)', () => {
  let running: RunningVtn | undefined;
  let stopVen: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stopVen?.();
    await running?.vtn.stop();
    running = undefined;
  });

  it('registers, receives events and opts, reports telemetry, resumes after a restart and loses no reading while the VTN is down', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven-vtn-'));
    const policy = { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 2000 };
    running = await startTlsVtn(join(work, 'vtn'), { policy });
    const port = Number(new URL(running.oadrUrl).port);
    const pki = testPki();
    const cert = pki.issue('our-ven', 'ecdsa');
    const tls = { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) };
    const decisions: string[] = [];
    let power = 1500;
    const makeVen = (store: VenStore, url: string) => new Ven({
      vtnUrl: url, venName: 'our-ven', tls, store, jitter: 0,
      usage: [{ rId: 'house-power', resourceId: 'meter-1', read: () => power }],
      status: [{ rId: 'ven-status', resourceId: 'ven', read: () => ({ online: true, manualOverride: power === 777 }) }],
      handlers: { onEvent: (e) => { decisions.push(`${e.eventId}@${e.modificationNumber}`); return e.eventId.includes('optout') ? 'optOut' : 'optIn'; } },
    });
    const storePath = join(work, 'ven.sqlite');
    let store = new VenStore(storePath);
    let ven = makeVen(store, running.oadrUrl);
    stopVen = async () => { await ven.stop(); store.close(); };
    await ven.start();
    const venId = ven.venId!;
    expect((await running.vtn.store.read.getVen(venId))?.state).toBe('registered');

    await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
    for (const eventId of ['ev-optin', 'ev-optout']) {
      await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId, dtstart: Date.now() + 60_000, startAfterMs: 30_000, targets: { venIds: [venId] }, signals: [{ signalName: 'LOAD_DISPATCH', signalType: 'setpoint', intervals: [{ durationMs: 900_000, value: 1200 }, { durationMs: 900_000, value: 1000 }] }] });
    }
    const responses = await until('two opt responses at the VTN', async () => { const r = await running!.vtn.store.read.listEventResponses(); return r.length >= 2 ? r : undefined; });
    expect(Object.fromEntries(responses.map((r) => [r.eventId, r.optType]))).toEqual({ 'ev-optin': 'optIn', 'ev-optout': 'optOut' });
    const event = ven.events().find((e) => e.eventId === 'ev-optin')!;
    // The VTN says 'near' (its near window is an hour) and the VEN keeps that until the start.
    expect(event.status).toBe('near');
    expect(event.intervals.map((i) => i.value)).toEqual([1200, 1000]);
    // Randomization: the start moved within [0, startAfter].
    const shift = event.intervals[0]!.start - event.raw.activePeriod.dtstart.epochMs;
    expect(shift).toBeGreaterThanOrEqual(0);
    expect(shift).toBeLessThanOrEqual(30_000);

    // A modification reaches the VEN as a new version and is decided again.
    await apiCall(running.apiUrl, 'PUT', '/api/events/ev-optin', { programId: 'p', dtstart: Date.now() + 60_000, targets: { venIds: [venId] }, signals: [{ signalName: 'LOAD_DISPATCH', signalType: 'setpoint', intervals: [{ durationMs: 900_000, value: 900 }] }] });
    await until('the new version', () => decisions.includes('ev-optin@1'));

    const readings = await until('telemetry at the VTN', async () => { const r = await running!.vtn.store.read.listReadings({ venId, rId: 'house-power' }); return r.length >= 2 ? r : undefined; });
    expect(readings.find((r) => r.rId === 'house-power')).toMatchObject({ durationMs: 1000, payload: { value: { kind: 'float', value: 1500 } } });
    const status = await until('TELEMETRY_STATUS at the VTN', async () => (await running!.vtn.store.read.listReadings({ venId, rId: 'ven-status' }))[0]);
    expect(status.payload.value).toEqual({ kind: 'resourceStatus', online: true, manualOverride: false });

    // Restart: the VEN resumes from its store without registering again.
    await ven.stop();
    store.close();
    store = new VenStore(storePath);
    ven = makeVen(store, running.oadrUrl);
    await ven.start();
    expect(ven.venId).toBe(venId);
    const registrations = (await running.vtn.store.read.feedAfter(0, 10_000)).filter((f) => f.kind === 'ven' && (f.data as { action: string }).action === 'registered');
    expect(registrations).toHaveLength(1);

    // The VTN goes away: readings keep being taken and queued, and all arrive once it is back.
    const dataDir = running.dataDir;
    await running.vtn.stop();
    running = undefined;
    power = 777;
    await new Promise((r) => setTimeout(r, 3_500));
    expect(store.outbox().length).toBeGreaterThan(0);
    running = await startTlsVtn(dataDir, { policy }, port);
    const delivered = await until('buffered readings', async () => {
      const r = (await running!.vtn.store.read.listReadings({ venId, rId: 'house-power' })).filter((x) => x.payload.value.kind === 'float' && x.payload.value.value === 777);
      return r.length >= 3 && store.outbox().length === 0 ? r : undefined;
    }, 20_000);
    expect(delivered.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
