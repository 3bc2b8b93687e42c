import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ResponseCode } from '../../schemas/index.js';
import type { Logger } from '../../src/logger.js';
import { eventParticipation, type OperatorService } from '../service/index.js';
import type { VtnStore } from '../store/store.js';
import { BodyTooLargeError } from '../../src/errors.js';
import { requestIdFrom, withRequestId } from '../../src/request-id.js';
import { readBody } from '../../src/read-body.js';
import { OperatorApiError, VtnRequestError } from '../errors.js';
import { openApiDocument } from './openapi.js';
import { DASHBOARD_HTML } from './dashboard-page.js';
import { eventInput, programInput, reportCancelInput, reportRequestInput, toEventInput, venAttributes } from './operator-schemas.js';

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

type Route = { method: string; pattern: RegExp; run: (match: string[], req: IncomingMessage, url: URL) => Promise<[number, unknown]> };

/** JSON over HTTP for operators and the anchor service; the OpenAPI document is at /openapi.json. */
export class OperatorApi {
  readonly server: Server;
  private readonly routes: Route[];
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
    const json = async (req: IncomingMessage): Promise<unknown> => {
      const body = await readBody(req, 1024 * 1024);
      try {
        return JSON.parse(body.toString('utf8') || '{}');
      } catch {
        throw new OperatorApiError(400, 'body is not JSON');
      }
    };
    const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
      const result = schema.safeParse(value);
      if (!result.success) throw new OperatorApiError(400, 'invalid request body', { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      return result.data;
    };
    const num = (url: URL, name: string): number | undefined => {
      if (!url.searchParams.has(name)) return undefined;
      const text = url.searchParams.get(name) ?? '';
      // A malformed number is the caller's mistake (400), never NaN passed on to the store.
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new OperatorApiError(400, `query parameter ${name} must be an integer, got '${text.slice(0, 40)}'`);
      return Number(text);
    };

    this.routes = [
      { method: 'GET', pattern: /^\/openapi\.json$/, run: async () => [200, openApiDocument] },
      { method: 'GET', pattern: /^\/healthz$/, run: async () => [200, { status: 'ok' }] },
      { method: 'GET', pattern: /^\/readyz$/, run: async () => {
        const checks = await this.checkReadiness();
        const ready = Object.values(checks).every((c) => c.ok);
        return [ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks }];
      } },
      { method: 'GET', pattern: /^\/api\/programs$/, run: async () => [200, await store.read.listPrograms()] },
      { method: 'POST', pattern: /^\/api\/programs$/, run: async (_m, req) => [201, await operator.createProgram(parse(programInput, await json(req)))] },
      { method: 'GET', pattern: /^\/api\/events$/, run: async () => [200, await store.read.listEvents()] },
      { method: 'POST', pattern: /^\/api\/events$/, run: async (_m, req) => [201, await operator.createEvent(toEventInput(parse(eventInput, await json(req))))] },
      {
        method: 'GET', pattern: /^\/api\/events\/([^/]+)$/, run: async ([id]) => {
          const event = await store.read.getEvent(id!);
          if (!event) throw new OperatorApiError(404, `no event ${id}`);
          const venIds = await store.read.eventTargets(id!);
          const responses = await store.read.listEventResponses(id!);
          return [200, { ...event, versions: await store.read.listEventVersions(id!), venIds, responses, participation: eventParticipation(venIds, responses, await store.read.listOpts(), id!) }];
        },
      },
      { method: 'PUT', pattern: /^\/api\/events\/([^/]+)$/, run: async ([id], req) => [200, await operator.modifyEvent(id!, toEventInput(parse(eventInput, await json(req))))] },
      { method: 'POST', pattern: /^\/api\/events\/([^/]+)\/cancel$/, run: async ([id], req) => [200, await operator.cancelEvent(id!, parse(z.object({ reason: z.string().optional() }), await json(req)).reason)] },
      { method: 'GET', pattern: /^\/api\/vens$/, run: async () => [200, await store.read.listVens()] },
      {
        method: 'GET', pattern: /^\/api\/vens\/([^/]+)$/, run: async ([id]) => {
          const ven = await store.read.getVen(id!);
          if (!ven) throw new OperatorApiError(404, `no VEN ${id}`);
          return [200, { ...ven, reportRegistrations: await store.read.listReportRegistrations(id!), reportRequests: await store.read.listReportRequests(id!), pending: await store.read.pendingOutbox(id!), opts: await store.read.listOpts(id!) }];
        },
      },
      { method: 'PATCH', pattern: /^\/api\/vens\/([^/]+)$/, run: async ([id], req) => [200, await operator.setVenAttributes(id!, parse(venAttributes, await json(req)))] },
      { method: 'POST', pattern: /^\/api\/vens\/([^/]+)\/reregister$/, run: async ([id]) => { await operator.requestReregistration(id!); return [202, { queued: 'oadrRequestReregistration' }]; } },
      { method: 'POST', pattern: /^\/api\/vens\/([^/]+)\/reports$/, run: async ([id], req) => [202, { queued: 'oadrCreateReport', reportRequests: await operator.requestReports(id!, parse(reportRequestInput, await json(req)).requests) }] },
      {
        method: 'POST', pattern: /^\/api\/vens\/([^/]+)\/reports\/cancel$/, run: async ([id], req) => {
          const input = parse(reportCancelInput, await json(req));
          await operator.cancelReports(id!, input.reportRequestIds, input.reportToFollow);
          return [202, { queued: 'oadrCancelReport' }];
        },
      },
      { method: 'POST', pattern: /^\/api\/vens\/([^/]+)\/cancel-registration$/, run: async ([id]) => { await operator.cancelRegistration(id!); return [202, { queued: 'oadrCancelPartyRegistration' }]; } },
      { method: 'GET', pattern: /^\/api\/opts$/, run: async (_m, _r, url) => [200, await store.read.listOpts(url.searchParams.get('venId') ?? undefined)] },
      {
        method: 'GET', pattern: /^\/api\/readings$/, run: async (_m, _r, url) => [200, await store.read.listReadings({
          ...(url.searchParams.get('venId') ? { venId: url.searchParams.get('venId')! } : {}), ...(url.searchParams.get('rId') ? { rId: url.searchParams.get('rId')! } : {}),
          ...(num(url, 'from') !== undefined ? { from: num(url, 'from')! } : {}), ...(num(url, 'to') !== undefined ? { to: num(url, 'to')! } : {}),
          limit: Math.min(num(url, 'limit') ?? 10_000, 100_000),
        })],
      },
      {
        method: 'GET', pattern: /^\/api\/ledger$/, run: async () => {
          if (!this.ledgerView) throw new OperatorApiError(404, 'no ledger is attached to this VTN (run the anchor beside it)');
          return [200, await this.ledgerView()];
        },
      },
      { method: 'GET', pattern: /^\/api\/feed$/, run: async (_m, _r, url) => [200, await this.feed(num(url, 'after') ?? 0, Math.min(num(url, 'limit') ?? 500, 5000), Math.min(num(url, 'waitMs') ?? 0, 60_000))] },
    ];
    // Slow or idle clients are cut off (Node's defaults let a slow body hold a socket for 300 s).
    this.server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 5_000 }, (req, res) => {
      const requestId = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('x-request-id', requestId);
      void withRequestId(requestId, () => this.dispatch(req, res));
    });
    // Long-polling feed readers wait up to 60 s: idle sockets close after twice that.
    this.server.setTimeout(120_000);
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve(this.server.address() as AddressInfo));
    });
  }

  close(): Promise<void> {
    for (const wake of this.feedWaiters) wake();
    return new Promise((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
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

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://operator');
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...SECURITY_HEADERS }).end(text);
    };
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/dashboard')) {
      // The page itself holds no data; its API calls carry the token (given in the URL fragment).
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(DASHBOARD_HTML), ...SECURITY_HEADERS,
        'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      }).end(DASHBOARD_HTML);
      return;
    }
    try {
      const refusal = crossSiteRefusal(req);
      if (refusal) throw new OperatorApiError(refusal.status, refusal.reason);
      if ((url.pathname.startsWith('/api/') || url.pathname === '/metrics') && !this.authorized(req)) throw new OperatorApiError(401, 'missing or wrong bearer token');
      if (url.pathname === '/metrics' && req.method === 'GET' && this.metrics) {
        // Prometheus text format; scraped with the operator token (docs/operations.md).
        const text = await this.metrics.text();
        res.writeHead(200, { 'content-type': this.metrics.contentType, 'content-length': Buffer.byteLength(text), ...SECURITY_HEADERS }).end(text);
        return;
      }
      const candidates = this.routes.filter((r) => r.pattern.test(url.pathname));
      const route = candidates.find((r) => r.method === req.method);
      if (!route) throw new OperatorApiError(candidates.length ? 405 : 404, candidates.length ? `${req.method} not allowed here` : `nothing at ${url.pathname}`);
      const match = route.pattern.exec(url.pathname)!.slice(1).map((part) => {
        try {
          return decodeURIComponent(part);
        } catch {
          throw new OperatorApiError(400, `malformed percent-encoding in ${url.pathname.slice(0, 80)}`);
        }
      });
      const [status, body] = await route.run(match, req, url);
      send(status, body);
    } catch (error) {
      if (error instanceof OperatorApiError) send(error.status, { error: error.message, ...error.extra });
      else if (error instanceof VtnRequestError) send(error.responseCode === ResponseCode.invalidId && /^no /.test(error.message) ? 404 : 409, { error: error.message, responseCode: error.responseCode });
      else if (error instanceof BodyTooLargeError) send(413, { error: error.message });
      else {
        this.logger.error('operator API error', { error });
        send(500, { error: 'internal error; nothing was stored' });
      }
    }
  }
}
