import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clientTlsOptions, durationFromMs, parsePayload, serializePayload, serverTlsOptions, type OadrMessage, type OadrRegisteredReport, type ServiceName,
} from '../../schemas/index.js';
import { ManualClock } from '../../src/clock.js';
import { freePort } from '../../src/free-port.js';
import { silentLogger } from '../../src/logger.js';
import { readPem, type IssuedCertificate } from '../../src/pki.js';
import { PostgresVtnStore } from '../../vtn/index.js';
import { AnchorService, AnchorStore, EmbeddedLedger, httpFeedSource, reconcile } from '../../anchor/index.js';
import { operator, retailer } from '../../anchor/test/scenario.js';
import { startHaproxy, type RunningHaproxy } from '../support/haproxy.js';
import { sharedPostgres, type PostgresCluster } from '../support/postgres.js';
import { testPki } from '../support/vtn-harness.js';

// Two VTN processes on one PostgreSQL behind a real HAProxy, under a bounded load of polls,
// reports, opts, operator events and pushes; the nodes are killed with SIGKILL in turn and
// PostgreSQL is crashed and restarted. Nothing acknowledged may be lost, no push message dropped,
// and the anchor's reconciliation must find the VTN and the ledger equal.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'ha-test-operator-token-0123456789';

interface Node {
  readonly name: string;
  readonly config: string;
  readonly oadrPort: number;
  readonly apiPort: number;
  child?: ChildProcess;
  output: string;
}

async function startNode(node: Node): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', node.config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  node.child = child;
  node.output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${node.name} did not start:\n${node.output}`)); }, 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      node.output += c.toString();
      if (node.output.includes('"msg":"VTN listening"')) { clearTimeout(timer); resolve(); }
    });
    child.stderr!.on('data', (c: Buffer) => { node.output += c.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${node.name} exited with ${code}:\n${node.output}`)); });
  });
}

