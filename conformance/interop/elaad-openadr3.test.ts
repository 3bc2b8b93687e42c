import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { apiCall, startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { openadr3PeerPython, startPeer } from '../../test/support/python-peers.js';
import { eventually } from '../../test/support/eventually.js';
import { Ven, VenStore } from '../../ven/index.js';
import { hashSecret } from '../../vtn/openadr3/auth.js';

type Step = { step: string; [field: string]: any };

// ElaadNL's openadr3-client (PyPI) against our VTN's OpenADR 3.1 API over HTTPS, as business logic
// and as a VEN, while one of our 2.0b VENs in the same group receives the same event.
describe('interop: ElaadNL openadr3-client 2.4 against our VTN (OpenADR 3.1, HTTPS, OAuth2)', () => {
  let running: RunningVtn | undefined;
  let ven: Ven | undefined;
  let venStore: VenStore | undefined;
  afterAll(async () => {
    await ven?.stop();
    venStore?.close();
    await running?.vtn.stop();
  });

  it('creates a VEN, a program and an event as business logic; the 3.1 VEN reads it, subscribes and reports; a 2.0b VEN gets each version', async () => {
    const python = openadr3PeerPython();
    const work = mkdtempSync(join(tmpdir(), 'elaad-openadr3-'));
    const pki = testPki();
    const server = pki.issue('vtn', 'ecdsa');
    running = await startTlsVtn(join(work, 'vtn'), {
      policy: { pollFrequencyMs: 1000 },
      openadr3: {
        port: 0, tls: { key: server.keyPath, cert: server.certPath }, webhooks: { allowHttp: true },
        clients: [
          { clientId: 'utility-bl', secretHash: await hashSecret('utility-bl-secret'), role: 'bl' },
          { clientId: 'elaad-ven-client', secretHash: await hashSecret('elaad-ven-secret'), role: 'ven' },
        ],
      },
    });
    const cert = pki.issue('elaad-2b-ven', 'ecdsa');
    venStore = new VenStore(join(work, 'ven.sqlite'));
    ven = new Ven({
      vtnUrl: running.oadrUrl, venName: 'two-b', tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }, store: venStore, jitter: 0,
      usage: [], handlers: { onEvent: () => 'optIn' },
    });
    await ven.start();
    await apiCall(running.apiUrl, 'PATCH', `/api/vens/${ven.venId}`, { groupIds: ['elaad-group'] });

    // The 3.1 VEN's webhook receiver.
    const notifications: { auth: string | undefined; body: any }[] = [];
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => { text += c.toString(); });
      req.on('end', () => { notifications.push({ auth: req.headers.authorization, body: JSON.parse(text) }); res.writeHead(200).end(); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/elaad`;
    // requests lets REQUESTS_CA_BUNDLE outrank a session's CA file: name our CA there too.
    const peer = startPeer('conformance/interop/elaad_openadr3.py', [running.openadr3Url!, pki.caPath, 'utility-bl', 'utility-bl-secret', 'elaad-ven-client', 'elaad-ven-secret', callback], {
      python, env: { ...process.env, REQUESTS_CA_BUNDLE: pki.caPath, CURL_CA_BUNDLE: pki.caPath },
    });
    const code = await peer.exited;
    const steps = peer.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Step);
    if (code !== 0) throw new Error(`the peer failed (exit ${code}):\n${peer.output()}`);
    const step = (name: string): Step => steps.find((s) => s.step === name) ?? (() => { throw new Error(`no step '${name}':\n${peer.output()}`); })();

    expect(step('bl created ven').targets).toEqual(['elaad-group']);
    expect(step('bl created program').id).toBe('elaad-program');
    const eventId = step('bl created event').id as string;
    expect(step('ven read events')).toMatchObject({ ids: [eventId], values: [[1], [2]] });
    expect(step('ven created report').client_id).toBe('elaad-ven-client');
    expect(step('bl updated event').values).toEqual([3]);
    expect(step('bl read reports').ids).toEqual([step('ven created report').id]);
    expect(step('ven read events after delete').ids).toEqual([]);

    // The 2.0b VEN saw the event the 3.1 business logic made, its modification and its cancellation.
    await eventually('the cancellation at the 2.0b VEN', () => ven!.events().some((e) => e.eventId === eventId && e.status === 'cancelled'), 15_000);
    const versions = (await apiCall(running.apiUrl, 'GET', `/api/events/${eventId}`)).json;
    expect(versions.versions.map((v: { modificationNumber: number }) => v.modificationNumber)).toEqual([0, 1, 2]);
    expect(versions.venIds).toEqual(expect.arrayContaining([ven.venId, step('bl created ven').id]));
    // The 3.1 VEN's report is its telemetry on the 2.0b side.
    const readings = (await apiCall(running.apiUrl, 'GET', `/api/readings?venId=${step('bl created ven').id}`)).json;
    expect(readings.map((r: { rId: string; payload: { value: { value: number } } }) => [r.rId, r.payload.value.value])).toEqual([['elaad-meter/USAGE', 512.5]]);
    // Its subscription (made after the event) heard of the update and the delete, in its own words.
    await eventually('two notifications', () => (notifications.length >= 2 ? true : undefined), 15_000);
    expect(notifications.map((n) => [n.body.objectType, n.body.operation, n.body.object.id, n.auth])).toEqual([['EVENT', 'PUT', eventId, 'Bearer elaad-callback-token'], ['EVENT', 'DELETE', eventId, 'Bearer elaad-callback-token']]);
    await new Promise((r) => receiver.close(r));
  }, 120_000);
});
