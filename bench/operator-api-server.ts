// One operator API under test, in its own process: the VTN's own (fastify), or the same route table
// served by express 5 or by the hand-written regex router over node:http the API ran on before.
// Usage: operator-api-server.ts fastify|express|node-http DATA_DIR  → prints {"url": …} when listening.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { silentLogger } from '../src/logger.js';
import { openTestPki } from '../src/pki.js';
import { readBody } from '../src/read-body.js';
import { requestIdFrom, withRequestId } from '../src/request-id.js';
import { createVtn, vtnConfigSchema } from '../vtn/index.js';
import { OperatorApiError } from '../vtn/errors.js';
import { operatorRoutes, type OperatorRoute, type RouteReply } from '../vtn/api/operator-routes.js';
import { problem, problemFromError } from '../vtn/api/problem.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BENCH_TOKEN = 'bench-operator-token-0123456789';
export const BENCH_VENS = 1_000;

const [framework, dataDir] = process.argv.slice(2) as [string, string];
const pki = openTestPki(join(tmpdir(), 'flexbridge-test-pki'));
const cert = pki.issue('vtn', 'ecdsa');
const vtn = createVtn(vtnConfigSchema.parse({
  dataDir, api: { host: '127.0.0.1', port: 0, token: BENCH_TOKEN },
  oadr: { host: '127.0.0.1', port: 0, tls: { pairs: [{ key: cert.keyPath, cert: cert.certPath }], ca: pki.caPath } },
}), { logger: silentLogger });
const { apiUrl } = await vtn.start();

// The same data for every framework: 1,000 VENs in two groups, a program, an event for all of them.
if ((await vtn.store.read.listVens()).length === 0) {
  await vtn.store.transaction(async (tx) => {
    for (let i = 0; i < BENCH_VENS; i++) {
      await tx.putVen({
        venId: `ven-${String(i).padStart(4, '0')}`, registrationId: `reg-${i}`, venName: `building ${i}`, profileName: '2.0b', transportName: 'simpleHttp',
        httpPullModel: true, reportOnly: false, xmlSignature: false, registeredAt: Date.now(), state: 'registered', groupIds: [i % 2 ? 'north' : 'south'], resourceIds: [],
      });
    }
  });
  await vtn.operator.createProgram({ programId: 'bench', name: 'Bench', marketContext: 'http://flexbridge.example/bench' });
  await vtn.operator.createEvent({ programId: 'bench', eventId: 'ev-bench', dtstart: Date.now() + 3_600_000, targets: { groupIds: ['north'] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 900_000, value: 1 }] }] });
}

const routes = operatorRoutes({
  operator: vtn.operator, store: vtn.store, openApi: () => ({}), readiness: async () => ({}),
  feed: async (after, limit) => { const entries = await vtn.store.read.feedAfter(after, limit); return { entries, next: entries.at(-1)?.offset ?? after }; },
  ledgerView: () => undefined, metrics: () => undefined,
});
const SECURITY_HEADERS = { 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
const authorized = (header: string | undefined): boolean => {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${BENCH_TOKEN}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
};
const parse = (schema: z.ZodType | undefined, value: unknown): unknown => {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw new OperatorApiError(400, 'invalid request body', { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return result.data;
};
const problemBody = (error: unknown, path: string, requestId: string): [number, string] => {
  const found = problemFromError(error) ?? problem(500, 'internal error; nothing was stored');
  return [found.status, JSON.stringify({ ...found, instance: path, requestId })];
};

function expressServer(): Promise<string> {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req: Request, res: Response, next: NextFunction) => { res.set(SECURITY_HEADERS).set('x-request-id', requestIdFrom(req.headers['x-request-id'])); next(); });
  app.use(express.json({ limit: '1mb' }));
  for (const r of routes) {
    app[r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](r.path.replace(/\{(\w+)\}/g, ':$1').replace('.json', '\\.json'), (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        if (r.auth && !authorized(req.headers.authorization)) throw new OperatorApiError(401, 'missing or wrong bearer token');
        const answer = await withRequestId(String(res.get('x-request-id')), () => r.run({ params: req.params as Record<string, string>, query: parse(r.query, req.query), body: parse(r.body, req.body ?? {}) }));
        send(res, answer);
      })().catch(next);
    });
  }
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const [status, body] = problemBody(error, req.path, String(res.get('x-request-id')));
    res.status(status).type('application/problem+json').send(body);
  });
  const send = (res: Response, answer: RouteReply): void => {
    if ('text' in answer) { res.status(answer.status).type(answer.contentType).send(answer.text); return; }
    res.status(answer.status).set(answer.headers ?? {}).type('application/json').send(JSON.stringify(answer.json));
  };
  return listen(createServer(app));
}

/** The router the operator API ran on before fastify: regular expressions over node:http. */
function nodeHttpServer(): Promise<string> {
  const table = routes.map((r) => ({ route: r, names: [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!), pattern: new RegExp(`^${r.path.replace(/\{\w+\}/g, '([^/]+)').replace(/\./g, '\\.')}$`) }));
  const dispatch = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://operator');
    const reply = (status: number, type: string, text: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'x-request-id': requestId, ...SECURITY_HEADERS, ...headers }).end(text);
    };
    try {
      const candidates = table.filter((t) => t.pattern.test(url.pathname));
      const found = candidates.find((t) => t.route.method === req.method);
      if (!found) throw new OperatorApiError(candidates.length ? 405 : 404, candidates.length ? `${req.method} not allowed here` : `nothing at ${url.pathname}`);
      const r: OperatorRoute = found.route;
      if (r.auth && !authorized(req.headers.authorization)) throw new OperatorApiError(401, 'missing or wrong bearer token');
      const values = found.pattern.exec(url.pathname)!.slice(1).map((part) => decodeURIComponent(part));
      const params = Object.fromEntries(found.names.map((name, i) => [name, values[i]!]));
      let body: unknown;
      if (r.body) {
        const text = (await readBody(req, 1024 * 1024)).toString('utf8');
        try { body = JSON.parse(text || '{}'); } catch { throw new OperatorApiError(400, 'body is not JSON'); }
      }
      const answer = await withRequestId(requestId, () => r.run({ params, query: parse(r.query, Object.fromEntries(url.searchParams)), body: parse(r.body, body) }));
      if ('text' in answer) reply(answer.status, answer.contentType, answer.text);
      else reply(answer.status, 'application/json', JSON.stringify(answer.json), answer.headers as Record<string, string> | undefined);
    } catch (error) {
      const [status, body] = problemBody(error, url.pathname, requestId);
      reply(status, 'application/problem+json', body);
    }
  };
  return listen(createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    void dispatch(req, res, requestId);
  }));
}

function listen(server: ReturnType<typeof createServer>): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

const url = framework === 'fastify' ? apiUrl : framework === 'express' ? await expressServer() : await nodeHttpServer();
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.on('SIGTERM', () => { void vtn.stop().finally(() => process.exit(0)); });