async function killNode(node: Node): Promise<void> {
  const child = node.child;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

function post(agent: Agent, url: string, service: ServiceName, message: OadrMessage): Promise<OadrMessage> {
  const xml = serializePayload(message);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/${service}`, { method: 'POST', agent, timeout: 5_000, headers: { 'content-type': 'application/xml' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try { resolve(parsePayload(Buffer.concat(chunks)).message); } catch (e) { reject(e); }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(xml);
  });
}

async function api(apiUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method, signal: AbortSignal.timeout(5_000),
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

const venIdOf = (cert: IssuedCertificate): string => createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex').slice(-20);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('two VTN nodes on PostgreSQL behind HAProxy', () => {
  let cluster: PostgresCluster;
  let haproxy: RunningHaproxy | undefined;
  const nodes: Node[] = [];
  const servers: Server[] = [];
  afterAll(async () => {
    for (const node of nodes) await killNode(node);
    await haproxy?.stop();
    for (const server of servers) server.close();
    if (cluster && !cluster.running()) cluster.start();
  });

  it('carries on through SIGKILLed nodes and a PostgreSQL crash: nothing acknowledged lost, every push delivered, VTN and ledger equal', async () => {
    cluster = await sharedPostgres();
    const url = await cluster.createDatabase('ha');
    const work = mkdtempSync(join(tmpdir(), 'vtn-ha-'));
    const pki = testPki();
    const rsa = pki.issue('vtn', 'rsa');
    const ec = pki.issue('vtn', 'ecdsa');
    for (const name of ['n1', 'n2']) {
      const node: Node = { name, config: join(work, `${name}.json`), oadrPort: await freePort(), apiPort: await freePort(), output: '' };
      writeFileSync(node.config, JSON.stringify({
        dataDir: join(work, name), logLevel: 'warn', store: { url, nodeId: name, poolSize: 8 },
        oadr: { host: '127.0.0.1', port: node.oadrPort, tls: { pairs: [{ key: rsa.keyPath, cert: rsa.certPath }, { key: ec.keyPath, cert: ec.certPath }], ca: pki.caPath } },
        api: { host: '127.0.0.1', port: node.apiPort, token: TOKEN },
        push: { minBackoffMs: 100, maxBackoffMs: 1_000, intervalMs: 200, timeoutMs: 2_000 },
      }));
      nodes.push(node);
    }
    await Promise.all(nodes.map(startNode));
    const front = { oadrPort: await freePort(), apiPort: await freePort() };
    haproxy = await startHaproxy(work, front, nodes.map((n) => ({ name: n.name, port: n.oadrPort, checkPort: n.apiPort })));
    const oadrUrl = `https://127.0.0.1:${front.oadrPort}/OpenADR2/Simple/2.0b`;
    const apiUrl = `http://127.0.0.1:${front.apiPort}`;
    const retrying = async <T>(what: () => Promise<T>): Promise<T> => {
      for (let i = 0; ; i++) {
        try { return await what(); } catch (error) { if (i > 100) throw error; await sleep(100); }
      }
    };
    expect((await retrying(() => api(apiUrl, 'POST', '/api/programs', { programId: 'ha', name: 'HA', marketContext: 'http://flexbridge.example/ha' }))).status).toBe(201);

    // Pull VENs through HAProxy; push VENs with their own endpoints (the nodes push to them directly).
    const pull = Array.from({ length: 6 }, (_, i) => {
      const cert = pki.issue(`ha-pull-${i}`, i % 2 ? 'rsa' : 'ecdsa');
      return { cert, venId: venIdOf(cert), requestId: '', agent: new Agent({ keepAlive: true, ...clientTlsOptions({ key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }) }), versions: new Map<string, number>() };
    });
    const push = await Promise.all(Array.from({ length: 2 }, async (_, i) => {
      const cert = pki.issue(`ha-push-${i}`, 'ecdsa');
      const venId = venIdOf(cert);
      const deliveries = new Map<string, number>();
      const versions = new Map<string, number>();
      const server = createServer(serverTlsOptions({ pairs: [{ key: readPem(cert.keyPath), cert: readPem(cert.certPath) }], ca: readPem(pki.caPath) }), (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const id = String(req.headers['x-flexbridge-delivery']);
          deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
          const message = parsePayload(Buffer.concat(chunks)).message;
          if (message.type === 'oadrDistributeEvent') for (const e of message.events) versions.set(e.descriptor.eventId, Math.max(versions.get(e.descriptor.eventId) ?? -1, e.descriptor.modificationNumber));
          res.writeHead(200, { 'content-type': 'application/xml' }).end();
        });
      });
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      return { cert, venId, deliveries, versions, transportAddress: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }));
    for (const ven of pull) {
      await retrying(() => post(ven.agent, oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true }));
      const registered = await retrying(() => post(ven.agent, oadrUrl, 'EiReport', {
        type: 'oadrRegisterReport', requestId: 'rr', venId: ven.venId, reports: [{ reportRequestId: '0', reportSpecifierId: 'usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
          descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read' }] }],
      })) as OadrRegisteredReport;
      ven.requestId = registered.reportRequests![0]!.reportRequestId;
    }
    for (const ven of push) {
      const agent = new Agent(clientTlsOptions({ key: readPem(ven.cert.keyPath), cert: readPem(ven.cert.certPath), ca: readPem(pki.caPath) }));
      await retrying(() => post(agent, oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', transportAddress: ven.transportAddress, reportOnly: false, xmlSignature: false, httpPullModel: false }));
      agent.destroy();
    }
    const everyone = [...pull.map((v) => v.venId), ...push.map((v) => v.venId)];

    // The load: each pull VEN polls, reports one new interval, and now and then opts out; the
    // operator creates events for everyone and modifies some. Only what was acknowledged counts.
    const acknowledgedReadings: { venId: string; dtstart: number }[] = [];
    const acknowledgedOpts: string[] = [];
    const events = new Map<string, number>();
    let loading = true;
    const base = Date.UTC(2026, 0, 1);
    const venLoops = pull.map(async (ven, v) => {
      for (let i = 0; loading; i++) {
        try {
          const polled = await post(ven.agent, oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId: ven.venId });
          if (polled.type === 'oadrDistributeEvent') for (const e of polled.events) ven.versions.set(e.descriptor.eventId, Math.max(ven.versions.get(e.descriptor.eventId) ?? -1, e.descriptor.modificationNumber));
          const dtstart = base + i * 900_000;
          const answer = await post(ven.agent, oadrUrl, 'EiReport', {
            type: 'oadrUpdateReport', requestId: `u${i}`, venId: ven.venId, reports: [{ reportRequestId: ven.requestId, reportSpecifierId: 'usage', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
              intervals: [{ dtstart: { epochMs: dtstart, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report', rId: 'power', value: { kind: 'float', value: 1000 + i } }] }] }],
          });
          if (answer.type === 'oadrUpdatedReport' && answer.response.responseCode === 200) acknowledgedReadings.push({ venId: ven.venId, dtstart });
          if (i % 5 === 0) {
            const optId = `opt-${v}-${i}`;
            const opt = await post(ven.agent, oadrUrl, 'EiOpt', { type: 'oadrCreateOpt', requestId: optId, optId, optType: 'optOut', optReason: 'x-schedule', venId: ven.venId, createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, target: { venIds: [ven.venId] }, availability: [{ dtstart: { epochMs: dtstart, microsOfMs: 0 }, duration: durationFromMs(3_600_000) }] });
            if (opt.type === 'oadrCreatedOpt' && opt.response.responseCode === 200) acknowledgedOpts.push(optId);
          }
        } catch {
          await sleep(100); // a node died under this connection: the next request goes to the other
        }
        await sleep(50);
      }
    });
    const operatorLoop = (async () => {
      for (let i = 0; loading; i++) {
        const eventId = `ha-${i}`;
        try {
          const created = await api(apiUrl, 'POST', '/api/events', { programId: 'ha', eventId, dtstart: Date.now() + 3_600_000, targets: { venIds: everyone }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
          if (created.status === 201) events.set(eventId, 0);
          if (i % 3 === 0 && events.has(eventId)) {
            const modified = await api(apiUrl, 'POST', `/api/events/${eventId}/cancel`, {});
            if (modified.status === 200) events.set(eventId, 1);
          }
        } catch { /* not acknowledged */ }
        await sleep(400);
      }
    })();

    // The faults: each node killed in turn and restarted; then PostgreSQL crashes and comes back.
    const [n1, n2] = nodes as [Node, Node];
    let kills = 0;
    let refusedWhileDown: OadrMessage | undefined;
    for (const victim of [n1, n2, n1]) {
      await sleep(2_500);
      await killNode(victim);
      kills++;
      await sleep(1_500);
      await startNode(victim);
    }
    await sleep(2_000);
    cluster.stop('immediate');
    // While the database is down a node answers with a 2.0b error, not a hang and not a 200.
    const direct = new Agent(clientTlsOptions({ key: readPem(pull[0]!.cert.keyPath), cert: readPem(pull[0]!.cert.certPath), ca: readPem(pki.caPath) }));
    refusedWhileDown = await post(direct, `https://127.0.0.1:${n2.oadrPort}/OpenADR2/Simple/2.0b`, 'OadrPoll', { type: 'oadrPoll', venId: pull[0]!.venId }).catch((e: Error) => ({ type: 'oadrResponse', response: { responseCode: -1, responseDescription: `${e.message}; n2 exit ${n2.child?.exitCode} ${n2.child?.signalCode}:\n${n2.output.slice(-3000)}`, requestId: '' } }) as OadrMessage);
    direct.destroy();
    await sleep(1_500);
    cluster.start();
    await sleep(3_000);
    loading = false;
    await Promise.all([...venLoops, operatorLoop]);

    expect(refusedWhileDown).toMatchObject({ type: 'oadrResponse', response: { responseDescription: expect.stringMatching(/nothing was stored/) } });
    expect((refusedWhileDown as { response: { responseCode: number } }).response.responseCode).toBeGreaterThanOrEqual(400);
    expect(acknowledgedReadings.length).toBeGreaterThan(100);
    expect(events.size).toBeGreaterThan(10);

    // Every acknowledged reading and opt is stored.
    const store = new PostgresVtnStore({ url });
    try {
      const stored = new Set((await store.read.listReadings({ limit: 1_000_000 })).map((r) => `${r.venId}@${r.dtstart}`));
      expect(acknowledgedReadings.filter((a) => !stored.has(`${a.venId}@${a.dtstart}`))).toEqual([]);
      const opts = new Set((await store.read.listOpts()).map((o) => o.optId));
      expect(acknowledgedOpts.filter((o) => !opts.has(o))).toEqual([]);
      for (const [eventId, modificationNumber] of events) expect(await store.read.getEvent(eventId)).toMatchObject({ modificationNumber });

      // Every VEN ends up with the latest version of every acknowledged event: pull VENs by polling
      // through HAProxy, push VENs by what the nodes pushed.
      const deadline = Date.now() + 30_000;
      const behind = (versions: Map<string, number>): string[] => [...events].filter(([id, m]) => (versions.get(id) ?? -1) < m).map(([id]) => id);
      for (;;) {
        for (const ven of pull) {
          try {
            const polled = await post(ven.agent, oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId: ven.venId });
            if (polled.type === 'oadrDistributeEvent') for (const e of polled.events) ven.versions.set(e.descriptor.eventId, Math.max(ven.versions.get(e.descriptor.eventId) ?? -1, e.descriptor.modificationNumber));
          } catch { /* try again */ }
        }
        const lagging = [...pull, ...push].map((v) => behind(v.versions)).flat();
        if (lagging.length === 0) break;
        if (Date.now() > deadline) throw new Error(`VENs never received ${lagging.length} event versions, e.g. ${lagging.slice(0, 5).join(', ')}`);
        await sleep(300);
      }
      // Every push message delivered: nothing of the push VENs is left in the outbox. A delivery is
      // repeated only when a node died between a VEN's answer and its commit (at most the pushes in
      // flight at a kill); the delivery header lets a VEN drop such a repeat.
      for (const ven of push) {
        const waiting = Date.now() + 10_000;
        while ((await store.read.pendingOutbox(ven.venId)).length > 0 && Date.now() < waiting) await sleep(200);
        expect(await store.read.pendingOutbox(ven.venId)).toEqual([]);
        const repeated = [...ven.deliveries.values()].filter((n) => n > 1).length;
        expect(repeated).toBeLessThanOrEqual(kills);
      }
    } finally {
      await store.close();
    }

    // The anchor reads the feed through HAProxy (either node) and the ledger agrees with the VTN.
    const nodeCert = pki.issue('ha-ledger-node', 'ecdsa');
    const ledger = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(nodeCert.keyPath), certificatePem: readPem(nodeCert.certPath) }, clock: new ManualClock(Date.now()) });
    const anchorStore = new AnchorStore(join(work, 'anchor.sqlite'));
    const source = httpFeedSource(apiUrl, TOKEN);
    const anchor = new AnchorService({ source, ledger, store: anchorStore, clock: new ManualClock(Date.now()), logger: silentLogger, identities: { operator, retailer }, meters: {}, minBackoffMs: 1_000 });
    try {
      let backlog = await anchor.runOnce();
      for (let i = 0; i < 20 && backlog.pending > 0; i++) backlog = await anchor.runOnce();
      expect(backlog).toMatchObject({ pending: 0, failed: 0, quarantined: 0 });
      const agreed = await reconcile(ledger, source);
      expect(agreed.divergences).toEqual([]);
      expect(agreed.checkedEventVersions).toBeGreaterThanOrEqual(events.size);
      expect(agreed.checkedTelemetryWindows).toBeGreaterThan(0);
    } finally {
      anchorStore.close();
      ledger.close();
    }
  }, 240_000);
});
