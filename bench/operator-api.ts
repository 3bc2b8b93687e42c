// npm run bench:operator-api — the operator API's routes served by fastify (ours), express 5 and the
// hand-written node:http router it replaced, each in its own process over the same route table and
// the same SQLite data (1,000 VENs), driven by autocannon in this process, rounds alternating.
// Prints req/s, p99, CPU µs per request and peak memory per framework and route.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { stopChild, waitForLine } from './child-io.js';
import { table } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'bench-operator-token-0123456789';
const FRAMEWORKS = ['node-http', 'fastify', 'express'] as const;
type Framework = (typeof FRAMEWORKS)[number];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 32;

const auth = { authorization: `Bearer ${TOKEN}` };
const ROUTES: { name: string; method: 'GET' | 'POST' | 'PATCH'; path: string; body?: unknown; expect: number }[] = [
  { name: 'GET /healthz', method: 'GET', path: '/healthz', expect: 200 },
  { name: 'GET /api/programs', method: 'GET', path: '/api/programs', expect: 200 },
  { name: 'GET /api/vens?limit=50 (of 1,000)', method: 'GET', path: '/api/vens?q=north&limit=50', expect: 200 },
  { name: 'GET /api/events/{id} (500 targets)', method: 'GET', path: '/api/events/ev-bench', expect: 200 },
  { name: 'PATCH /api/vens/{id} (a write)', method: 'PATCH', path: '/api/vens/ven-0001', body: { groupIds: ['north'] }, expect: 200 },
  { name: 'POST /api/programs invalid (400)', method: 'POST', path: '/api/programs', body: { programId: 'x', name: 'x', marketContext: 'not a url' }, expect: 400 },
];

interface Server { readonly framework: Framework; readonly child: ChildProcess; readonly url: string; readonly pid: number }

async function start(framework: Framework): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/operator-api-server.ts'), framework, mkdtempSync(join(tmpdir(), `bench-api-${framework}-`))], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const [line] = await waitForLine(child, /\{"url".*\}\n/, `the ${framework} server`);
  const { url, pid } = JSON.parse(line) as { url: string; pid: number };
  return { framework, child, url, pid };
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const peakMiB = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

interface Sample { rps: number; p99: number; cpuUs: number }

async function drive(server: Server, route: (typeof ROUTES)[number], seconds: number): Promise<Sample> {
  const before = cpuSeconds(server.pid);
  const result = await autocannon({
    url: `${server.url}${route.path}`, method: route.method, connections: CONNECTIONS, duration: seconds,
    headers: { ...auth, ...(route.body ? { 'content-type': 'application/json' } : {}) }, ...(route.body ? { body: JSON.stringify(route.body) } : {}),
    expectBody: undefined,
  });
  const cpu = cpuSeconds(server.pid) - before;
  const total = result.requests.total;
  const wrong = route.expect === 200 ? result.non2xx : result['4xx'] === total ? 0 : total - result['4xx'];
  if (wrong > 0 || result.errors > 0) throw new Error(`${server.framework} ${route.name}: ${wrong} answers not ${route.expect}, ${result.errors} errors`);
  return { rps: total / seconds, p99: result.latency.p99, cpuUs: (cpu * 1e6) / Math.max(1, total) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`operator API: ${FRAMEWORKS.join(', ')}; ${CONNECTIONS} keep-alive connections, ${ROUNDS} alternating rounds of ${SECONDS} s per route, medians`);
const servers: Server[] = [];
try {
  for (const framework of FRAMEWORKS) servers.push(await start(framework));
  // Warm-up: JIT and SQLite caches for every route on every server.
  for (const server of servers) for (const route of ROUTES) await drive(server, route, 1);
  const samples = new Map<string, Sample[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const route of ROUTES) {
      // Each round starts with a different framework so none always runs on a warmer machine.
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      for (const server of order) {
        const key = `${route.name}|${server.framework}`;
        samples.set(key, [...(samples.get(key) ?? []), await drive(server, route, SECONDS)]);
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${route.name} done\n`);
    }
  }
  const rows: (string | number)[][] = [];
  for (const route of ROUTES) {
    const of = (framework: Framework, field: keyof Sample): number => median(samples.get(`${route.name}|${framework}`)!.map((s) => s[field]));
    const base = of('node-http', 'rps');
    for (const framework of FRAMEWORKS) {
      rows.push([framework === 'node-http' ? route.name : '', framework, of(framework, 'rps'), `${((of(framework, 'rps') / base) * 100).toFixed(0)} %`, of(framework, 'p99'), of(framework, 'cpuUs')]);
    }
  }
  console.log(table(['route', 'server', 'req/s', 'vs node:http', 'p99 ms', 'CPU µs/req'], rows));
  console.log('\npeak memory (VmHWM): ' + servers.map((s) => `${s.framework} ${peakMiB(s.pid).toFixed(0)} MiB`).join(', '));
  const overall = (framework: Framework): number => Math.exp(ROUTES.reduce((sum, route) => sum + Math.log(median(samples.get(`${route.name}|${framework}`)!.map((s) => s.rps)) / median(samples.get(`${route.name}|node-http`)!.map((s) => s.rps))), 0) / ROUTES.length);
  console.log(`geometric mean of req/s relative to node:http: fastify ${(overall('fastify') * 100).toFixed(0)} %, express ${(overall('express') * 100).toFixed(0)} % (target for the chosen framework: ≥ 90 %)`);
} finally {
  for (const server of servers) await stopChild(server.child);
}
