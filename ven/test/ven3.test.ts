import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { apiCall, startOpenadr3Vtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { eventually } from '../../test/support/eventually.js';
import { Ven, Ven3, VenStore, Vtn3Client, type VenEvent } from '../index.js';

describe('our VEN on OpenADR 3.1 against our VTN (HTTPS, OAuth2), beside a 2.0b VEN', () => {
  let running: RunningVtn | undefined;
  const stops: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await running?.vtn.stop();
  });

  it('reads the events that reach it through the same handlers as a 2.0b VEN, and reports DEMAND (kW) that lands as its readings', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven3-'));
    const pki = testPki();
    running = await startOpenadr3Vtn(join(work, 'vtn'), [{ id: 'bl', secret: 'bl-secret-0123', role: 'bl' }, { id: 'house-7', secret: 'house-7-secret', role: 'ven' }], {}, { policy: { pollFrequencyMs: 1000 } });
    const base = running.openadr3Url!;
    // Business logic through the same client library (it trusts our test CA).
    const blClient = new Vtn3Client({ baseUrl: base, clientId: 'bl', clientSecret: 'bl-secret-0123', ca: readPem(pki.caPath) });
    stops.push(() => blClient.close());
    const bl = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<any> =>
      method === 'GET' ? blClient.get(path) : method === 'POST' ? blClient.post(path, body) : method === 'PUT' ? blClient.put(path, body) : blClient.delete(path);

    const decisions3: VenEvent[] = [];
    const decisions2: VenEvent[] = [];
    const handlers = (into: VenEvent[]) => ({ onEvent: (e: VenEvent) => { into.push(e); return 'optIn' as const; } });
    const store3 = new VenStore(join(work, 'ven3.sqlite'));
    const ven3 = new Ven3({ vtnUrl: base, clientId: 'house-7', clientSecret: 'house-7-secret', ca: readPem(pki.caPath), venName: 'house-7', store: store3, pollFrequencyMs: 500, reportEveryMs: 60_000, jitter: 0, usage: [{ rId: 'p', resourceId: 'meter', read: () => 1234 }], handlers: handlers(decisions3) });
    stops.push(() => store3.close(), () => ven3.stop());
    await ven3.start();
    expect(ven3.venId).toMatch(/^[\w-]+$/);
    const cert = pki.issue('ven3-2b-peer', 'ecdsa');
    const store2 = new VenStore(join(work, 'ven2.sqlite'));
    const ven2 = new Ven({ vtnUrl: running.oadrUrl, venName: 'flat-2b', tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }, store: store2, jitter: 0, usage: [], handlers: handlers(decisions2) });
    stops.push(() => store2.close(), () => ven2.stop());
    await ven2.start();
    await apiCall(running.apiUrl, 'PATCH', `/api/vens/${ven2.venId}`, { groupIds: ['block-a'] });
    // Business logic grants the 3.1 VEN the same group.
    const mine = await bl('GET', `/vens/${ven3.venId}`);
    await bl('PUT', `/vens/${ven3.venId}`, { objectType: 'BL_VEN_REQUEST', clientID: 'house-7', venName: mine.venName, targets: ['block-a'] });

    await bl('POST', '/programs', { programName: 'block-dr' });
    const start = new Date(Date.now() - 60_000).toISOString();
    const event = await bl('POST', '/events', { programID: 'block-dr', targets: ['block-a'], intervalPeriod: { start, duration: 'PT30M' }, intervals: [{ id: 0, payloads: [{ type: 'DISPATCH_SETPOINT', values: [800] }] }] });

    // Both VENs' handlers see the one event in the same shape.
    const seen3 = await eventually('the event at the 3.1 VEN', () => decisions3.find((e) => e.eventId === event.id), 10_000);
    const seen2 = await eventually('the event at the 2.0b VEN', () => decisions2.find((e) => e.eventId === event.id), 15_000);
    for (const seen of [seen3, seen2]) {
      expect(seen.intervals.map((i) => [i.signalName, i.signalType, i.value])).toEqual([['LOAD_DISPATCH', 'setpoint', 800]]);
      expect(seen.intervals[0]!.start).toBe(Date.parse(start));
      expect(seen.status).toBe('active');
    }

    // The 3.1 VEN reports what its meter reads; it is its telemetry on the VTN.
    await ven3.report();
    const readings = await eventually('the 3.1 VEN\'s reading', async () => { const r = (await apiCall(running!.apiUrl, 'GET', `/api/readings?venId=${ven3.venId}`)).json; return r.length ? r : undefined; }, 10_000);
    expect(readings.map((r: { rId: string; payload: { value: { value: number } } }) => [r.rId, r.payload.value.value])).toEqual([['meter/DEMAND', 1.234]]);
    expect(store3.outbox3()).toEqual([]);

    // A modification arrives as version 1; a delete removes the event.
    await bl('PUT', `/events/${event.id}`, { programID: 'block-dr', targets: ['block-a'], intervalPeriod: { start, duration: 'PT30M' }, intervals: [{ id: 0, payloads: [{ type: 'DISPATCH_SETPOINT', values: [600] }] }] });
    await eventually('version 1 at the 3.1 VEN', () => decisions3.some((e) => e.eventId === event.id && e.modificationNumber === 1 && e.intervals[0]!.value === 600), 10_000);
    await bl('DELETE', `/events/${event.id}`);
    await eventually('the event gone from the 3.1 VEN', () => !ven3.events().some((e) => e.eventId === event.id), 10_000);
  }, 60_000);
});
