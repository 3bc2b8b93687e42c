// npm run bench:vtn — oadrPoll and oadrRequestEvent throughput and latency over mutual TLS, plain and
// signed, with 1,000 and 10,000 registered VENs, for FlexBridge's VTN and OpenLEADR's VTN (from PyPI)
// side by side; then push fan-out of one event to 10,000 VENs. Both VTNs run as their own process;
// the load generator runs in this one.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientTlsOptions, durationFromMs, OPENADR_CIPHERS, parsePayload, serializePayload, serializeSignedPayload, signPayload, type OadrMessage, type SigningIdentity } from '../schemas/index.js';
import { silentLogger } from '../src/logger.js';
import { openTestPki, readPem, type IssuedCertificate } from '../src/pki.js';
import { OperatorService, SqliteVtnStore, type VenRecord } from '../vtn/index.js';
import { table } from './measure.js';
import { post, stopChild, waitForLine } from './child-io.js';
import Database from 'better-sqlite3';

// `npm run bench:vtn -- --store postgres`: the store comparison (bench/vtn-store.ts) instead.
if (process.argv.includes('--store')) {
  await import('./vtn-store.js');
  process.exit(0);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = 32;
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const WARMUP_MS = 1000;
const POPULATIONS = [1000, 10_000];
const BENCH_TOKEN = 'bench-operator-token-0123456789';
const work = mkdtempSync(join(tmpdir(), 'bench-vtn-'));
const pki = openTestPki(join(tmpdir(), 'flexbridge-bench-pki'));
const vtnCert = pki.issue('bench-vtn', 'ecdsa');
const log = (line: string): void => { process.stderr.write(`  ${line}\n`); };

interface Client { cert: IssuedCertificate; venId: string; fingerprint: string; agent: Agent; identity: SigningIdentity }

log(`issuing ${CLIENTS} client certificates (ECDSA P-256: Python's TLS offers only the ECDSA 2.0b suite)`);
const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => {
  const cert = pki.issue(`bench-ven-${i}`, 'ecdsa');
  const hash = createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex');
  return {
    cert, venId: hash.slice(-20), fingerprint: hash.slice(-20).toUpperCase().match(/../g)!.join(':'),
    agent: new Agent({ keepAlive: true, maxSockets: 1, ...clientTlsOptions({ key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }) }),
    identity: { privateKeyPem: readPem(cert.keyPath), certificatePem: readPem(cert.certPath) },
  };
});

interface Server { url: string; pid: number; stop(): Promise<void> }

/** CPU time (ms) a server process has used so far, from /proc (user + system; 100 ticks a second on Linux). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** BENCH_CPU_PROF=DIR: each FlexBridge VTN process writes a CPU profile there (node --cpu-prof). */
const profiling = (): string[] => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

