// npm run bench:vtn -- --store postgres — the VTN's two stores side by side in one run:
//  1. oadrPoll and oadrRequestEvent over mutual TLS (32 VEN clients, 1,000 registered VENs) on
//     SQLite and PostgreSQL, with one VTN process and with two (`--workers 2`);
//  2. a population of 100,000 registered VENs (BENCH_POPULATION): peak memory per VTN process, time to
//     fan one event out to all of them by pull (each VEN polls once) and by push, p99 of the polls.
// PostgreSQL is Debian's, a private cluster with fsync on (SQLite runs synchronous=FULL): both
// acknowledge only what is on disk. The load generator shares the machine's two cores with the VTN.
import { spawn } from 'node:child_process';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent, createServer as createHttpServer } from 'node:http';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientTlsOptions, serializePayload, type OadrMessage } from '../schemas/index.js';
import { silentLogger } from '../src/logger.js';
import { openTestPki, readPem } from '../src/pki.js';
import { OperatorService, PostgresVtnStore, SqliteVtnStore, type VenRecord, type VtnStore } from '../vtn/index.js';
import { PostgresCluster } from '../test/support/postgres.js';
import { post, stopChild, waitForLine } from './child-io.js';
import { table } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = 32;
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const WARMUP_MS = 1000;
const POPULATION = Number(process.env.BENCH_POPULATION ?? 100_000);
const TOKEN = 'bench-operator-token-0123456789';
const log = (line: string): void => { process.stderr.write(`  ${line}\n`); };
const work = mkdtempSync(join(tmpdir(), 'bench-vtn-store-'));
const pki = openTestPki(join(tmpdir(), 'flexbridge-bench-pki'));
const vtnCert = pki.issue('bench-vtn', 'ecdsa');

type Backend = 'sqlite' | 'postgres';
interface Setup { readonly backend: Backend; readonly workers: number }
const SETUPS: readonly Setup[] = [{ backend: 'sqlite', workers: 1 }, { backend: 'sqlite', workers: 2 }, { backend: 'postgres', workers: 1 }, { backend: 'postgres', workers: 2 }];
const label = (s: Setup): string => `${s.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${s.workers} process${s.workers > 1 ? 'es' : ''}`;

log('starting a private PostgreSQL cluster (fsync on)');
const cluster = await PostgresCluster.create(join(tmpdir(), `fb-bench-pg-${process.pid}`), { fsync: 'on', full_page_writes: 'on', shared_buffers: '256MB' });
cluster.start();

const policy = { vtnId: 'FlexBridge-VTN', pollFrequencyMs: 10_000, nearWindowMs: 0, requireSignatures: false, signatureRetentionMs: 600_000, telemetry: { granularityMs: 900_000, reportBackMs: 900_000 } };

/** A fresh store of the backend, filled with `count` VENs in transactions of 5,000, and a program. */
async function populated(backend: Backend, count: number, make: (i: number) => VenRecord): Promise<{ store: { path?: string; url?: string }; dataDir: string }> {
  const dataDir = mkdtempSync(join(work, `${backend}-`));
  const where = backend === 'sqlite' ? { path: join(dataDir, 'vtn.sqlite') } : { url: await cluster.createDatabase('bench') };
  const store: VtnStore = backend === 'sqlite' ? new SqliteVtnStore({ path: where.path!, synchronous: 'normal' }) : new PostgresVtnStore({ url: where.url!, poolSize: 2 });
  await store.ready();
  for (let from = 0; from < count; from += 5_000) {
    await store.transaction(async (tx) => { for (let i = from; i < Math.min(count, from + 5_000); i++) await tx.putVen(make(i)); });
  }
  await new OperatorService({ store, clock: { now: () => Date.now() }, logger: silentLogger, newId: randomUUID, policy })
    .createProgram({ programId: 'bench', name: 'Bench', marketContext: 'http://flexbridge.example/bench' });
  await store.close();
  return { store: where, dataDir };
}

const venRecord = (venId: string, over: Partial<VenRecord> = {}): VenRecord => ({
  venId, registrationId: `reg-${venId}`, profileName: '2.0b', transportName: 'simpleHttp', httpPullModel: true, reportOnly: false, xmlSignature: false,
  registeredAt: Date.now(), state: 'registered', groupIds: [], resourceIds: [], ...over,
});

interface RunningVtn { oadrUrl: string; apiUrl: string; pids: number[]; stop(): Promise<void> }

