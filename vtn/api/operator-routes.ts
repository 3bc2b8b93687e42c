import { z } from 'zod';
import type { VenRecord } from '../store/records.js';
import type { VtnStore } from '../store/store.js';
import { eventParticipation, type OperatorService } from '../service/index.js';
import { OperatorApiError } from '../errors.js';
import {
  cancelInput, eventDetailOutput, eventInput, eventOutput, feedOutput, feedQuery, healthOutput, optOutput, optsQuery, programInput, programOutput, queuedOutput, upstreamEventOutput,
  readingOutput, readingsQuery, readinessOutput, reportCancelInput, reportRequestInput, reportsQueuedOutput, toEventInput, venAttributes, venDetailOutput,
  venListQuery, venOutput,
} from './operator-schemas.js';

/** What a route answers: JSON, or text of a given type (Prometheus' exposition format). */
export type RouteReply =
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly text: string; readonly contentType: string };

export interface RouteResponse {
  readonly description: string;
  /** The JSON body's schema; absent for a text answer. */
  readonly schema?: z.ZodType;
  /** Content type when not JSON. */
  readonly contentType?: string;
}

/**
 * One operator API route, declared once: the framework serves it from this, validates its input with
 * these schemas, and the OpenAPI document is generated from it (vtn/api/openapi.ts).
 */
export interface OperatorRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** OpenAPI path template, e.g. /api/events/{eventId}. */
  readonly path: string;
  readonly summary: string;
  /** Needs the operator bearer token (every /api route and /metrics). */
  readonly auth: boolean;
  readonly tag: string;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** Runs with input already parsed by `query` and `body`; path parameters are decoded strings. */
  run(input: { readonly params: Readonly<Record<string, string>>; readonly query: unknown; readonly body: unknown }): Promise<RouteReply>;
}

/** Declares a route with its input types inferred from its schemas. */
function route<Q extends z.ZodObject | undefined, B extends z.ZodType | undefined>(
  definition: Omit<OperatorRoute, 'query' | 'body' | 'run'> & {
    readonly query?: Q;
    readonly body?: B;
    run(input: {
      readonly params: Readonly<Record<string, string>>;
      readonly query: Q extends z.ZodObject ? z.output<Q> : undefined;
      readonly body: B extends z.ZodType ? z.output<B> : undefined;
    }): Promise<RouteReply>;
  },
): OperatorRoute {
  return definition as OperatorRoute;
}

const json = (status: number, body: unknown, headers?: Record<string, string>): RouteReply => ({ status, json: body, ...(headers ? { headers } : {}) });

/** What the routes read beside the store and the operator service. */
export interface OperatorRouteDeps {
  readonly operator: OperatorService;
  readonly store: VtnStore;
  readonly openApi: () => unknown;
  readonly readiness: () => Promise<Record<string, { ok: boolean; detail?: string }>>;
  readonly feed: (after: number, limit: number, waitMs: number) => Promise<{ entries: unknown[]; next: number }>;
  /** The attached ledger's view, or undefined when none is attached. */
  readonly ledgerView: () => Promise<unknown> | undefined;
  /** Prometheus text, or undefined when no metrics are attached. */
  readonly metrics: () => { readonly contentType: string; text(): Promise<string> } | undefined;
}

const venParam = (params: Readonly<Record<string, string>>): string => params.venId!;
const eventParam = (params: Readonly<Record<string, string>>): string => params.eventId!;

/** Whether a VEN matches the dashboard's filter text. */
function venMatches(ven: VenRecord, text: string): boolean {
  const needle = text.toLowerCase();
  return [ven.venId, ven.venName ?? '', ven.state, ven.transportName, ...ven.groupIds, ...ven.resourceIds, ven.partyId ?? ''].some((field) => field.toLowerCase().includes(needle));
}

