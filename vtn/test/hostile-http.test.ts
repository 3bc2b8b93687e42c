import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { readPem } from '../../src/pki.js';
import { OPENADR_CIPHERS } from '../../schemas/index.js';
import { apiCall, postOadr, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';

const corpus = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'schemas', 'test', 'hostile');

// The operator API and the OpenADR endpoint against malformed and cross-site requests, and slow
// clients (issue 15, items 8, 14, 15, 16), over the wire of a running VTN.
describe('hostile HTTP requests against a running VTN', () => {
  let running: RunningVtn;
  beforeAll(async () => { running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-hostile-http-')), { oadr: { requestTimeoutMs: 1_000 } }); });
  afterAll(() => running.vtn.stop());

  it.each([
    ['/api/vens/%', /percent-encoding/],
    ['/api/vens/%E0%A4%A', /percent-encoding/],
    ['/api/feed?after=abc', /after must be an integer/],
    ['/api/readings?limit=NaN', /limit must be an integer/],
    ['/api/feed?waitMs=1e309', /waitMs must be an integer/],
  ])('answers 400, not 500, to GET %s', async (path, reason) => {
    const { status, json } = await apiCall(running.apiUrl, 'GET', path);
    expect(status).toBe(400);
    expect(json.detail).toMatch(reason);
    expect(json).toMatchObject({ type: 'urn:flexbridge:problem:invalid-request', title: 'Bad Request', status: 400 });
  });

  it('refuses a cross-site text/plain POST and a foreign Origin before doing anything', async () => {
    const plain = await fetch(`${running.apiUrl}/api/programs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ programId: 'csrf', name: 'x', marketContext: 'http://x/x' }) });
    expect(plain.status).toBe(415);
    const foreign = await fetch(`${running.apiUrl}/api/programs`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ programId: 'csrf', name: 'x', marketContext: 'http://x/x' }) });
    expect(foreign.status).toBe(403);
    expect((await running.vtn.store.read.listPrograms()).map((p) => p.programId)).not.toContain('csrf');
    const own = await fetch(`${running.apiUrl}/api/programs`, { method: 'POST', headers: { 'content-type': 'application/json', origin: running.apiUrl }, body: JSON.stringify({ programId: 'own', name: 'x', marketContext: 'http://x/own' }) });
    expect(own.status).toBe(201);
  });

  it('refuses events no VEN could read (date beyond 9999, priority past unsignedInt, 30,000 intervals) and keeps serving good ones', async () => {
    await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p12', name: 'P', marketContext: 'http://flexbridge.example/p12' });
    const signal = (n: number) => [{ signalName: 'SIMPLE', signalType: 'level', intervals: Array.from({ length: n }, () => ({ durationMs: 60_000, value: 1 })) }];
    for (const bad of [
      { programId: 'p12', dtstart: 8.64e15, signals: signal(1) },
      { programId: 'p12', dtstart: '+275760-09-13T00:00:00Z', signals: signal(1) },
      { programId: 'p12', dtstart: Date.now(), priority: 2 ** 53 - 1, signals: signal(1) },
      { programId: 'p12', dtstart: Date.now(), signals: signal(30_000) },
    ]) {
      const { status } = await apiCall(running.apiUrl, 'POST', '/api/events', bad);
      expect(status).toBe(400);
    }
    expect((await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p12', eventId: 'fine', dtstart: Date.now() + 60_000, signals: signal(96) })).status).toBe(201);
  });

  it('answers every body of the hostile XML corpus with an OpenADR error, stays up, and serves a good VEN afterwards', async () => {
    const cert = running.pki.issue('hostile-bodies', 'ecdsa');
    const files = readdirSync(corpus).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const file of files) {
      const reply = await postOadr(running.oadrUrl, 'EiEvent', readFileSync(join(corpus, file), 'utf8'), cert, running.pki);
      expect([file, reply.status]).toEqual([file, 200]);
      expect([file, (reply.message as { response?: { responseCode: number } } | undefined)?.response?.responseCode]).toEqual([file, expect.any(Number)]);
      expect((reply.message as { response: { responseCode: number } }).response.responseCode).toBeGreaterThanOrEqual(400);
    }
    const good = await postOadr(running.oadrUrl, 'EiRegisterParty', { type: 'oadrQueryRegistration', requestId: 'q' }, cert, running.pki);
    expect(good.message).toMatchObject({ type: 'oadrCreatedPartyRegistration', response: { responseCode: 200 } });
  });

  it('serves the dashboard with framing forbidden', async () => {
    const page = await fetch(`${running.apiUrl}/dashboard`);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });

  it('cuts off a mutual-TLS client that sends its body slowly', async () => {
    const cert = running.pki.issue('slow-body', 'ecdsa');
    const url = new URL(running.oadrUrl);
    const socket = connect({ host: url.hostname, port: Number(url.port), key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(running.pki.caPath), ciphers: OPENADR_CIPHERS, maxVersion: 'TLSv1.2', servername: 'localhost' });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    const opened = Date.now();
    socket.write(`POST ${url.pathname}/EiEvent HTTP/1.1\r\nHost: ${url.host}\r\ncontent-type: application/xml\r\ncontent-length: 10000\r\n\r\n`);
    const drip = setInterval(() => { if (!socket.destroyed) socket.write('<'); }, 100);
    const closedAfter = await new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
    clearInterval(drip);
    expect(closedAfter).toBeLessThan(5_000);
  });
});
