import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Logger } from '../../src/logger.js';
import type { OperatorService } from '../service/index.js';
import type { VtnStore } from '../store/store.js';
import { requestIdFrom, withRequestId } from '../../src/request-id.js';
import { OperatorApiError } from '../errors.js';
import { openApiDocument } from './openapi.js';
import { DASHBOARD_CSP, dashboardAssets } from './dashboard-assets.js';
import { operatorRoutes, type OperatorRoute } from './operator-routes.js';
import { problem, problemFromError, type Problem } from './problem.js';

/** The operator API's version, as its OpenAPI document states it. */
export const API_VERSION = '0.2.0';

/** Whatever a ledger shows the dashboard (anchor's LedgerView), as JSON. */
export type LedgerViewProvider = () => Promise<unknown>;

export interface OperatorApiOptions {
  readonly host: string;
  readonly port: number;
  /** When set, every /api call needs `Authorization: Bearer <token>`. */
  readonly token?: string;
}

const SECURITY_HEADERS = { 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' } as const;

/**
 * Cross-site requests a browser could be tricked into sending: a body that is not JSON (forms and
 * text/plain need no CORS preflight) and an Origin that is not the API's own host.
 */
function crossSiteRefusal(req: IncomingMessage): { status: number; reason: string } | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || originHost !== req.headers.host) return { status: 403, reason: `cross-origin request from ${origin.slice(0, 80)} refused` };
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const type = req.headers['content-type'];
    if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) return { status: 415, reason: `request bodies are JSON (content-type: application/json), got '${type.slice(0, 60)}'` };
  }
  return undefined;
}


/** Named checks and whether each passed (with what failed). */
export type ReadinessCheck = () => Promise<Record<string, { ok: boolean; detail?: string }>>;

const ASSETS = dashboardAssets();

/** The dashboard's page and files, served beside the routes (not in the OpenAPI document). */
export const PAGE_PATHS: readonly string[] = [...ASSETS.keys()];

const BODY_LIMIT = 1024 * 1024;

/**
 * JSON over HTTP for operators and the anchor service, on fastify (chosen by `npm run bench:operator-api`,
 * docs/operations.md). Routes are declared once in operator-routes.ts; the OpenAPI document at
 * /openapi.json is generated from them, and every refusal is an RFC 9457 problem.
 */
export class OperatorApi {
  readonly server: Server;
  /** Every method and path the framework serves (HEAD excepted), for the document's completeness test. */
  readonly served: { method: string; path: string }[] = [];
  private readonly app: FastifyInstance;
  private readonly routes: readonly OperatorRoute[];
  private readonly document: Record<string, unknown>;
  private feedWaiters = new Set<() => void>();
  private ledgerView: LedgerViewProvider | undefined;
  private metrics: { readonly contentType: string; text(): Promise<string> } | undefined;
  private readiness: ReadinessCheck = async () => ({ started: { ok: false, detail: 'the VTN has not started its listeners yet' } });