async function startVtn(setup: Setup, where: { path?: string; url?: string }, dataDir: string, tls: boolean, extra: Record<string, unknown> = {}): Promise<RunningVtn> {
  const config = join(dataDir, 'vtn.json');
  writeFileSync(config, JSON.stringify({
    dataDir, logLevel: 'error', store: { ...where, synchronous: 'full', poolSize: 16 },
    oadr: { host: '127.0.0.1', port: 0, ...(tls ? { tls: { pairs: [{ key: vtnCert.keyPath, cert: vtnCert.certPath }], ca: pki.caPath } } : { insecure: true }) },
    api: { host: '127.0.0.1', port: 0, token: TOKEN }, ...extra,
  }));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', config, '--workers', String(setup.workers)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = new RegExp(Array.from({ length: setup.workers }, () => '"msg":"VTN listening"[^\\n]*').join('[\\s\\S]*'));
  const [all] = await waitForLine(child, lines, label(setup));
  const first = /"oadrUrl":"([^"]+)","apiUrl":"([^"]+)"/.exec(all)!;
  const pids = setup.workers > 1 ? [...all.matchAll(/"pid":(\d+)/g)].map((m) => Number(m[1])) : [child.pid!];
  return { oadrUrl: first[1]!, apiUrl: first[2]!, pids, stop: () => stopChild(child) };
}

/** Peak resident memory of a process (VmHWM), MiB. */
function peakMiB(pid: number): number {
  try {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

async function createEvent(apiUrl: string, eventId: string): Promise<number> {
  const t0 = Date.now();
  const res = await fetch(`${apiUrl}/api/events`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ programId: 'bench', eventId, dtstart: Date.now() + 3_600_000, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] }),
  });
  if (res.status !== 201) throw new Error(`event not created: ${res.status} ${await res.text()}`);
  return Date.now() - t0;
}

const quantile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

// ---- 1. throughput --------------------------------------------------------------------------
const clients = Array.from({ length: CLIENTS }, (_, i) => {
  const cert = pki.issue(`bench-ven-${i}`, 'ecdsa');
  const venId = createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex').slice(-20);
  return { venId, agent: new Agent({ keepAlive: true, maxSockets: 1, ...clientTlsOptions({ key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }) }) };
});

async function load(url: string, kind: 'oadrPoll' | 'oadrRequestEvent'): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const service = kind === 'oadrPoll' ? 'OadrPoll' : 'EiEvent';
  const bodies = clients.map((c) => serializePayload(kind === 'oadrPoll' ? { type: 'oadrPoll', venId: c.venId } : { type: 'oadrRequestEvent', requestId: randomUUID(), venId: c.venId }));
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const runners = clients.map(async (c, i) => {
    while (!stop) {
      const t = performance.now();
      try {
        const answer = await post(c.agent, `${url}/${service}`, bodies[i]!);
        if (!answer.includes('responseCode>200<')) throw new Error('not 200');
        if (measuring) latencies.push(performance.now() - t);
      } catch {
        if (measuring) errors++;
      }
    }
  });
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  measuring = false;
  const elapsed = performance.now() - t0;
  stop = true;
  await Promise.all(runners);
  latencies.sort((a, b) => a - b);
  return { rps: (latencies.length / elapsed) * 1000, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), errors };
}

console.log(`VTN stores — ${CLIENTS} VEN clients over mutual TLS, keep-alive, ${MEASURE_MS / 1000} s per case after ${WARMUP_MS / 1000} s warm-up, 1,000 registered VENs\n`);
const rows: (string | number)[][] = [];
for (const setup of SETUPS) {
  log(`${label(setup)}: throughput`);
  const { store, dataDir } = await populated(setup.backend, 1000 - CLIENTS, (i) => venRecord(`population-${i}`));
  const vtn = await startVtn(setup, store, dataDir, true);
  try {
    for (const c of clients) {
      await post(c.agent, `${vtn.oadrUrl}/EiRegisterParty`, serializePayload({ type: 'oadrCreatePartyRegistration', requestId: randomUUID(), profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true }));
    }
    await createEvent(vtn.apiUrl, 'bench-event');
    for (const kind of ['oadrPoll', 'oadrRequestEvent'] as const) {
      const r = await load(vtn.oadrUrl, kind);
      rows.push([label(setup), kind, r.rps, r.p50, r.p99, r.errors]);
    }
  } finally {
    await vtn.stop();
  }
}
console.log(table(['store, VTN processes', 'request', 'req/s', 'p50 ms', 'p99 ms', 'errors'], rows));

