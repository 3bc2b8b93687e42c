import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Logger } from '../../src/logger.js';
import { requestIdFrom, withRequestId } from '../../src/request-id.js';
import { OperatorApiError } from '../errors.js';
import { problem, problemFromError, type Problem } from '../api/problem.js';
import { AuthRefusal, TokenRefusal, type Authorizer, type Principal } from './auth.js';
import { eventRequest, programRequest, reportRequest, resourceRequest, subscriptionRequest, venRequest } from '../../schemas/openadr3/model.js';
import type { Openadr3Service, Page } from './openadr3-service.js';
import { operationTopics } from './mqtt-topics.js';
import { objectTo301, queryFrom301, requestFrom301, type Kind301 } from './dialect-301.js';

type Query = Readonly<Record<string, string | string[] | undefined>>;

/** How one version of the API reads requests and writes objects over the one 3.1 model. */
interface Dialect {
  query(q: Query): Query;
  body(kind: Kind301, raw: unknown, p: Principal): unknown;
  out(object: unknown): unknown;
}

const SAME: Dialect = { query: (q) => q, body: (_kind, raw) => raw, out: (object) => object };
const V301: Dialect = { query: queryFrom301, body: (kind, raw, p) => requestFrom301(kind, raw, p.role), out: objectTo301 };

/** Where 3.0.1 is served beside 3.1.0 (its clients are given this base URL). */
export const PREFIX_301 = '/3.0.1';

export interface Openadr3ApiOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  /** How clients reach this API (token URL, problem instances); default from host and port. */
  readonly publicUrl?: string;
  /** Plain-HTTP callback URLs allowed (development, tests). */
  readonly allowHttpCallbacks: boolean;
  /** The MQTT notifier binding, when a broker is configured. */
  readonly mqtt?: { readonly uri: string; readonly topicPrefix: string };
}

const BODY_LIMIT = 4 * 1024 * 1024;

/**
 * The OpenADR 3.1.0 REST API (JSON), on its own listener: the specification's paths at the root,
 * OAuth2 client credentials at auth/token, RFC 9457 problems on every refusal.
 */
export class Openadr3Api {
  readonly server: Server;
  private readonly app: FastifyInstance;
  private baseUrl: string;

