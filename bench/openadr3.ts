// npm run bench:openadr3 — the OpenADR 3.1 API of our VTN beside openleadr-rs's VTN (openleadr-vtn,
// on PostgreSQL 17) in the same run, each in its own process: events read and created per second
// (autocannon, keep-alive, a business-logic token, alternating rounds), and the fan-out of one event
// to 1,000 subscribed VENs — by webhook (ours; openleadr-rs has no HTTP webhooks) and by MQTT
// through Mosquitto (both). Our 2.0b path is the operator API's event list on the same store.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import mqtt from 'mqtt';
import { stopChild, waitForLine } from './child-io.js';
import { table } from './measure.js';
import { Vtn3Client } from '../ven/index.js';
import { hashSecret } from '../vtn/openadr3/auth.js';
import { OPENLEADR_BL_SCOPES, startOpenleadrVtn, type RunningOpenleadrVtn } from '../test/support/openleadr-rs.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import { openTestPki } from '../src/pki.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const FANOUT = Number(process.env.BENCH_FANOUT ?? 1_000);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Target { readonly name: string; readonly url: string; readonly token: () => Promise<string>; readonly client: Vtn3Client }

async function tokenOf(url: string, id: string, secret: string): Promise<string> {
  const res = await fetch(`${url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret }) });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function drive(url: string, token: string, method: 'GET' | 'POST', body?: unknown): Promise<{ rps: number; p99: number }> {
  const result = await autocannon({ url, method, connections: 16, duration: SECONDS, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${method} ${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.total / SECONDS, p99: result.latency.p99 };
}

const start = new Date(Date.now() + 86_400_000).toISOString();
const eventBody = (programID: string, n = 0) => ({ programID, eventName: `bench-${n}`, intervalPeriod: { start, duration: 'PT15M' }, intervals: Array.from({ length: 4 }, (_, id) => ({ id, payloads: [{ type: 'SIMPLE', values: [1] }] })) });

console.log(`OpenADR 3.1: our VTN (SQLite, synchronous=full) and openleadr-rs's VTN (openleadr-vtn 0.2.8, PostgreSQL 17, fsync on); ${ROUNDS} alternating rounds of ${SECONDS} s, 16 keep-alive connections, medians`);
const broker = await startMosquitto();
const children: ChildProcess[] = [];
let openleadr: RunningOpenleadrVtn | undefined;
try {
  // Our VTN, as `flexbridge vtn` runs it.
  const dir = mkdtempSync(join(tmpdir(), 'bench-openadr3-'));
  const pki = openTestPki(join(tmpdir(), 'flexbridge-test-pki'));
  const cert = pki.issue('vtn', 'ecdsa');
  const config = join(dir, 'vtn.json');
  writeFileSync(config, JSON.stringify({
    dataDir: join(dir, 'data'), logLevel: 'warn', api: { port: 0, token: 'bench-operator-token-0123456789' },
    oadr: { port: 0, tls: { pairs: [{ key: cert.keyPath, cert: cert.certPath }], ca: pki.caPath } },
    openadr3: { port: 0, mqtt: { url: broker.url, topicPrefix: 'ours/' }, webhooks: { allowHttp: true }, clients: [{ clientId: 'bl', secretHash: await hashSecret('bl-secret'), role: 'bl' }] },
  }));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const [line] = await waitForLine(child, /\{"msg":"VTN listening".*\}\n/, 'our VTN');
  const listening = JSON.parse(line) as { openadr3Url: string; apiUrl: string };
  openleadr = await startOpenleadrVtn([{ clientId: 'bl', secret: 'bl-secret', scopes: OPENLEADR_BL_SCOPES }], { mqttUrl: broker.url, topicPrefix: 'theirs/', durable: true });
  const targets: Target[] = [
    { name: 'ours', url: listening.openadr3Url, token: () => tokenOf(listening.openadr3Url, 'bl', 'bl-secret'), client: new Vtn3Client({ baseUrl: listening.openadr3Url, clientId: 'bl', clientSecret: 'bl-secret' }) },
    { name: 'openleadr-rs', url: openleadr.url, token: () => tokenOf(openleadr!.url, 'bl', 'bl-secret'), client: new Vtn3Client({ baseUrl: openleadr.url, clientId: 'bl', clientSecret: 'bl-secret' }) },
  ];
  // The same data on both: a program with 50 events.
  const programs = new Map<string, string>();
  for (const t of targets) {
    const program = await t.client.post<{ id: string }>('programs', { programName: 'bench-program' });
    programs.set(t.name, program.id);
    for (let i = 0; i < 50; i++) await t.client.post('events', eventBody(program.id, i));
  }
  const samples = new Map<string, { rps: number; p99: number }[]>();
  const add = (key: string, s: { rps: number; p99: number }) => samples.set(key, [...(samples.get(key) ?? []), s]);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...targets].reverse() : targets;
    for (const t of order) {
      const token = await t.token();
      add(`read|${t.name}`, await drive(`${t.url}/events?limit=50`, token, 'GET'));
      add(`create|${t.name}`, await drive(`${t.url}/events`, token, 'POST', eventBody(programs.get(t.name)!)));
    }
    add('read|ours 2.0b operator API', await drive(`${listening.apiUrl}/api/events`, 'bench-operator-token-0123456789', 'GET'));
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const rows: (string | number)[][] = [];
  for (const [what, label] of [['read', 'GET events (50 per page)'], ['create', 'POST events (4 intervals)']] as const) {
    for (const name of ['ours', 'openleadr-rs', ...(what === 'read' ? ['ours 2.0b operator API'] : [])]) {
      const s = samples.get(`${what}|${name}`) ?? [];
      if (!s.length) continue;
      rows.push([name === 'ours' ? label : '', name, median(s.map((x) => x.rps)), median(s.map((x) => x.p99))]);
    }
  }
  console.log(table(['operation', 'VTN', 'req/s', 'p99 ms'], rows));
  console.log('(the 2.0b operator API lists every event of every program; the 3.1 list is one page of 50)');

  // Fan-out: 1,000 VENs granted one target, an event for that target.
  const fanout: (string | number)[][] = [];
  const listener = await mqtt.connectAsync(broker.url, { clientId: 'bench-listener' });
  const topics = new Map<string, number>();
  listener.on('message', (topic) => { const key = topic.split('/')[0]!; topics.set(key, (topics.get(key) ?? 0) + 1); });
  await listener.subscribeAsync(['ours/vens/+/events/create', 'theirs/vens/+/events/create'], { qos: 0 });
  let hooks = 0;
  const receiver = createServer((req, res) => { req.resume(); req.on('end', () => { hooks++; res.writeHead(200).end(); }); });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  for (const t of targets) {
    for (let i = 0; i < FANOUT; i++) await t.client.post('vens', { objectType: 'BL_VEN_REQUEST', clientID: `ven-client-${i}`, venName: `fan-${i}`, targets: ['fan'] });
    if (t.name === 'ours') for (let i = 0; i < FANOUT; i++) await t.client.post('subscriptions', { clientName: `fan-${i}`, objectOperations: [{ objects: ['EVENT'], operations: ['CREATE'], callbackUrl: `${hookUrl}/${i}` }] });
    const prefix = t.name === 'ours' ? 'ours' : 'theirs';
    topics.set(prefix, 0);
    hooks = 0;
    const began = performance.now();
    await t.client.post('events', { ...eventBody(programs.get(t.name)!), targets: ['fan'] });
    const posted = performance.now() - began;
    const deadline = Date.now() + 120_000;
    let mqttDone = Number.NaN;
    let hooksDone = Number.NaN;
    while (Date.now() < deadline && (Number.isNaN(mqttDone) || (t.name === 'ours' && Number.isNaN(hooksDone)))) {
      if (Number.isNaN(mqttDone) && (topics.get(prefix) ?? 0) >= FANOUT) mqttDone = performance.now() - began;
      if (Number.isNaN(hooksDone) && hooks >= FANOUT) hooksDone = performance.now() - began;
      await new Promise((r) => setTimeout(r, 5));
    }
    fanout.push([t.name, posted, mqttDone, t.name === 'ours' ? hooksDone : '—']);
  }
  await listener.endAsync();
  await new Promise((r) => receiver.close(r));
  console.log(`\none event to ${FANOUT.toLocaleString('en-US')} VENs (ms from POST; NaN: not all within 2 minutes)`);
  console.log(table(['VTN', 'POST answered', 'all MQTT messages (per-VEN topics)', 'all webhooks'], fanout));
  for (const t of targets) t.client.close();
} finally {
  for (const c of children) await stopChild(c);
  await openleadr?.stop();
  await broker.stop();
}
