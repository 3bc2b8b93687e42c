import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientTlsOptions, parsePayload, serializePayload, type OadrMessage } from '../../schemas/index.js';
import { readPem, type IssuedCertificate } from '../../src/pki.js';
import { apiCall, startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { Ven, VenStore } from '../index.js';
import { eventually } from '../../test/support/eventually.js';

// Ways a field VEN wedged against a VTN (issue 16, items 5–9), each against our running VTN; where
// the VTN must misbehave, a mutual-TLS proxy in front of it answers instead for chosen payloads.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const until = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> => eventually(what, probe, timeoutMs);

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A mutual-TLS proxy holding the VEN's certificate: `intercept` answers a payload itself, or lets it through. */
async function proxy(running: RunningVtn, cert: IssuedCertificate, intercept: (message: OadrMessage) => OadrMessage | 'http-500' | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const pki = running.pki;
  const tls = clientTlsOptions({ key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) });
  const server: Server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const own = intercept(parsePayload(body).message);
      if (own === 'http-500') { res.writeHead(500).end(); return; }
      if (own) { res.writeHead(200, { 'content-type': 'application/xml' }).end(serializePayload(own)); return; }
      const upstream = request(`${running.oadrUrl}${req.url!.replace('/OpenADR2/Simple/2.0b', '')}`, { method: 'POST', ...tls, agent: false, headers: { 'content-type': 'application/xml' } }, (answer) => {
        const back: Buffer[] = [];
        answer.on('data', (c: Buffer) => back.push(c));
        answer.on('end', () => res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/xml' }).end(Buffer.concat(back)));
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/OpenADR2/Simple/2.0b`, close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

describe('a VEN that never wedges', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const close of closers.splice(0).reverse()) await close(); });
  const policy = { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 1000 };

  function venWith(url: string, cert: IssuedCertificate, store: VenStore, extra: Partial<ConstructorParameters<typeof Ven>[0]> = {}): Ven {
    const pki = testPki();
    return new Ven({
      vtnUrl: url, venName: 'wedge', store, jitter: 0, tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) },
      usage: [{ rId: 'power', resourceId: 'meter', read: () => 1234 }], status: [{ rId: 'status', resourceId: 'ven', read: () => ({ online: true, manualOverride: false }) }],
      samplingMinPeriodMs: 1000, reportRetry: { minBackoffMs: 100, maxBackoffMs: 400, refusalsBeforeAside: 3 }, ...extra,
    });
  }

  it('keeps usage telemetry flowing while the VTN refuses its status reports, retries them with backoff, then sets them aside', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven-wedge-5-'));
    const running = await startTlsVtn(join(work, 'vtn'), { policy });
    closers.push(() => running.vtn.stop());
    const cert = running.pki.issue('wedge-5', 'ecdsa');
    let refused = 0;
    const front = await proxy(running, cert, (m) => {
      if (m.type === 'oadrUpdateReport' && m.reports[0]?.reportName === 'TELEMETRY_STATUS') {
        refused++;
        return { type: 'oadrUpdatedReport', venId: m.venId, response: { responseCode: 500, responseDescription: 'status store down', requestId: m.requestId } };
      }
      return undefined;
    });
    closers.push(() => front.close());
    const store = new VenStore(join(work, 'ven.sqlite'));
    const ven = venWith(front.url, cert, store);
    closers.push(async () => { await ven.stop(); store.close(); });
    await ven.start();
    const venId = ven.venId!;
    await until('usage readings at the VTN while status is refused', async () => refused >= 2 && (await running.vtn.store.read.listReadings({ venId, rId: 'power' })).length >= 5);
    const status = await until('a status report set aside', () => { const s = ven.status(); return s.setAsideReports.length > 0 ? s : undefined; });
    expect(status.setAsideReports[0]!.reason).toMatch(/500 \(status store down\)/);
    expect(status.state).toBe('online');
    // Usage keeps flowing after the status report was set aside.
    const before = (await running.vtn.store.read.listReadings({ venId, rId: 'power' })).length;
    await until('more usage readings', async () => (await running.vtn.store.read.listReadings({ venId, rId: 'power' })).length > before);
  }, 60_000);

  it('resumes a registration whose report registration failed, on the next start', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven-wedge-6-'));
    const running = await startTlsVtn(join(work, 'vtn'), { policy });
    closers.push(() => running.vtn.stop());
    const cert = running.pki.issue('wedge-6', 'ecdsa');
    let failRegisterReport = true;
    const front = await proxy(running, cert, (m) => (m.type === 'oadrRegisterReport' && failRegisterReport ? 'http-500' : undefined));
    closers.push(() => front.close());
    const storePath = join(work, 'ven.sqlite');
    let store = new VenStore(storePath);
    let ven = venWith(front.url, cert, store);
    await expect(ven.start()).rejects.toThrow(/500/);
    await ven.stop();
    expect(store.registration()?.complete).toBe(false);
    expect(ven.status().state).toBe('registering');
    store.close();
    failRegisterReport = false;
    store = new VenStore(storePath);
    ven = venWith(front.url, cert, store);
    closers.push(async () => { await ven.stop(); store.close(); });
    await ven.start();
    expect(store.registration()?.complete).toBe(true);
    expect(store.reportRequests().length).toBeGreaterThan(0);
    await until('telemetry after the resumed registration', async () => (await running.vtn.store.read.listReadings({ venId: ven.venId!, rId: 'power' })).length > 0);
  }, 60_000);

  it('forgets the report requests of its old registration when re-registering', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven-wedge-7-'));
    const running = await startTlsVtn(join(work, 'vtn'), { policy });
    closers.push(() => running.vtn.stop());
    const cert = running.pki.issue('wedge-7', 'ecdsa');
    const store = new VenStore(join(work, 'ven.sqlite'));
    const ven = venWith(running.oadrUrl, cert, store);
    closers.push(async () => { await ven.stop(); store.close(); });
    await ven.start();
    const old = store.reportRequests().map((r) => r.request.reportRequestId).sort();
    expect(old.length).toBeGreaterThan(0);
    expect((await apiCall(running.apiUrl, 'POST', `/api/vens/${ven.venId}/reregister`)).status).toBe(202);
    await until('new report requests after re-registration', () => { const now = store.reportRequests().map((r) => r.request.reportRequestId); return now.length > 0 && now.every((id) => !old.includes(id)); });
    const known = new Set((await running.vtn.store.read.listReportRequests(ven.venId!)).filter((r) => r.state !== 'cancelled').map((r) => r.reportRequestId));
    expect(store.reportRequests().every((r) => known.has(r.request.reportRequestId))).toBe(true);
  }, 60_000);

  it('registers afresh when the VTN has lost it, instead of repeating the old registration', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven-wedge-8-'));
    const port = await freePort();
    let running = await startTlsVtn(join(work, 'vtn-a'), { policy }, port);
    const cert = running.pki.issue('wedge-8', 'ecdsa');
    const store = new VenStore(join(work, 'ven.sqlite'));
    const ven = venWith(running.oadrUrl, cert, store);
    closers.push(async () => { await ven.stop(); store.close(); });
    await ven.start();
    const first = store.registration()!;
    await running.vtn.stop();
    // The VTN comes back with empty storage: it knows neither the venID's registration nor its reports.
    running = await startTlsVtn(join(work, 'vtn-b'), { policy }, port);
    closers.push(() => running.vtn.stop());
    const again = await until('a fresh registration', () => { const r = store.registration(); return r && r.registrationId !== first.registrationId && r.complete ? r : undefined; });
    expect((await running.vtn.store.read.getVen(again.venId))?.state).toBe('registered');
    await until('telemetry to the new VTN', async () => (await running.vtn.store.read.listReadings({ venId: again.venId, rId: 'power' })).length > 0);
  }, 60_000);

  it('flexbridge ven waits for a VTN that is not up yet, then registers and says so in its status line', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ven-wedge-9-'));
    const port = await freePort();
    const pki = testPki();
    const cert = pki.issue('wedge-9', 'ecdsa');
    writeFileSync(join(work, 'ven.json'), JSON.stringify({
      vtnUrl: `https://127.0.0.1:${port}/OpenADR2/Simple/2.0b`, venName: 'wedge-9', store: 'ven.sqlite', statusEveryMs: 500,
      tls: { key: cert.keyPath, cert: cert.certPath, ca: pki.caPath }, usage: [{ rId: 'power', resourceId: 'meter', constantW: 500 }],
      optRules: [{ eventId: 'skip-.*', opt: 'optOut' }],
    }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'ven', '--config', join(work, 'ven.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    closers.push(() => { child.kill('SIGTERM'); });
    await until('a retry at start', () => /VTN not reachable or refusing at start; retrying/.test(output));
    expect(child.exitCode).toBeNull();
    expect(output).not.toMatch(/ECONNREFUSED\n\s+at /);
    const running = await startTlsVtn(join(work, 'vtn'), { policy }, port);
    closers.unshift(() => running.vtn.stop());
    const line = await until('VEN running', () => /\{"msg":"VEN running".*\}/.exec(output)?.[0], 40_000);
    const started = JSON.parse(line) as { venId: string; state: string };
    expect(started.state).toBe('online');
    expect(output.match(/"msg":"registered"/g)).toHaveLength(1);
    // Its opt rules answer per event: this one is declined, any other taken.
    await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
    for (const eventId of ['skip-me', 'take-me']) await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId, dtstart: Date.now() + 3_600_000, targets: { venIds: [started.venId] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
    const responses = await until('both answers', async () => { const r = await running.vtn.store.read.listEventResponses(); return r.length >= 2 ? r : undefined; });
    expect(Object.fromEntries(responses.map((r) => [r.eventId, r.optType]))).toEqual({ 'skip-me': 'optOut', 'take-me': 'optIn' });
    await running.vtn.stop();
    await until('an offline status line', () => /"msg":"VEN status","state":"offline"/.test(output), 20_000);
    // The steps' own waits (20 + 40 + 20 + 20 s) decide failure; the whole may take their sum under load.
  }, 150_000);
});
