import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { openleadrClientDriverBinary } from '../../test/support/openleadr-rs.js';
import { eventually } from '../../test/support/eventually.js';
import { apiCall, startOpenadr3Vtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { Ven, VenStore, type VenEvent } from '../../ven/index.js';

interface Step { readonly step: string; readonly data: Record<string, unknown> }

// openleadr-rs's OpenADR 3.1 client library (openleadr-client 0.2.8 from crates.io), through our
// small Rust driver built by setup, as business logic and as a VEN against our VTN over HTTPS.
describe('interop: openleadr-rs\'s client (openleadr-client 0.2.8) against our VTN', () => {
  let running: RunningVtn | undefined;
  const stops: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await running?.vtn.stop();
  });

  it('business logic makes a program and an event for a target it grants the VEN; the VEN reads, reports, sees the update and the delete; a 2.0b VEN of the same target acts on it too', async () => {
    const driver = openleadrClientDriverBinary();
    const work = mkdtempSync(join(tmpdir(), 'openleadr-client-'));
    const pki = testPki();
    running = await startOpenadr3Vtn(join(work, 'vtn'), [{ id: 'rs-bl', secret: 'rs-bl-secret', role: 'bl' }, { id: 'rs-ven', secret: 'rs-ven-secret', role: 'ven' }], {}, { policy: { pollFrequencyMs: 1000 } });
    const vtn = running;
    // A 2.0b VEN in the same group as the target the driver grants its 3.1 VEN.
    const cert = pki.issue('rs-client-2b', 'ecdsa');
    const store = new VenStore(join(work, 'ven2.sqlite'));
    const seen2: VenEvent[] = [];
    const ven2 = new Ven({ vtnUrl: vtn.oadrUrl, venName: 'flat-2b', tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }, store, jitter: 0, usage: [], handlers: { onEvent: (e) => { seen2.push(e); return 'optIn'; } } });
    stops.push(() => store.close(), () => ven2.stop());
    await ven2.start();
    await apiCall(vtn.apiUrl, 'PATCH', `/api/vens/${ven2.venId}`, { groupIds: ['feeder-rs'] });

    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(driver, [vtn.openadr3Url!, pki.caPath, 'rs-bl', 'rs-bl-secret', 'rs-ven', 'rs-ven-secret', 'feeder-rs', start, '2500'], { timeout: 60_000 }, (error, out, err) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: out, stderr: err }));
    });
    const steps = stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Step);
    const at = (name: string): Record<string, unknown> => {
      const found = steps.find((s) => s.step === name);
      if (!found) throw new Error(`the driver did not reach '${name}' (exit ${code}): ${stdout}${stderr}`);
      return found.data;
    };
    expect(steps.find((s) => s.step === 'failed')).toBeUndefined();
    expect(code).toBe(0);

    // Each step as openleadr-client saw it.
    expect(at('ven').targets).toEqual(['feeder-rs']);
    expect(at('ven-read')).toMatchObject({ value: 700 });
    expect(at('bl-reports')).toEqual({ count: 1, values: [0.65] });
    expect(at('ven-read-updated')).toEqual({ value: 500 });
    expect(at('deleted')).toEqual({ stillListed: false });

    // And as our VTN keeps it: the program is a 2.0b program, the event reached the 2.0b VEN in
    // every version, and the report's number is the 3.1 VEN's reading.
    const programs = (await apiCall(vtn.apiUrl, 'GET', '/api/programs')).json as { programId: string; name: string }[];
    expect(programs.find((p) => p.programId === at('program').id)?.name).toBe('rs-client-feeder-rs');
    const eventId = String(at('event').id);
    // The driver pauses 2.5 s after each change, so the 2.0b VEN (polling every second) sees each version.
    await eventually('the cancellation at the 2.0b VEN', () => ven2.events().some((e) => e.eventId === eventId && e.status === 'cancelled'), 15_000);
    expect(seen2.filter((e) => e.eventId === eventId).map((e) => [e.modificationNumber, e.intervals[0]!.signalName, e.intervals[0]!.value])).toEqual([[0, 'LOAD_DISPATCH', 700], [1, 'LOAD_DISPATCH', 500]]);
    const readings = (await apiCall(vtn.apiUrl, 'GET', `/api/readings?venId=${String(at('ven').id)}`)).json as { rId: string; payload: { value: { value: number } } }[];
    expect(readings.map((r) => [r.rId, r.payload.value.value])).toEqual([['rs-meter/DEMAND', 0.65]]);
  }, 120_000);
});