  constructor(
    private readonly service: Openadr3Service,
    private readonly auth: Authorizer,
    private readonly options: Openadr3ApiOptions,
    private readonly logger: Logger,
  ) {
    this.baseUrl = options.publicUrl ?? '';
    const app = Fastify({
      logger: false,
      bodyLimit: BODY_LIMIT,
      forceCloseConnections: true,
      genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
      routerOptions: { maxParamLength: 200 },
      serverFactory: (handler) => {
        const server = options.tls
          ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2', headersTimeout: 10_000, requestTimeout: 30_000 }, handler)
          : createHttpServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, handler);
        server.setTimeout(120_000);
        return server as Server;
      },
      frameworkErrors: (error, req, reply) => {
        void this.sendProblem(reply, problem(400, error.code === 'FST_ERR_BAD_URL' ? 'malformed percent-encoding in the path' : error.message), req.url, String(req.id));
      },
    });
    this.app = app;
    this.server = app.server;
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, text, done) => {
      try {
        done(null, text === '' ? undefined : JSON.parse(text as string));
      } catch {
        done(new OperatorApiError(400, 'body is not JSON'), undefined);
      }
    });
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, text, done) => {
      done(null, Object.fromEntries(new URLSearchParams(text as string)));
    });
    app.addHook('onRequest', async (req, reply) => { reply.header('x-request-id', req.id).header('cache-control', 'no-store'); });
    app.setNotFoundHandler(async (req) => { throw new OperatorApiError(404, `nothing at ${req.url.split('?')[0]!.slice(0, 80)}`); });
    app.setErrorHandler(async (error, req, reply) => {
      if (error instanceof TokenRefusal) {
        if (error.status === 401) reply.header('www-authenticate', 'Basic realm="openadr3"');
        return reply.code(error.status).type('application/json').send(JSON.stringify({ error: error.error, error_description: error.message }));
      }
      if (error instanceof AuthRefusal) {
        if (error.status === 401) reply.header('www-authenticate', `Bearer realm="openadr3"${/expired|not valid/.test(error.message) ? ', error="invalid_token"' : ''}`);
        return this.sendProblem(reply, problem(error.status, error.message), req.url, String(req.id));
      }
      let found = problemFromError(error);
      if (!found) {
        this.logger.error('OpenADR 3 API error', { error, requestId: req.id });
        found = problem(500, 'internal error; nothing was stored');
      }
      return this.sendProblem(reply, found, req.url, String(req.id));
    });
    this.routes(app);
  }

  private routes(app: FastifyInstance): void {
    const s = this.service;
    for (const prefix of ['', PREFIX_301]) {
      app.get(`${prefix}/auth/server`, async () => ({ tokenURL: `${this.baseUrl}${prefix}/auth/token` }));
      app.post(`${prefix}/auth/token`, async (req, reply) => {
        const form = (req.body ?? {}) as Record<string, string | undefined>;
        const token = await this.auth.issue(form, basicCredentials(req.headers.authorization));
        return reply.header('pragma', 'no-cache').type('application/json').send(JSON.stringify(token));
      });
    }
    const mqtt = this.options.mqtt;
    app.get('/notifiers', this.authed(async () => ({
      WEBHOOK: true,
      ...(mqtt ? { MQTT: { URIS: [mqtt.uri], serialization: 'JSON', authentication: { method: 'ANONYMOUS' } } } : {}),
    })));
    if (mqtt) {
      const p = mqtt.topicPrefix;
      const topics = (path: string, create: boolean) => this.authed(async () => ({ topics: operationTopics(p, path, create) }));
      // The public topics carry what business logic may read; a VEN's own topics are named to it and to business logic only.
      const own = (suffix: string, create: boolean) => this.authed(async (principal, req) => {
        const venId = (req.params as Record<string, string>).venID ?? '';
        await s.getVen(principal, venId);
        return { topics: operationTopics(p, `vens/${venId}${suffix}`, create) };
      });
      app.get('/notifiers/mqtt/topics/programs', topics('programs', true));
      app.get('/notifiers/mqtt/topics/programs/:programID', this.authed(async (principal, req) => { const id = (req.params as Record<string, string>).programID!; await s.getProgram(principal, id); return { topics: operationTopics(p, `programs/${id}`, false) }; }));
      app.get('/notifiers/mqtt/topics/events', topics('events', true));
      app.get('/notifiers/mqtt/topics/programs/:programID/events', this.authed(async (principal, req) => { const id = (req.params as Record<string, string>).programID!; await s.getProgram(principal, id); return { topics: operationTopics(p, `programs/${id}/events`, true) }; }));
      app.get('/notifiers/mqtt/topics/reports', topics('reports', true));
      app.get('/notifiers/mqtt/topics/subscriptions', this.authed(async () => { throw new OperatorApiError(404, 'subscriptions are not published over MQTT here (each client subscribes to topics instead)'); }));
      app.get('/notifiers/mqtt/topics/vens', topics('vens', true));
      app.get('/notifiers/mqtt/topics/resources', topics('resources', true));
      app.get('/notifiers/mqtt/topics/vens/:venID', own('', false));
      app.get('/notifiers/mqtt/topics/vens/:venID/events', own('/events', true));
      app.get('/notifiers/mqtt/topics/vens/:venID/programs', own('/programs', true));
      app.get('/notifiers/mqtt/topics/vens/:venID/resources', own('/resources', true));
    }

    this.objects(app, '', SAME);
    this.objects(app, PREFIX_301, V301);
    this.resources301(app);
  }

  /** Every object type's five operations, at `prefix`, in `dialect`. */
  private objects(app: FastifyInstance, prefix: string, dialect: Dialect): void {
    const s = this.service;
    this.crud(app, prefix, dialect, 'programs', 'programID', programRequest, {
      list: (p, q, pg) => s.listPrograms(p, { ...pg, ...targets(q) }),
      get: (p, id) => s.getProgram(p, id), create: (p, b) => s.createProgram(p, b), update: (p, id, b) => s.updateProgram(p, id, b), remove: (p, id) => s.deleteProgram(p, id),
    });
    this.crud(app, prefix, dialect, 'events', 'eventID', eventRequest, {
      list: (p, q, pg) => s.listEvents(p, { ...pg, ...targets(q), ...str(q, 'programID'), ...(q.active !== undefined ? { active: bool(q.active, 'active') } : {}) }),
      get: (p, id) => s.getEvent(p, id), create: (p, b) => s.createEvent(p, b), update: (p, id, b) => s.updateEvent(p, id, b), remove: (p, id) => s.deleteEvent(p, id),
    });
    this.crud(app, prefix, dialect, 'reports', 'reportID', reportRequest, {
      list: (p, q, pg) => s.listReports(p, { ...pg, ...str(q, 'programID'), ...str(q, 'eventID'), ...str(q, 'clientName') }),
      get: (p, id) => s.getReport(p, id), create: (p, b) => s.createReport(p, b), update: (p, id, b) => s.updateReport(p, id, b), remove: (p, id) => s.deleteReport(p, id),
    });
    const checkUrl = (url: string): void => this.checkCallbackUrl(url);
    this.crud(app, prefix, dialect, 'subscriptions', 'subscriptionID', subscriptionRequest, {
      list: (p, q, pg) => s.listSubscriptions(p, { ...pg, ...str(q, 'programID'), ...str(q, 'clientName'), ...(q.objects !== undefined ? { objects: list(q.objects) } : {}) }),
      get: (p, id) => s.getSubscription(p, id), create: (p, b) => s.createSubscription(p, b, checkUrl), update: (p, id, b) => s.updateSubscription(p, id, b, checkUrl), remove: (p, id) => s.deleteSubscription(p, id),
    });
    this.crud(app, prefix, dialect, 'vens', 'venID', venRequest, {
      list: (p, q, pg) => s.listVens(p, { ...pg, ...targets(q), ...str(q, 'venName') }),
      get: (p, id) => s.getVen(p, id), create: (p, b) => s.createVen(p, b), update: (p, id, b) => s.updateVen(p, id, b), remove: (p, id) => s.deleteVen(p, id),
    });
    this.crud(app, prefix, dialect, 'resources', 'resourceID', resourceRequest, {
      list: (p, q, pg) => s.listResources(p, { ...pg, ...targets(q), ...str(q, 'resourceName'), ...str(q, 'venID') }),
      get: (p, id) => s.getResource(p, id), create: (p, b) => s.createResource(p, b), update: (p, id, b) => s.updateResource(p, id, b), remove: (p, id) => s.deleteResource(p, id),
    });
  }


  /** 3.0.1 keeps a VEN's resources under it: vens/{venID}/resources, the 3.1 resources of that VEN. */
  private resources301(app: FastifyInstance): void {
    const s = this.service;
    const base = `${PREFIX_301}/vens/:venID/resources`;
    const params = (req: FastifyRequest): { venID: string; resourceID: string } => {
      const { venID = '', resourceID = '' } = req.params as Record<string, string>;
      for (const [name, value] of [['venID', venID], ['resourceID', resourceID]] as const) if (value && !/^[a-zA-Z0-9_-]{1,128}$/.test(value)) throw new OperatorApiError(400, `${name}: an objectID is 1–128 letters, digits, _ or -`);
      return { venID, resourceID };
    };
    const body = (req: FastifyRequest, p: Principal) => parseBody(resourceRequest, { ...(V301.body('resources', req.body, p) as Record<string, unknown>), venID: params(req).venID });
    const mine = async (p: Principal, req: FastifyRequest): Promise<string> => {
      const { venID, resourceID } = params(req);
      const resource = await s.getResource(p, resourceID);
      if (resource.venID !== venID) throw new OperatorApiError(404, `resource ${resourceID} is not one of VEN ${venID}'s`);
      return resourceID;
    };
    app.get(base, this.authed(async (p, req) => (await s.listResources(p, { ...pageOf(req.query as Query), ...targets(V301.query(req.query as Query)), ...str(req.query as Query, 'resourceName'), venID: params(req).venID })).map(V301.out)));
    app.post(base, this.authed(async (p, req, reply) => { const created = await s.createResource(p, body(req, p)); reply.code(201); return V301.out(created); }));
    app.get(`${base}/:resourceID`, this.authed(async (p, req) => V301.out(await s.getResource(p, await mine(p, req)))));
    app.put(`${base}/:resourceID`, this.authed(async (p, req) => V301.out(await s.updateResource(p, await mine(p, req), body(req, p)))));
    app.delete(`${base}/:resourceID`, this.authed(async (p, req) => V301.out(await s.deleteResource(p, await mine(p, req)))));
  }

  /** The five operations of one object type: search, create, read, update, delete. */
  private crud<B>(app: FastifyInstance, prefix: string, dialect: Dialect, path: Kind301, idName: string, schema: z.ZodType<B>, ops: {
    list(p: Principal, q: Query, page: Page): Promise<readonly unknown[]>;
    get(p: Principal, id: string): Promise<unknown>;
    create(p: Principal, body: B): Promise<unknown>;
    update(p: Principal, id: string, body: B): Promise<unknown>;
    remove(p: Principal, id: string): Promise<unknown>;
  }): void {
    const id = (req: FastifyRequest): string => {
      const value = (req.params as Record<string, string>)[idName] ?? '';
      if (!/^[a-zA-Z0-9_-]{1,128}$/.test(value)) throw new OperatorApiError(400, `${idName}: an objectID is 1–128 letters, digits, _ or -`);
      return value;
    };
    const at = `${prefix}/${path}`;
    app.get(at, this.authed(async (p, req) => (await ops.list(p, dialect.query(req.query as Query), pageOf(req.query as Query))).map(dialect.out)));
    app.post(at, this.authed(async (p, req, reply) => { const created = await ops.create(p, parseBody(schema, dialect.body(path, req.body, p))); reply.code(201); return dialect.out(created); }));
    app.get(`${at}/:${idName}`, this.authed(async (p, req) => dialect.out(await ops.get(p, id(req)))));
    app.put(`${at}/:${idName}`, this.authed(async (p, req) => dialect.out(await ops.update(p, id(req), parseBody(schema, dialect.body(path, req.body, p))))));
    app.delete(`${at}/:${idName}`, this.authed(async (p, req) => dialect.out(await ops.remove(p, id(req)))));
  }

  /** A handler that runs for an authenticated principal, under the request's ID, answering JSON. */
  private authed(run: (p: Principal, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
    return async (req, reply) => {
      const principal = await this.auth.authenticate(req.headers.authorization);
      const body = await withRequestId(String(req.id), () => run(principal, req, reply));
      return reply.type('application/json').send(JSON.stringify(body));
    };
  }

  private checkCallbackUrl(url: string): void {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && this.options.allowHttpCallbacks)) {
      throw new OperatorApiError(400, `callbackUrl: ${parsed.protocol} is not allowed, use https${this.options.allowHttpCallbacks ? ' or http' : ''}`);
    }
    if (parsed.username || parsed.password) throw new OperatorApiError(400, 'callbackUrl: no credentials in the URL (use bearerToken)');
  }

  private sendProblem(reply: FastifyReply, found: Problem, url: string | undefined, requestId: string): FastifyReply {
    const path = (url ?? '/').split('?')[0]!.slice(0, 200);
    const body: Problem = { ...found, instance: `${this.baseUrl}${path}`, requestId };
    return reply.code(found.status).type('application/problem+json').send(JSON.stringify(body));
  }

  async listen(): Promise<AddressInfo> {
    await this.app.listen({ port: this.options.port, host: this.options.host });
    const address = this.server.address() as AddressInfo;
    if (!this.options.publicUrl) this.baseUrl = `${this.options.tls ? 'https' : 'http'}://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    return address;
  }

  get url(): string {
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

function parseBody<B>(schema: z.ZodType<B>, raw: unknown): B {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) throw new OperatorApiError(400, 'invalid request body', { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return result.data;
}

function pageOf(q: Query): Page {
  const int = (name: string, fallback: number, max: number): number => {
    const raw = q[name];
    if (raw === undefined) return fallback;
    const text = Array.isArray(raw) ? raw[0]! : raw;
    if (!/^\d+$/.test(text)) throw new OperatorApiError(400, `query parameter ${name} must be a non-negative integer, got '${text.slice(0, 40)}'`);
    const n = Number(text);
    if (n > max) throw new OperatorApiError(400, `query parameter ${name} is at most ${max}`);
    return n;
  };
  return { skip: int('skip', 0, 2 ** 31 - 1), limit: int('limit', 50, 50) };
}

const list = (raw: string | string[] | undefined): string[] => (raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
const targets = (q: Query): { targets?: string[] } => (q.targets === undefined ? {} : { targets: list(q.targets) });

function str<K extends string>(q: Query, name: K): { [P in K]?: string } {
  const raw = q[name];
  if (raw === undefined) return {};
  return { [name]: Array.isArray(raw) ? raw[0] : raw } as { [P in K]?: string };
}

function bool(raw: string | string[] | undefined, name: string): boolean {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new OperatorApiError(400, `query parameter ${name} must be true or false`);
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded inside Basic.
  return { id: decodeURIComponent(text.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(text.slice(colon + 1).replace(/\+/g, ' ')) };
}