  constructor(
    operator: OperatorService,
    private readonly store: VtnStore,
    private readonly options: OperatorApiOptions,
    private readonly logger: Logger,
  ) {
    this.routes = operatorRoutes({
      operator, store,
      openApi: () => this.document,
      readiness: () => this.checkReadiness(),
      feed: (after, limit, waitMs) => this.feed(after, limit, waitMs),
      ledgerView: () => this.ledgerView?.(),
      metrics: () => this.metrics,
    });
    this.document = openApiDocument(this.routes, API_VERSION);
    const app = Fastify({
      logger: false,
      bodyLimit: BODY_LIMIT,
      forceCloseConnections: true,
      genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
      routerOptions: { maxParamLength: 1000 },
      // Slow or idle clients are cut off (Node's defaults let a slow body hold a socket for 300 s);
      // long-polling feed readers wait up to 60 s, so idle sockets close after twice that.
      serverFactory: (handler) => {
        const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 5_000 }, handler);
        server.setTimeout(120_000);
        return server;
      },
      frameworkErrors: (error, req, reply) => {
        const path = (req.url ?? '').split('?')[0]!.slice(0, 80);
        const detail = error.code === 'FST_ERR_BAD_URL' ? `malformed percent-encoding in ${path}` : error.message;
        void this.sendProblem(reply, problem(400, detail), req.url, String(req.id));
      },
    });
    this.app = app;
    this.server = app.server;
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') this.served.push({ method, path: route.url });
    });
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, text, done) => {
      if (text === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text as string));
      } catch {
        done(new OperatorApiError(400, 'body is not JSON'), undefined);
      }
    });
    app.addHook('onRequest', async (req, reply) => {
      reply.header('x-request-id', req.id).headers(SECURITY_HEADERS);
      if (!ASSETS.has(req.url.split('?')[0]!)) {
        const refusal = crossSiteRefusal(req.raw);
        if (refusal) throw new OperatorApiError(refusal.status, refusal.reason);
      }
    });
    for (const [path, asset] of ASSETS) {
      // The page holds no data (its API calls carry the token), so it and its files need none.
      app.get(path, async (_req, reply) => reply.type(asset.contentType).header('content-security-policy', DASHBOARD_CSP).send(asset.body));
    }
    for (const r of this.routes) {
      app.route({ method: r.method, url: r.path.replace(/\{(\w+)\}/g, ':$1'), handler: (req, reply) => this.handle(r, req, reply) });
    }
    const patterns = this.routes.map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+').replace(/\./g, '\\.')}$`) }));
    app.setNotFoundHandler(async (req) => {
      const path = req.url.split('?')[0]!;
      const allowed = patterns.filter((p) => p.pattern.test(path)).map((p) => p.method);
      if (allowed.length) throw new OperatorApiError(405, `${req.method} not allowed here (allowed: ${allowed.join(', ')})`);
      throw new OperatorApiError(404, `nothing at ${path.slice(0, 80)}`);
    });
    app.setErrorHandler(async (error, req, reply) => {
      let found = problemFromError(error);
      if (!found) {
        this.logger.error('operator API error', { error, requestId: req.id });
        found = problem(500, 'internal error; nothing was stored');
      }
      return this.sendProblem(reply, found, req.url, String(req.id));
    });
  }

  /** Parses a route's input with its schemas, runs it under the request's ID, and sends its answer. */
  private async handle(r: OperatorRoute, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (r.auth && !this.authorized(req.raw)) throw new OperatorApiError(401, 'missing or wrong bearer token');
    const query = r.query ? parseQuery(r.query, req.query) : undefined;
    const body = r.body ? parseBody(r.body, req.body ?? {}) : undefined;
    const answer = await withRequestId(String(req.id), () => r.run({ params: req.params as Record<string, string>, query, body }));
    reply.code(answer.status);
    if ('text' in answer) return reply.type(answer.contentType).send(answer.text);
    if (answer.headers) reply.headers(answer.headers);
    return reply.type('application/json').send(JSON.stringify(answer.json));
  }

  private sendProblem(reply: FastifyReply, found: Problem, url: string | undefined, requestId: string): FastifyReply {
    const body: Problem = { ...found, instance: (url ?? '/').split('?')[0]!.slice(0, 200), requestId };
    return reply.code(found.status).type('application/problem+json').send(JSON.stringify(body));
  }

  async listen(): Promise<AddressInfo> {
    await this.app.listen({ port: this.options.port, host: this.options.host });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    for (const wake of this.feedWaiters) wake();
    await this.app.close();
  }

  /** Serves GET /metrics (behind the bearer token, like /api). */
  attachMetrics(metrics: { readonly contentType: string; text(): Promise<string> }): void {
    this.metrics = metrics;
  }

  /** What /readyz checks, given by the VTN once its listeners are up. */
  setReadiness(check: ReadinessCheck): void {
    this.readiness = check;
  }

  /** Runs the checks, each bounded to 2 s: a store that does not answer is not ready, not a hung probe. */
  private async checkReadiness(): Promise<Record<string, { ok: boolean; detail?: string }>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Record<string, { ok: boolean; detail?: string }>>((resolve) => {
      timer = setTimeout(() => resolve({ checks: { ok: false, detail: 'the readiness checks did not answer within 2 s' } }), 2_000);
    });
    try {
      return await Promise.race([this.readiness().catch((error: unknown) => ({ checks: { ok: false, detail: error instanceof Error ? error.message : String(error) } })), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Lets the dashboard show a ledger (the anchor's view of it). */
  attachLedgerView(provider: LedgerViewProvider): void {
    this.ledgerView = provider;
  }

  /** Wakes long-polling feed readers; called on every change the VTN commits. */
  notifyFeed(): void {
    for (const wake of this.feedWaiters) wake();
    this.feedWaiters.clear();
  }

  private async feed(after: number, limit: number, waitMs: number): Promise<{ entries: unknown[]; next: number }> {
    let entries = await this.store.read.feedAfter(after, limit);
    if (entries.length === 0 && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { this.feedWaiters.delete(wake); resolve(); }, waitMs);
        const wake = (): void => { clearTimeout(timer); resolve(); };
        this.feedWaiters.add(wake);
      });
      entries = await this.store.read.feedAfter(after, limit);
    }
    return { entries, next: entries.at(-1)?.offset ?? after };
  }

  private authorized(req: IncomingMessage): boolean {
    if (!this.options.token) return true;
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${this.options.token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function parseQuery(schema: z.ZodObject, raw: unknown): unknown {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  const given = (raw as Record<string, unknown> | undefined)?.[name];
  throw new OperatorApiError(400, `query parameter ${name} ${issue.message}${typeof given === 'string' ? `, got '${given.slice(0, 40)}'` : ''}`);
}

function parseBody(schema: z.ZodType, raw: unknown): unknown {
  const result = schema.safeParse(raw);
  if (!result.success) throw new OperatorApiError(400, 'invalid request body', { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return result.data;
}
