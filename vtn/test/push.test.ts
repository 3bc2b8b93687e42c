import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENADR_CIPHERS, parsePayload, serializePayload, serverTlsOptions, type OadrDistributeEvent, type OadrMessage } from '../../schemas/index.js';
import { readPem } from '../../src/pki.js';
import { apiCall, postOadr, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';

describe('push to VENs registered for push', () => {
  let running: RunningVtn | undefined;
  let venServer: Server | undefined;
  afterEach(async () => {
    await running?.vtn.stop();
    await new Promise((r) => (venServer ? venServer.close(r) : r(undefined)));
  });

  it('delivers an event change to the transportAddress, retrying with backoff until the VEN takes it, and records the VEN\'s answer', async () => {
    running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-push-')), { push: { minBackoffMs: 100, maxBackoffMs: 400, intervalMs: 50 } });
    const { pki } = running;
    const cert = pki.issue('push-ven', 'ecdsa');
    const venId = createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex').slice(-20);
    // The VEN's push endpoint: refuses the first two deliveries, then answers a distribute with oadrCreatedEvent.
    const received: { service: string; message: OadrMessage }[] = [];
    let refusals = 2;
    venServer = createServer(serverTlsOptions({ pairs: [{ key: readPem(cert.keyPath), cert: readPem(cert.certPath) }], ca: readPem(pki.caPath) }), (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (refusals-- > 0) {
          res.writeHead(503).end();
          return;
        }
        const message = parsePayload(Buffer.concat(chunks)).message;
        received.push({ service: req.url!.split('/').pop()!, message });
        let answer: OadrMessage = { type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId };
        if (message.type === 'oadrDistributeEvent' && message.events.length) {
          answer = { type: 'oadrCreatedEvent', venId, response: { responseCode: 200, requestId: message.requestId },
            eventResponses: message.events.map((e) => ({ responseCode: 200, requestId: message.requestId, qualifiedEventId: { eventId: e.descriptor.eventId, modificationNumber: e.descriptor.modificationNumber }, optType: 'optIn' as const })) };
        }
        res.writeHead(200, { 'content-type': 'application/xml' }).end(serializePayload(answer));
      });
    });
    await new Promise<void>((r) => venServer!.listen(0, '127.0.0.1', () => r()));
    const transportAddress = `https://127.0.0.1:${(venServer.address() as AddressInfo).port}`;

    const registered = await postOadr(running.oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', transportAddress, reportOnly: false, xmlSignature: false, httpPullModel: false }, cert, pki);
    expect(registered.message).toMatchObject({ response: { responseCode: 200 } });
    await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
    await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId: 'pushed', dtstart: Date.now() + 3_600_000, targets: { venIds: [venId] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });

    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await running.vtn.store.read.listEventResponses('pushed')).length === 0) await new Promise((r) => setTimeout(r, 50));
    expect(received.map((r) => [r.service, r.message.type])).toEqual([['EiReport', 'oadrRegisterReport'], ['EiEvent', 'oadrDistributeEvent']]);
    expect((received[1]!.message as OadrDistributeEvent).events[0]!.descriptor.eventId).toBe('pushed');
    expect(await running.vtn.store.read.listEventResponses('pushed')).toMatchObject([{ venId, optType: 'optIn' }]);
    // The two refusals and the deliveries are counted for Prometheus.
    const metrics = await running.vtn.metrics.text();
    expect(metrics).toMatch(/flexbridge_push_attempts_total\{transport="simpleHttp",outcome="failed"\} 2\n/);
    expect(metrics).toMatch(/flexbridge_push_attempts_total\{transport="simpleHttp",outcome="delivered"\} [1-9]/);
    expect(await running.vtn.store.read.pendingOutbox(venId)).toEqual([]);
  });

  it('keeps an undeliverable message across a VTN restart and delivers it once the VEN is reachable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vtn-push-restart-'));
    const overrides = { push: { minBackoffMs: 100, maxBackoffMs: 200, intervalMs: 50 } };
    running = await startTlsVtn(dataDir, overrides);
    const { pki } = running;
    const cert = pki.issue('push-ven-2', 'rsa');
    const venId = createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex').slice(-20);
    // Reserve a port, then close it: nothing listens there until later.
    venServer = createServer({ key: readPem(cert.keyPath), cert: readPem(cert.certPath) });
    await new Promise<void>((r) => venServer!.listen(0, '127.0.0.1', () => r()));
    const port = (venServer.address() as AddressInfo).port;
    await new Promise((r) => venServer!.close(r));
    await postOadr(running.oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', transportAddress: `https://127.0.0.1:${port}`, reportOnly: false, xmlSignature: false, httpPullModel: false }, cert, pki);
    await new Promise((r) => setTimeout(r, 500));
    const pending = await running.vtn.store.read.pendingOutbox(venId);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.attempts).toBeGreaterThan(0);
    expect(pending[0]!.lastError).toBeDefined();
    await running.vtn.stop();

    const received: string[] = [];
    venServer = createServer({ key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath), ciphers: OPENADR_CIPHERS, maxVersion: 'TLSv1.2' }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(parsePayload(Buffer.concat(chunks)).message.type);
        res.writeHead(200).end(serializePayload({ type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId }));
      });
    });
    await new Promise<void>((r) => venServer!.listen(port, '127.0.0.1', () => r()));
    running = await startTlsVtn(dataDir, overrides);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && received.length === 0) await new Promise((r) => setTimeout(r, 50));
    expect(received).toEqual(['oadrRegisterReport']);
  });
});