export function operatorRoutes(deps: OperatorRouteDeps): readonly OperatorRoute[] {
  const { operator, store } = deps;
  const ok = (description: string, schema: z.ZodType): Record<number, RouteResponse> => ({ 200: { description, schema } });
  return [
    route({ method: 'GET', path: '/openapi.json', tag: 'meta', auth: false, summary: 'this document', responses: ok('the OpenAPI 3.1 document', z.looseObject({ openapi: z.string() })), run: async () => json(200, deps.openApi()) }),
    route({ method: 'GET', path: '/healthz', tag: 'meta', auth: false, summary: 'liveness: the process answers', responses: ok('alive', healthOutput), run: async () => json(200, { status: 'ok' }) }),
    route({
      method: 'GET', path: '/readyz', tag: 'meta', auth: false,
      summary: 'readiness: the store answers a read, the OpenADR listener is open, the XMPP endpoint (when configured) is online; bounded to 2 s',
      responses: { 200: { description: 'ready, with each check', schema: readinessOutput }, 503: { description: 'not ready, naming the checks that failed', schema: readinessOutput } },
      run: async () => {
        const checks = await deps.readiness();
        const ready = Object.values(checks).every((c) => c.ok);
        return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
      },
    }),
    route({
      method: 'GET', path: '/metrics', tag: 'meta', auth: true, summary: 'Prometheus metrics (text exposition format; docs/operations.md)',
      responses: { 200: { description: 'metrics', contentType: 'text/plain; version=0.0.4' } },
      run: async () => {
        const metrics = deps.metrics();
        if (!metrics) throw new OperatorApiError(404, 'no metrics are attached to this API');
        return { status: 200, text: await metrics.text(), contentType: metrics.contentType };
      },
    }),
    route({ method: 'GET', path: '/api/programs', tag: 'programs', auth: true, summary: 'list programs', responses: ok('programs', z.array(programOutput)), run: async () => json(200, await store.read.listPrograms()) }),
    route({
      method: 'POST', path: '/api/programs', tag: 'programs', auth: true, summary: 'create a program (a 2.0b market context with its time zone)', body: programInput,
      responses: { 201: { description: 'created', schema: programOutput } },
      run: async ({ body }) => json(201, await operator.createProgram(body)),
    }),
    route({
      method: 'GET', path: '/api/upstream-events', tag: 'events', auth: true, summary: 'the upstream VTN\'s events (the bridge), each with its version, the events derived from it, the opt and how it was shared',
      responses: ok('upstream events, oldest received first', z.array(upstreamEventOutput)), run: async () => json(200, await store.read.listUpstreamEvents()),
    }),
    route({ method: 'GET', path: '/api/events', tag: 'events', auth: true, summary: 'list events (latest version of each)', responses: ok('events', z.array(eventOutput)), run: async () => json(200, await store.read.listEvents()) }),
    route({
      method: 'POST', path: '/api/events', tag: 'events', auth: true, summary: 'create an event; it reaches every targeted VEN', body: eventInput,
      responses: { 201: { description: 'created', schema: eventOutput } },
      run: async ({ body }) => json(201, await operator.createEvent(toEventInput(body))),
    }),
    route({
      method: 'GET', path: '/api/events/{eventId}', tag: 'events', auth: true, summary: 'an event with its versions, targeted VENs, opt responses and each VEN\'s participation',
      responses: ok('the event', eventDetailOutput),
      run: async ({ params }) => {
        const id = eventParam(params);
        const event = await store.read.getEvent(id);
        if (!event) throw new OperatorApiError(404, `no event ${id}`);
        const [versions, venIds, responses, opts] = await Promise.all([store.read.listEventVersions(id), store.read.eventTargets(id), store.read.listEventResponses(id), store.read.listOpts()]);
        return json(200, { ...event, versions, venIds, responses, participation: eventParticipation(venIds, responses, opts, id) });
      },
    }),
    route({
      method: 'PUT', path: '/api/events/{eventId}', tag: 'events', auth: true, summary: 'modify an event (modificationNumber + 1); every targeted VEN gets the new version', body: eventInput,
      responses: ok('modified', eventOutput),
      run: async ({ params, body }) => json(200, await operator.modifyEvent(eventParam(params), toEventInput(body))),
    }),
    route({
      method: 'POST', path: '/api/events/{eventId}/cancel', tag: 'events', auth: true, summary: 'cancel an event', body: cancelInput,
      responses: ok('cancelled', eventOutput),
      run: async ({ params, body }) => json(200, await operator.cancelEvent(eventParam(params), body.reason)),
    }),
    route({
      method: 'GET', path: '/api/vens', tag: 'vens', auth: true, summary: 'list VENs and their state, filtered and paged; X-Total-Count gives the number that match', query: venListQuery,
      responses: ok('VENs', z.array(venOutput)),
      run: async ({ query }) => {
        const all = await store.read.listVens();
        const matching = query.q ? all.filter((ven) => venMatches(ven, query.q!)) : all;
        const offset = Math.max(0, query.offset ?? 0);
        const page = matching.slice(offset, query.limit === undefined ? undefined : offset + Math.max(0, query.limit));
        return json(200, page, { 'x-total-count': String(matching.length) });
      },
    }),
    route({
      method: 'GET', path: '/api/vens/{venId}', tag: 'vens', auth: true, summary: 'a VEN with its report registrations, report requests, pending messages and opts',
      responses: ok('the VEN', venDetailOutput),
      run: async ({ params }) => {
        const id = venParam(params);
        const ven = await store.read.getVen(id);
        if (!ven) throw new OperatorApiError(404, `no VEN ${id}`);
        const [reportRegistrations, reportRequests, pending, opts] = await Promise.all([store.read.listReportRegistrations(id), store.read.listReportRequests(id), store.read.pendingOutbox(id), store.read.listOpts(id)]);
        return json(200, { ...ven, reportRegistrations, reportRequests, pending, opts });
      },
    }),
    route({
      method: 'PATCH', path: '/api/vens/{venId}', tag: 'vens', auth: true, summary: 'set targeting attributes (groups, resources, party)', body: venAttributes,
      responses: ok('updated', venOutput),
      run: async ({ params, body }) => json(200, await operator.setVenAttributes(venParam(params), body)),
    }),
    route({
      method: 'POST', path: '/api/vens/{venId}/reregister', tag: 'vens', auth: true, summary: 'send oadrRequestReregistration',
      responses: { 202: { description: 'queued', schema: queuedOutput } },
      run: async ({ params }) => { await operator.requestReregistration(venParam(params)); return json(202, { queued: 'oadrRequestReregistration' }); },
    }),
    route({
      method: 'POST', path: '/api/vens/{venId}/reports', tag: 'reports', auth: true, summary: 'ask the VEN for reports it registered (one oadrCreateReport)', body: reportRequestInput,
      responses: { 202: { description: 'queued, with the report requests', schema: reportsQueuedOutput } },
      run: async ({ params, body }) => json(202, { queued: 'oadrCreateReport', reportRequests: await operator.requestReports(venParam(params), body.requests) }),
    }),
    route({
      method: 'POST', path: '/api/vens/{venId}/reports/cancel', tag: 'reports', auth: true, summary: 'cancel report requests (oadrCancelReport)', body: reportCancelInput,
      responses: { 202: { description: 'queued', schema: queuedOutput } },
      run: async ({ params, body }) => { await operator.cancelReports(venParam(params), body.reportRequestIds, body.reportToFollow); return json(202, { queued: 'oadrCancelReport' }); },
    }),
    route({
      method: 'POST', path: '/api/vens/{venId}/cancel-registration', tag: 'vens', auth: true, summary: 'send oadrCancelPartyRegistration',
      responses: { 202: { description: 'queued', schema: queuedOutput } },
      run: async ({ params }) => { await operator.cancelRegistration(venParam(params)); return json(202, { queued: 'oadrCancelPartyRegistration' }); },
    }),
    route({ method: 'GET', path: '/api/opts', tag: 'vens', auth: true, summary: 'opts (availability schedules and event opts)', query: optsQuery, responses: ok('opts', z.array(optOutput)), run: async ({ query }) => json(200, await store.read.listOpts(query.venId)) }),
    route({
      method: 'GET', path: '/api/readings', tag: 'reports', auth: true, summary: 'telemetry readings, oldest first', query: readingsQuery,
      responses: ok('readings', z.array(readingOutput)),
      run: async ({ query }) => json(200, await store.read.listReadings({
        ...(query.venId ? { venId: query.venId } : {}), ...(query.rId ? { rId: query.rId } : {}),
        ...(query.from !== undefined ? { from: query.from } : {}), ...(query.to !== undefined ? { to: query.to } : {}),
        limit: Math.min(query.limit ?? 10_000, 100_000),
      })),
    }),
    route({
      method: 'GET', path: '/api/ledger', tag: 'ledger', auth: true, summary: 'the attached ledger\'s view: DR events with baselines, allocations, settlements, tokens, blocks and the chain check',
      responses: ok('the ledger view', z.looseObject({})),
      run: async () => {
        const view = deps.ledgerView();
        if (!view) throw new OperatorApiError(404, 'no ledger is attached to this VTN (run the anchor beside it)');
        return json(200, await view);
      },
    }),
    route({
      method: 'GET', path: '/api/feed', tag: 'feed', auth: true, summary: 'state changes after an offset, oldest first; waits up to waitMs for new ones (long poll)', query: feedQuery,
      responses: ok('entries and the next offset', feedOutput),
      run: async ({ query }) => json(200, await deps.feed(query.after ?? 0, Math.min(query.limit ?? 500, 5000), Math.min(query.waitMs ?? 0, 60_000))),
    }),
  ];
}