// ---- 2. a large population ------------------------------------------------------------------
const BIG: readonly Setup[] = [{ backend: 'sqlite', workers: 1 }, { backend: 'postgres', workers: 1 }, { backend: 'postgres', workers: 2 }];
const bigRows: (string | number)[][] = [];
const httpAgents = Array.from({ length: 64 }, () => new HttpAgent({ keepAlive: true, maxSockets: 1 }));
for (const setup of BIG) {
  // Pull: plain HTTP with venIDs on trust, so that one generator can be every VEN (TLS is per
  // connection with keep-alive, not per poll). Each VEN polls once and must get the event.
  log(`${label(setup)}: ${POPULATION.toLocaleString('en-US')} pull VENs`);
  const pull = await populated(setup.backend, POPULATION, (i) => venRecord(`population-${i}`));
  let vtn = await startVtn(setup, pull.store, pull.dataDir, false);
  let commitMs: number;
  let pullMs: number;
  let p99: number;
  let memory: number[];
  try {
    commitMs = await createEvent(vtn.apiUrl, 'fan-out');
    const t0 = Date.now();
    const latencies: number[] = [];
    let next = 0;
    let shown = Date.now();
    await Promise.all(httpAgents.map(async (agent) => {
      for (let i = next++; i < POPULATION; i = next++) {
        const t = performance.now();
        const answer = await post(agent, `${vtn.oadrUrl}/OadrPoll`, serializePayload({ type: 'oadrPoll', venId: `population-${i}` } as OadrMessage));
        if (!answer.includes('fan-out')) throw new Error(`population-${i} was not given the event: ${answer.slice(0, 300)}`);
        latencies.push(performance.now() - t);
        if (Date.now() - shown > 5_000) { shown = Date.now(); log(`  pull: ${latencies.length.toLocaleString('en-US')} VENs have the event`); }
      }
    }));
    pullMs = Date.now() - t0;
    latencies.sort((a, b) => a - b);
    p99 = quantile(latencies, 0.99);
    memory = vtn.pids.map(peakMiB);
  } finally {
    await vtn.stop();
  }

  log(`${label(setup)}: ${POPULATION.toLocaleString('en-US')} push VENs`);
  const received = new Set<string>();
  let lastAt = 0;
  const simulator = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.add(req.url!.split('/')[1]!);
      lastAt = Date.now();
      res.writeHead(200, { 'content-type': 'application/xml' }).end();
    });
  });
  simulator.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => simulator.listen(0, '127.0.0.1', () => r()));
  const port = (simulator.address() as AddressInfo).port;
  const pushed = await populated(setup.backend, POPULATION, (i) => venRecord(`push-${i}`, { httpPullModel: false, transportAddress: `http://127.0.0.1:${port}/ven-${i}` }));
  vtn = await startVtn(setup, pushed.store, pushed.dataDir, false, { push: { concurrency: 256, intervalMs: 100 } });
  let pushMs: number;
  try {
    const t0 = Date.now();
    await createEvent(vtn.apiUrl, 'fan-out');
    let shown = Date.now();
    const deadline = Date.now() + 600_000;
    while (received.size < POPULATION && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      if (Date.now() - shown > 5_000) { shown = Date.now(); log(`  push: ${received.size.toLocaleString('en-US')} delivered`); }
    }
    pushMs = received.size < POPULATION ? NaN : lastAt - t0;
    memory = memory.map((m, i) => Math.max(m, peakMiB(vtn.pids[i] ?? 0)));
  } finally {
    await vtn.stop();
    simulator.close();
  }
  bigRows.push([label(setup), memory.map((m) => m.toFixed(0)).join(' + '), commitMs, p99, pullMs / 1000, POPULATION / (pullMs / 1000), pushMs / 1000, POPULATION / (pushMs / 1000)]);
}
for (const agent of httpAgents) agent.destroy();
console.log(`\n${POPULATION.toLocaleString('en-US')} registered VENs: one event fanned out to all (pull: each VEN polls once, 64 at a time; push: 256 concurrent pushes per process)\n`);
console.log(table(['store, VTN processes', 'peak MiB per process', 'event commit ms', 'poll p99 ms', 'pull fan-out s', 'polls/s', 'push fan-out s', 'pushes/s'], bigRows));
for (const c of clients) c.agent.destroy();
cluster.destroy();