function populate(dataDir: string, population: number, push?: (i: number) => string): Promise<void> {
  const store = new SqliteVtnStore({ path: join(dataDir, 'vtn.sqlite'), synchronous: 'normal' });
  const operator = new OperatorService({ store, clock: { now: () => Date.now() }, logger: silentLogger, newId: randomUUID, policy: { vtnId: 'FlexBridge-VTN', pollFrequencyMs: 10_000, nearWindowMs: 0, requireSignatures: false, signatureRetentionMs: 600_000, telemetry: { granularityMs: 900_000, reportBackMs: 900_000 } } });
  return store.transaction(async (tx) => {
    for (let i = 0; i < population - (push ? 0 : CLIENTS); i++) {
      const ven: VenRecord = { venId: `population-${i}`, registrationId: `reg-${i}`, profileName: '2.0b', transportName: 'simpleHttp', httpPullModel: !push, reportOnly: false, xmlSignature: false, registeredAt: Date.now(), state: 'registered', groupIds: [], resourceIds: [], ...(push ? { transportAddress: push(i) } : {}) };
      await tx.putVen(ven);
    }
  }).then(async () => {
    await operator.createProgram({ programId: 'bench', name: 'Bench', marketContext: 'http://flexbridge.example/bench' });
    if (!push) await operator.createEvent({ programId: 'bench', eventId: 'bench-event', dtstart: Date.now() + 3_600_000, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
    store.close();
  });
}

/** Nonces remembered before the run, as after a retention window of signed traffic (all still inside it). */
function rememberNonces(dataDir: string, count: number): void {
  const db = new Database(join(dataDir, 'vtn.sqlite'));
  const insert = db.prepare('INSERT INTO nonces (nonce, ts, seen_at) VALUES (?, ?, ?)');
  const now = Date.now();
  db.transaction(() => { for (let i = 0; i < count; i++) insert.run(`prefill-${i}`, now, now); })();
  db.close();
}

async function startFlexBridge(population: number, mode: 'plain' | 'signed', nonces = 0): Promise<Server> {
  const dataDir = mkdtempSync(join(work, 'flexbridge-'));
  await populate(dataDir, population);
  if (nonces > 0) rememberNonces(dataDir, nonces);
  const config = join(dataDir, 'vtn.json');
  writeFileSync(config, JSON.stringify({
    dataDir, logLevel: 'error', store: { synchronous: 'full' },
    oadr: { host: '127.0.0.1', port: 0, tls: { pairs: [{ key: vtnCert.keyPath, cert: vtnCert.certPath }], ca: pki.caPath } }, api: { host: '127.0.0.1', port: 0 },
    signing: { key: vtnCert.keyPath, cert: vtnCert.certPath },
  }));
  const child = spawn(process.execPath, [...profiling(), '--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const [, url] = await waitForLine(child, /"oadrUrl":"([^"]+)"/, 'FlexBridge VTN');
  for (const c of clients) {
    const registration: OadrMessage = { type: 'oadrCreatePartyRegistration', requestId: randomUUID(), profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: mode === 'signed', httpPullModel: true };
    const xml = serializePayload(registration);
    await post(c.agent, `${url}/EiRegisterParty`, mode === 'signed' ? signPayload(xml, c.identity, { now: { epochMs: Date.now(), microsOfMs: 0 } }) : xml);
  }
  return { url: url!, pid: child.pid!, stop: () => stopChild(child) };
}

/** The limit: a bare Node https server with the same mutual TLS answering a fixed payload (signed: one verify and one sign). */
async function startBare(_population: number, mode: 'plain' | 'signed'): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/bare-tls-server.ts'), vtnCert.keyPath, vtnCert.certPath, pki.caPath, mode], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const [, port] = await waitForLine(child, /listening (\d+)/, 'bare TLS server');
  return { url: `https://127.0.0.1:${port}/OpenADR2/Simple/2.0b`, pid: child.pid!, stop: () => stopChild(child) };
}

async function startOpenLeadr(population: number, mode: 'plain' | 'signed'): Promise<Server> {
  const spec = join(work, `openleadr-${population}-${mode}.json`);
  writeFileSync(spec, JSON.stringify({ population, vens: clients.map((c) => ({ ven_id: c.venId, fingerprint: c.fingerprint })) }));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const python = join(root, '.flexbridge', 'python', 'bin', 'python');
  const child = spawn(python, [join(root, 'conformance/interop/openleadr_vtn.py'), '127.0.0.1', String(port), vtnCert.certPath, vtnCert.keyPath, pki.caPath, spec, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForLine(child, /OpenLEADR VTN listening/, 'OpenLEADR VTN');
  return { url: `https://127.0.0.1:${port}/OpenADR2/Simple/2.0b`, pid: child.pid!, stop: () => stopChild(child) };
}

type Kind = 'oadrPoll' | 'oadrRequestEvent' | 'oadrUpdateReport';
const KINDS: readonly Kind[] = ['oadrPoll', 'oadrRequestEvent', 'oadrUpdateReport'];
const SERVICE: Record<Kind, string> = { oadrPoll: 'OadrPoll', oadrRequestEvent: 'EiEvent', oadrUpdateReport: 'EiReport' };

/** Each client's report request at the server under test (its answer to the client's METADATA). */
const reportTargets = new Map<string, { reportRequestId: string; reportSpecifierId: string }>();

/** Each client offers one TELEMETRY_USAGE data point and keeps the request the server makes for it. */
async function registerReports(url: string, mode: 'plain' | 'signed'): Promise<void> {
  reportTargets.clear();
  for (const c of clients) {
    const message: OadrMessage = {
      type: 'oadrRegisterReport', requestId: randomUUID(), venId: c.venId, reportRequestId: '0',
      reports: [{
        reportRequestId: '0', reportSpecifierId: 'bench-metadata', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, duration: durationFromMs(86_400_000),
        descriptions: [{
          rId: 'power', reportDataSource: { resourceIds: ['meter'] }, reportType: 'usage', readingType: 'Direct Read',
          itemBase: { kind: 'powerReal', itemDescription: 'RealPower', itemUnits: 'W', siScaleCode: 'none', powerAttributes: { hertz: 50, voltage: 230, ac: true } },
          samplingRate: { minPeriod: durationFromMs(900_000), maxPeriod: durationFromMs(900_000), onChange: false },
        }],
      }],
    } as OadrMessage;
    const xml = serializePayload(message);
    const answer = parsePayload(await post(c.agent, `${url}/EiReport`, mode === 'signed' ? signPayload(xml, c.identity, { now: { epochMs: Date.now(), microsOfMs: 0 } }) : xml), { validate: false }).message;
    const request = answer.type === 'oadrRegisteredReport' ? answer.reportRequests?.[0] : undefined;
    if (!request) throw new Error(`no report request for ${c.venId}: the server answered ${answer.type}`);
    reportTargets.set(c.venId, { reportRequestId: request.reportRequestId, reportSpecifierId: request.reportSpecifier.reportSpecifierId });
  }
}

/** A day of quarter-hour readings (96 intervals), as a meter reports it. */
function dayReport(c: Client): OadrMessage {
  const target = reportTargets.get(c.venId)!;
  const day = Date.UTC(2026, 0, 5);
  return {
    type: 'oadrUpdateReport', requestId: randomUUID(), venId: c.venId,
    reports: [{
      reportRequestId: target.reportRequestId, reportSpecifierId: target.reportSpecifierId, reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
      dtstart: { epochMs: day, microsOfMs: 0 }, duration: durationFromMs(86_400_000),
      intervals: Array.from({ length: 96 }, (_, k) => ({ dtstart: { epochMs: day + k * 900_000, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value: 500 + (k % 7) * 10.5 } }] })),
    }],
  } as OadrMessage;
}

function messageFor(kind: Kind, c: Client): OadrMessage {
  if (kind === 'oadrUpdateReport') return dayReport(c);
  return kind === 'oadrPoll' ? { type: 'oadrPoll', venId: c.venId } : { type: 'oadrRequestEvent', requestId: randomUUID(), venId: c.venId };
}

/** Pre-signed payloads with fresh nonces, made before the clock starts so signing does not load the generator. */
function payloads(kind: Kind, mode: 'plain' | 'signed', c: Client, count: number): string[] {
  if (mode === 'plain') return [serializePayload(messageFor(kind, c))];
  return Array.from({ length: count }, () => serializeSignedPayload(messageFor(kind, c), c.identity, { now: { epochMs: Date.now(), microsOfMs: 0 } }));
}

interface LoadResult { rps: number; p50: number; p99: number; errors: number; checked: boolean; cpuUs: number }
const NONCE_ROUNDS = 3;
let nonceRounds = '';

async function load(server: Server, kind: Kind, mode: 'plain' | 'signed', signedPerClient: number): Promise<LoadResult> {
  const url = server.url;
  const service = SERVICE[kind];
  const bodies = clients.map((c) => payloads(kind, mode, c, signedPerClient));
  const latencies: number[] = [];
  let errors = 0;
  let checked = false;
  let measuring = false;
  let stop = false;
  const runners = clients.map(async (c, i) => {
    for (let n = 0; !stop; n++) {
      const list = bodies[i]!;
      if (mode === 'signed' && n >= list.length) break; // out of pre-signed payloads
      const started = process.hrtime.bigint();
      try {
        const answer = await post(c.agent, `${url}/${service}`, list[n % list.length]!);
        // Every answer's responseCode is checked: a refusal is an error, not a fast answer.
        const code = /responseCode>\s*(\d+)\s*</.exec(answer)?.[1];
        if (code !== '200') throw new Error(`responseCode ${code ?? 'missing'}`);
        if (kind === 'oadrRequestEvent' && !checked && answer.includes('eventID')) checked = true;
        if (kind === 'oadrUpdateReport' && !checked && answer.includes('oadrUpdatedReport')) checked = true;
        if (measuring) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      } catch {
        if (measuring) errors++;
      }
    }
  });
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const t0 = Date.now();
  const cpu0 = cpuMsOf(server.pid);
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  measuring = false;
  const elapsed = Date.now() - t0;
  const cpuMs = cpuMsOf(server.pid) - cpu0;
  stop = true;
  await Promise.all(runners);
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { rps: (latencies.length / elapsed) * 1000, p50: q(0.5), p99: q(0.99), errors, checked: kind === 'oadrPoll' || checked, cpuUs: latencies.length ? (cpuMs * 1000) / latencies.length : NaN };
}

// `-- --push-only`: the fan-out alone (the throughput cases take about ten minutes);
// `-- --nonces-only`: the empty against million-nonce rounds alone.
const NONCES_ONLY = process.argv.includes('--nonces-only');
if (!process.argv.includes('--push-only')) {
  const rows: (string | number)[][] = [];
  const results = new Map<string, number>();
  console.log(`VTN benchmark — ${CLIENTS} VEN clients with their own certificates over mutual TLS 1.2 (ECDHE-ECDSA-AES128-SHA256), keep-alive, ${MEASURE_MS / 1000} s per case after ${WARMUP_MS / 1000} s warm-up\n`);
  for (const population of NONCES_ONLY ? [] : POPULATIONS) {
    for (const mode of ['plain', 'signed'] as const) {
      for (const [name, start] of [['FlexBridge', startFlexBridge], ['OpenLEADR 0.5.36', startOpenLeadr]] as const) {
        log(`${name}: ${population} VENs, ${mode}`);
        const server = await start(population, mode);
        try {
          await registerReports(server.url, mode);
          for (const kind of KINDS) {
            // A 96-interval report costs the generator far more to sign: fewer pre-signed ones suffice.
            const r = await load(server, kind, mode, kind === 'oadrUpdateReport' ? (name === 'FlexBridge' ? 300 : 60) : name === 'FlexBridge' ? 600 : 120);
            results.set(`${name}|${population}|${mode}|${kind}`, r.rps);
            rows.push([name, population, mode, kind, r.rps, r.p50, r.p99, r.cpuUs, r.errors, r.checked ? 'yes' : 'NO']);
          }
        } finally {
          await server.stop();
        }
      }
    }
  }
  // The machine's limit (no OpenADR work at all) and signed polls with a million nonces remembered.
  for (const mode of NONCES_ONLY ? [] : (['plain', 'signed'] as const)) {
    log(`bare mutual-TLS server: ${mode}`);
    const server = await startBare(0, mode);
    try {
      const r = await load(server, 'oadrPoll', mode, 600);
      results.set(`limit|${mode}`, r.rps);
      rows.push(['bare TLS limit', '—', mode, 'fixed answer', r.rps, r.p50, r.p99, r.cpuUs, r.errors, '—']);
    } finally {
      await server.stop();
    }
  }
  // Fresh store against a million remembered nonces in alternating rounds, both servers started
  // (and the prefilled file written back to disk) before either is measured: one pass at the end
  // of the run compared with a row measured minutes earlier gave anything from 66 % to 103 %.
  log('FlexBridge: 1000 VENs, signed, an empty nonce table against 1,000,000 nonces remembered, alternating rounds');
  const empty = await startFlexBridge(1000, 'signed');
  const remembered = await startFlexBridge(1000, 'signed', 1_000_000);
  spawnSync('sync');
  try {
    const rounds: { empty: LoadResult[]; remembered: LoadResult[] } = { empty: [], remembered: [] };
    for (let round = 0; round < NONCE_ROUNDS; round++) {
      rounds.empty.push(await load(empty, 'oadrPoll', 'signed', 600));
      rounds.remembered.push(await load(remembered, 'oadrPoll', 'signed', 600));
    }
    const median = (runs: LoadResult[]): LoadResult => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
    for (const [label, runs] of [['FlexBridge, empty nonce table', rounds.empty], ['FlexBridge, 1,000,000 nonces', rounds.remembered]] as const) {
      const r = median(runs);
      results.set(`nonces|${label}`, r.rps);
      rows.push([`${label} (median of ${NONCE_ROUNDS})`, 1000, 'signed', 'oadrPoll', r.rps, r.p50, r.p99, r.cpuUs, r.errors, 'yes']);
    }
    nonceRounds = rounds.empty.map((e, i) => `${e.rps.toFixed(0)} / ${rounds.remembered[i]!.rps.toFixed(0)}`).join(', ');
  } finally {
    await empty.stop();
    await remembered.stop();
  }
  console.log(table(['VTN', 'VENs', 'payloads', 'request', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'errors', 'answer checked'], rows));
  if (!NONCES_ONLY) {
    console.log('\nThroughput ratio FlexBridge ÷ OpenLEADR (target ≥ 3×) and share of the bare limit (targets: plain poll ≥ 30 %, signed poll ≥ 25 %):\n');
    const ratioRows: (string | number)[][] = [];
    for (const population of NONCES_ONLY ? [] : POPULATIONS) for (const mode of ['plain', 'signed']) for (const kind of KINDS) {
      const ours = results.get(`FlexBridge|${population}|${mode}|${kind}`)!;
      const theirs = results.get(`OpenLEADR 0.5.36|${population}|${mode}|${kind}`)!;
      ratioRows.push([`${population} VENs, ${mode}, ${kind}`, ours, theirs, `${(ours / theirs).toFixed(1)}×`, `${((ours / results.get(`limit|${mode}`)!) * 100).toFixed(0)} %`]);
    }
    console.log(table(['case', 'FlexBridge req/s', 'OpenLEADR req/s', 'ratio', 'of the bare limit'], ratioRows));
  }
  const fresh = results.get('nonces|FlexBridge, empty nonce table')!;
  const million = results.get('nonces|FlexBridge, 1,000,000 nonces')!;
  console.log(`\nSigned oadrPoll with 1,000,000 nonces remembered: ${million.toFixed(0)} req/s, ${((million / fresh) * 100).toFixed(0)} % of the empty nonce table's ${fresh.toFixed(0)} (target ≥ 90 %; rounds empty / million: ${nonceRounds}).`);
}

if (NONCES_ONLY) {
  for (const c of clients) c.agent.destroy();
  process.exit(0);
}

// ---- push fan-out -----------------------------------------------------------------------------
const PUSH_VENS = 10_000;
log(`push fan-out: ${PUSH_VENS} VENs registered for push`);
const received = new Set<string>();
let lastAt = 0;
const simulator = createServer({ key: readPem(vtnCert.keyPath), cert: readPem(vtnCert.certPath), ca: readPem(pki.caPath), ciphers: OPENADR_CIPHERS, maxVersion: 'TLSv1.2' }, (req, res) => {
  req.resume();
  req.on('end', () => {
    received.add(req.url!.split('/')[1]!);
    lastAt = Date.now();
    res.writeHead(200, { 'content-type': 'application/xml' }).end(serializePayload({ type: 'oadrResponse', response: { responseCode: 200, requestId: '' } }));
  });
});
simulator.keepAliveTimeout = 60_000;
await new Promise<void>((r) => simulator.listen(0, '127.0.0.1', () => r()));
const simPort = (simulator.address() as AddressInfo).port;
const pushDir = mkdtempSync(join(work, 'push-'));
await populate(pushDir, PUSH_VENS, (i) => `https://127.0.0.1:${simPort}/ven-${i}`);
const pushConfig = join(pushDir, 'vtn.json');
const pushRows: (string | number)[][] = [];
for (const concurrency of [64, 256]) {
  received.clear();
  writeFileSync(pushConfig, JSON.stringify({
    dataDir: pushDir, logLevel: 'error', oadr: { host: '127.0.0.1', port: 0, tls: { pairs: [{ key: vtnCert.keyPath, cert: vtnCert.certPath }], ca: pki.caPath } }, api: { host: '127.0.0.1', port: 0, token: BENCH_TOKEN },
    push: { concurrency, intervalMs: 100 },
  }));
  const child = spawn(process.execPath, [...profiling(), '--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', pushConfig], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const [, , apiUrl] = await waitForLine(child, /"oadrUrl":"([^"]+)","apiUrl":"([^"]+)"/, 'FlexBridge VTN (push)');
  const t0 = Date.now();
  const created = await fetch(`${apiUrl}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` }, body: JSON.stringify({ programId: 'bench', eventId: `push-${concurrency}`, dtstart: Date.now() + 3_600_000, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] }) });
  const accepted = Date.now();
  if (created.status !== 201) throw new Error(`event not created: ${await created.text()}`);
  const deadline = Date.now() + 300_000;
  let shown = 0;
  while (received.size < PUSH_VENS && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    if (Date.now() - shown > 2000) { shown = Date.now(); log(`push concurrency ${concurrency}: ${received.size}/${PUSH_VENS} delivered`); }
  }
  await stopChild(child);
  pushRows.push([concurrency, received.size, accepted - t0, lastAt - t0, (received.size / (lastAt - t0)) * 1000]);
}
simulator.close();
console.log(`\nPush fan-out of one event to ${PUSH_VENS.toLocaleString('en-US')} VENs (OpenLEADR's VTN has no push to compare with)\n`);
console.log(table(['concurrent pushes', 'delivered', 'event committed (ms)', 'last delivery (ms)', 'deliveries/s'], pushRows));
for (const c of clients) c.agent.destroy();
process.exit(0);
