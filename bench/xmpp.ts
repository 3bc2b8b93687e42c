// npm run bench:xmpp — time for one event change to reach N VENs over the XMPP binding (through
// Debian's Prosody), beside HTTP push over mutual TLS from the same VTN code, in the same run.
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENADR_CIPHERS, serializePayload } from '../schemas/index.js';
import { silentLogger } from '../src/logger.js';
import { readPem } from '../src/pki.js';
import { openXmpp, OADR_NS, payloadElement } from '../src/xmpp.js';
import { startProsody } from '../test/support/prosody.js';
import { testPki } from '../test/support/vtn-harness.js';
import { createVtn, vtnConfigSchema, type Vtn, type VenRecord } from '../vtn/index.js';
import { table } from './measure.js';
import type { XmppClient } from '@xmpp/client';

const N = Number(process.env.BENCH_XMPP_VENS ?? 1000);
const CONCURRENCY = 64;
const log = (line: string): void => { process.stderr.write(`  ${line}\n`); };
const work = mkdtempSync(join(tmpdir(), 'bench-xmpp-'));
const ok = serializePayload({ type: 'oadrResponse', response: { responseCode: 200, requestId: '' } });

async function populate(vtn: Vtn, address: (i: number) => string, transportName: 'xmpp' | 'simpleHttp'): Promise<void> {
  await vtn.store.transaction(async (tx) => {
    for (let i = 0; i < N; i++) {
      const ven: VenRecord = { venId: `benchven${i}`, registrationId: `reg-${i}`, profileName: '2.0b', transportName, transportAddress: address(i), httpPullModel: false, reportOnly: false, xmlSignature: false, registeredAt: Date.now(), state: 'registered', groupIds: [], resourceIds: [] };
      await tx.putVen(ven);
    }
  });
  await vtn.operator.createProgram({ programId: 'bench', name: 'Bench', marketContext: 'http://flexbridge.example/bench' });
}

/** Creates one event for every VEN and returns ms from the call to the last delivery. */
async function fanOut(vtn: Vtn, received: () => number, lastAt: () => number, what: string): Promise<{ committedMs: number; lastMs: number; delivered: number }> {
  const t0 = Date.now();
  await vtn.operator.createEvent({ programId: 'bench', eventId: `fan-${what}`, dtstart: Date.now() + 3_600_000, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
  const committedMs = Date.now() - t0;
  const deadline = Date.now() + 300_000;
  let shown = 0;
  while (received() < N && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    if (Date.now() - shown > 2000) { shown = Date.now(); log(`${what}: ${received()}/${N} delivered`); }
  }
  return { committedMs, lastMs: lastAt() - t0, delivered: received() };
}

// ---- XMPP ---------------------------------------------------------------------------------------
log(`Prosody with ${N + 1} accounts`);
const prosody = await startProsody(join(work, 'prosody'));
prosody.addAccounts([{ username: 'vtn', password: 'vtn-secret' }, ...Array.from({ length: N }, (_, i) => ({ username: `benchven${i}`, password: `secret-${i}` }))]);
await prosody.start();
const ca = readFileSync(prosody.caPath, 'utf8');
const xmppVtn = createVtn(vtnConfigSchema.parse({
  dataDir: join(work, 'vtn-xmpp'), logLevel: 'error', store: { synchronous: 'full' }, oadr: { host: '127.0.0.1', port: 0, insecure: true }, api: { host: '127.0.0.1', port: 0 },
  push: { concurrency: CONCURRENCY, intervalMs: 100 },
  xmpp: { service: prosody.service, domain: prosody.domain, username: 'vtn', password: 'vtn-secret', ca: prosody.caPath, pushTimeoutMs: 60_000 },
}), { logger: silentLogger });
await xmppVtn.start();
await populate(xmppVtn, (i) => `benchven${i}@localhost/ven`, 'xmpp');
let xmppReceived = 0;
let xmppLast = 0;
const clients: XmppClient[] = [];
log(`connecting ${N} XMPP VENs (TLS + SCRAM-SHA-1)`);
const connectStarted = Date.now();
const BATCH = 20;
for (let batch = 0; batch < N; batch += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, N - batch) }, async (_, k) => {
    const i = batch + k;
    for (let attempt = 1; ; attempt++) {
      const xmpp = openXmpp({ service: prosody.service, domain: prosody.domain, username: `benchven${i}`, password: `secret-${i}`, resource: 'ven', ca });
      xmpp.on('error', () => undefined);
      xmpp.iqCallee.set(OADR_NS, 'oadrPayload', () => { xmppReceived++; xmppLast = Date.now(); return payloadElement(ok); });
      try {
        await xmpp.start();
        clients.push(xmpp);
        return;
      } catch (error) {
        // A server busy with a thousand TLS and SCRAM handshakes may time a stream opening out.
        xmpp.reconnect.stop();
        await xmpp.stop().catch(() => undefined);
        if (attempt === 3) throw error;
      }
    }
  }));
  if ((batch + BATCH) % 200 === 0) log(`${batch + BATCH}/${N} connected`);
}
const connectMs = Date.now() - connectStarted;
log('XMPP fan-out');
const xmppResult = await fanOut(xmppVtn, () => xmppReceived, () => xmppLast, 'xmpp');
for (const c of clients) { c.reconnect.stop(); await c.stop().catch(() => undefined); }
await xmppVtn.stop();
await prosody.stop();

