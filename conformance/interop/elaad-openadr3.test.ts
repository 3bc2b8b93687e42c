import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { apiCall, startOpenadr3Vtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { openadr3PeerPython, startPeer } from '../../test/support/python-peers.js';
import { eventually } from '../../test/support/eventually.js';
import { Ven, VenStore } from '../../ven/index.js';

type Step = { step: string; [field: string]: any };

/** Our VTN with a business-logic and a VEN client, a 2.0b VEN in `group`, and a webhook receiver. */
async function setUp(label: string, group: string): Promise<{
  running: RunningVtn; ven: Ven; pki: ReturnType<typeof testPki>; callback: string;
  notifications: { auth: string | undefined; body: any }[]; stop(): Promise<void>;
}> {
  const work = mkdtempSync(join(tmpdir(), `elaad-${label}-`));
  const pki = testPki();
  const running = await startOpenadr3Vtn(join(work, 'vtn'), [{ id: 'utility-bl', secret: 'utility-bl-secret', role: 'bl' }, { id: 'elaad-ven-client', secret: 'elaad-ven-secret', role: 'ven' }], {
    webhooks: { allowHttp: true },
  }, { policy: { pollFrequencyMs: 1000 } });
  const cert = pki.issue(`elaad-2b-ven-${label}`, 'ecdsa');
  const venStore = new VenStore(join(work, 'ven.sqlite'));
  const ven = new Ven({
    vtnUrl: running.oadrUrl, venName: 'two-b', tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }, store: venStore, jitter: 0,
    usage: [], handlers: { onEvent: () => 'optIn' },
  });
  await ven.start();
  await apiCall(running.apiUrl, 'PATCH', `/api/vens/${ven.venId}`, { groupIds: [group] });
  // The 3.x VEN's webhook receiver.
  const notifications: { auth: string | undefined; body: any }[] = [];
  const receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => { text += c.toString(); });
    req.on('end', () => { notifications.push({ auth: req.headers.authorization, body: JSON.parse(text) }); res.writeHead(200).end(); });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  return {
    running, ven, pki, notifications, callback: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/elaad`,
    async stop() { await ven.stop(); venStore.close(); await running.vtn.stop(); await new Promise((r) => receiver.close(r)); },
  };
}

/** Runs one of the peer scripts and returns its steps; a failure shows the peer's own output. */
async function runPeer(script: string, baseUrl: string, pki: ReturnType<typeof testPki>, callback: string): Promise<(name: string) => Step> {
  // requests lets REQUESTS_CA_BUNDLE outrank a session's CA file: name our CA there too.
  const peer = startPeer(script, [baseUrl, pki.caPath, 'utility-bl', 'utility-bl-secret', 'elaad-ven-client', 'elaad-ven-secret', callback], {
    python: openadr3PeerPython(), env: { ...process.env, REQUESTS_CA_BUNDLE: pki.caPath, CURL_CA_BUNDLE: pki.caPath },
  });
  const code = await peer.exited;
  const steps = peer.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Step);
  if (code !== 0) throw new Error(`the peer failed (exit ${code}):\n${peer.output()}`);
  return (name) => steps.find((s) => s.step === name) ?? (() => { throw new Error(`no step '${name}':\n${peer.output()}`); })();
}

// ElaadNL's openadr3-client (PyPI) against our VTN's OpenADR 3.1 API over HTTPS, as business logic
// and as a VEN, while one of our 2.0b VENs in the same group receives the same event; then the same
// client in its 3.0.1 mode against the 3.0.1 dialect we serve beside 3.1.0.
describe('interop: ElaadNL openadr3-client 2.4 against our VTN (OpenADR 3.1 and 3.0.1, HTTPS, OAuth2)', () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const stop of stops) await stop(); });

  it('creates a VEN, a program and an event as business logic; the 3.1 VEN reads it, subscribes and reports; a 2.0b VEN gets each version', async () => {
    const { running, ven, pki, callback, notifications, stop } = await setUp('310', 'elaad-group');
    stops.push(stop);
    const step = await runPeer('conformance/interop/elaad_openadr3.py', running.openadr3Url!, pki, callback);
    expect(step('bl created ven').targets).toEqual(['elaad-group']);
    expect(step('bl created program').id).toBe('elaad-program');
    const eventId = step('bl created event').id as string;
    expect(step('ven read events')).toMatchObject({ ids: [eventId], values: [[1], [2]] });
    expect(step('ven created report').client_id).toBe('elaad-ven-client');
    expect(step('bl updated event').values).toEqual([3]);
    expect(step('bl read reports').ids).toEqual([step('ven created report').id]);
    expect(step('ven read events after delete').ids).toEqual([]);

    // The 2.0b VEN saw the event the 3.1 business logic made, its modification and its cancellation.
    await eventually('the cancellation at the 2.0b VEN', () => ven.events().some((e) => e.eventId === eventId && e.status === 'cancelled'), 15_000);
    const versions = (await apiCall(running.apiUrl, 'GET', `/api/events/${eventId}`)).json;
    expect(versions.versions.map((v: { modificationNumber: number }) => v.modificationNumber)).toEqual([0, 1, 2]);
    expect(versions.venIds).toEqual(expect.arrayContaining([ven.venId, step('bl created ven').id]));
    // The 3.1 VEN's report is its telemetry on the 2.0b side.
    const readings = (await apiCall(running.apiUrl, 'GET', `/api/readings?venId=${step('bl created ven').id}`)).json;
    expect(readings.map((r: { rId: string; payload: { value: { value: number } } }) => [r.rId, r.payload.value.value])).toEqual([['elaad-meter/USAGE', 512.5]]);
    // Its subscription (made after the event) heard of the update and the delete, in its own words.
    await eventually('two notifications', () => (notifications.length >= 2 ? true : undefined), 15_000);
    expect(notifications.map((n) => [n.body.objectType, n.body.operation, n.body.object.id, n.auth])).toEqual([['EVENT', 'PUT', eventId, 'Bearer elaad-callback-token'], ['EVENT', 'DELETE', eventId, 'Bearer elaad-callback-token']]);
  }, 120_000);

  it('in its 3.0.1 mode, at /3.0.1: targets as {type, values}, resources under VENs, HTTP-method operations; the 2.0b VEN of the group gets the event', async () => {
    const { running, ven, pki, callback, notifications, stop } = await setUp('301', 'elaad301-group');
    stops.push(stop);
    const step = await runPeer('conformance/interop/elaad_openadr301.py', `${running.openadr3Url!}/3.0.1`, pki, callback);

    const group = [['GROUP', ['elaad301-group']]];
    expect(step('bl created ven').targets).toEqual(group);
    expect(step('ven created resource')).toMatchObject({ ven_id: step('bl created ven').id, listed: [step('ven created resource').id] });
    expect(step('bl created program').targets).toEqual(group);
    const eventId = step('bl created event').id as string;
    expect(step('bl created event').targets).toEqual(group);
    expect(step('ven read events')).toMatchObject({ ids: [eventId], values: [[1], [2]] });
    expect(step('bl updated event').values).toEqual([3]);
    expect(step('bl read reports').ids).toEqual([step('ven created report').id]);
    expect(step('bl deleted event').id).toBe(eventId);

    // One model: the 3.0.1 VEN is a 3.1 VEN of the client its venName names, the group is the 2.0b group.
    await eventually('the cancellation at the 2.0b VEN', () => ven.events().some((e) => e.eventId === eventId && e.status === 'cancelled'), 15_000);
    const event = (await apiCall(running.apiUrl, 'GET', `/api/events/${eventId}`)).json;
    expect(event.versions.map((v: { modificationNumber: number }) => v.modificationNumber)).toEqual([0, 1, 2]);
    expect(event.venIds).toEqual(expect.arrayContaining([ven.venId, step('bl created ven').id]));
    const readings = (await apiCall(running.apiUrl, 'GET', `/api/readings?venId=${step('bl created ven').id}`)).json;
    expect(readings.map((r: { rId: string; payload: { value: { value: number } } }) => [r.rId, r.payload.value.value])).toEqual([['elaad301-meter/USAGE', 301.5]]);
    // Its subscription is told in 3.0.1: HTTP-method operations, targets as {type, values}.
    await eventually('two notifications', () => (notifications.length >= 2 ? true : undefined), 15_000);
    expect(notifications.map((n) => [n.body.objectType, n.body.operation, n.body.object.id, n.auth])).toEqual([['EVENT', 'PUT', eventId, 'Bearer elaad301-token'], ['EVENT', 'DELETE', eventId, 'Bearer elaad301-token']]);
    expect(notifications[0]!.body.object.targets).toEqual([{ type: 'GROUP', values: ['elaad301-group'] }]);
  }, 120_000);
});