// ---- HTTP push over mutual TLS ------------------------------------------------------------------
const pki = testPki();
const vtnCert = pki.issue('bench-vtn', 'ecdsa');
let httpReceived = 0;
let httpLast = 0;
const simulator = createServer({ key: readPem(vtnCert.keyPath), cert: readPem(vtnCert.certPath), ca: readPem(pki.caPath), requestCert: true, ciphers: OPENADR_CIPHERS, maxVersion: 'TLSv1.2' }, (req, res) => {
  req.resume();
  req.on('end', () => { httpReceived++; httpLast = Date.now(); res.writeHead(200, { 'content-type': 'application/xml' }).end(ok); });
});
simulator.keepAliveTimeout = 60_000;
await new Promise<void>((r) => simulator.listen(0, '127.0.0.1', () => r()));
const simPort = (simulator.address() as AddressInfo).port;
const httpVtn = createVtn(vtnConfigSchema.parse({
  dataDir: join(work, 'vtn-http'), logLevel: 'error', store: { synchronous: 'full' },
  oadr: { host: '127.0.0.1', port: 0, tls: { pairs: [{ key: vtnCert.keyPath, cert: vtnCert.certPath }], ca: pki.caPath } }, api: { host: '127.0.0.1', port: 0 },
  push: { concurrency: CONCURRENCY, intervalMs: 100 },
}), { logger: silentLogger });
await httpVtn.start();
await populate(httpVtn, (i) => `https://127.0.0.1:${simPort}/ven-${i}`, 'simpleHttp');
log('HTTP push fan-out');
const httpResult = await fanOut(httpVtn, () => httpReceived, () => httpLast, 'http');
await httpVtn.stop();
simulator.close();

console.log(`\nOne event change to ${N.toLocaleString('en-US')} VENs (same VTN code, ${CONCURRENCY} pushes in flight, durable outbox with synchronous=FULL)\n`);
console.log(table(['transport', 'delivered', 'event committed (ms)', 'last delivery (ms)', 'deliveries/s'], [
  ['XMPP via Prosody (IQ set → result)', xmppResult.delivered, xmppResult.committedMs, xmppResult.lastMs, (xmppResult.delivered / xmppResult.lastMs) * 1000],
  ['HTTP push, mutual TLS (POST → 200)', httpResult.delivered, httpResult.committedMs, httpResult.lastMs, (httpResult.delivered / httpResult.lastMs) * 1000],
]));
console.log(`\nConnecting the ${N} XMPP VENs took ${(connectMs / 1000).toFixed(1)} s (not part of the fan-out). VENs and server share this machine's 2 cores with the VTN.`);
process.exit(0);
