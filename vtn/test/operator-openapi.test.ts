import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readPem } from '../../src/pki.js';
import { startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { eventually } from '../../test/support/eventually.js';
import { Ven, VenStore } from '../../ven/index.js';
import { PAGE_PATHS } from '../api/operator-api.js';

type Json = Record<string, any>;

/** Checks answers against the served OpenAPI document: the status must be declared and the body fit its schema. */
function documentChecker(document: Json): (method: string, template: string, status: number, contentType: string, body: unknown) => string | undefined {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', true).addFormat('uri', true);
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  return (method, template, status, contentType, body) => {
    const operation = document.paths[template]?.[method.toLowerCase()];
    if (!operation) return `${method} ${template} is not in the document`;
    const range = `${String(status)[0]}XX`;
    const response = operation.responses[String(status)] ?? operation.responses[range];
    if (!response) return `${method} ${template} answered ${status}, which the document does not declare`;
    const media = Object.keys(response.content ?? {})[0];
    if (media === undefined) return undefined;
    if (!contentType.startsWith(media.split(';')[0]!)) return `${method} ${template} answered ${status} as ${contentType}, the document says ${media}`;
    let schema = response.content[media].schema;
    if (schema.$ref) schema = document.components.schemas[schema.$ref.split('/').pop()];
    const key = `${method} ${template} ${status}`;
    const validate = compiled.get(key) ?? ajv.compile(schema);
    compiled.set(key, validate);
    return validate(body) ? undefined : `${key}: ${ajv.errorsText(validate.errors)}`;
  };
}

describe('operator API: the OpenAPI document generated from the route table', () => {
  let running: RunningVtn | undefined;
  let ven: Ven | undefined;
  let venStore: VenStore | undefined;
  afterAll(async () => {
    await ven?.stop();
    venStore?.close();
    await running?.vtn.stop();
  });

  it('lists every route the server serves, and every answer of every route fits its declared schema', async () => {
    const token = 'openapi-test-token-0123456789';
    const work = mkdtempSync(join(tmpdir(), 'vtn-openapi-'));
    running = await startTlsVtn(join(work, 'vtn'), { api: { host: '127.0.0.1', port: 0, token }, policy: { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 2000 } });
    const { apiUrl } = running;
    const document = await (await fetch(`${apiUrl}/openapi.json`)).json() as Json;
    expect(document.openapi).toBe('3.1.0');

    // Complete both ways: the framework serves exactly the documented operations (and the pages).
    const served = running.vtn.api.served.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).filter((r) => !PAGE_PATHS.some((p) => r === `GET ${p}`));
    const documented = Object.entries(document.paths as Record<string, Json>).flatMap(([path, ops]) => Object.keys(ops).filter((k) => k !== 'parameters').map((m) => `${m.toUpperCase()} ${path}`));
    expect(served.sort()).toEqual(documented.sort());
    for (const [path, ops] of Object.entries(document.paths as Record<string, Json>)) {
      for (const op of Object.values(ops)) {
        expect(op.responses['4XX'].content['application/problem+json']).toBeDefined();
        // Every path parameter of the template is declared.
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) expect(op.parameters.some((p: Json) => p.in === 'path' && p.name === name)).toBe(true);
      }
    }

    const check = documentChecker(document);
    // The checker can fail: an answer outside its schema and an undeclared status are caught.
    expect(check('GET', '/api/vens', 200, 'application/json', [{ venId: 1 }])).toMatch(/must be string/);
    expect(check('POST', '/api/programs', 200, 'application/json', {})).toMatch(/does not declare/);

    const outside: string[] = [];
    const statuses = new Map<string, Set<number>>();
    const call = async (method: string, template: string, path: string, body?: unknown, auth = true): Promise<{ status: number; json: any }> => {
      const res = await fetch(`${apiUrl}${path}`, {
        method, headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      const parsed = type.includes('json') ? JSON.parse(text) : text;
      const problem = check(method, template, res.status, type, parsed);
      if (problem) outside.push(problem);
      expect(res.headers.get('x-request-id')).toMatch(/^[\w.:-]+$/);
      (statuses.get(`${method} ${template}`) ?? statuses.set(`${method} ${template}`, new Set()).get(`${method} ${template}`)!).add(res.status);
      return { status: res.status, json: parsed };
    };

    // A real VEN: registration, report registration, telemetry, event opts.
    const pki = testPki();
    const cert = pki.issue('openapi-ven', 'ecdsa');
    venStore = new VenStore(join(work, 'ven.sqlite'));
    ven = new Ven({
      vtnUrl: running.oadrUrl, venName: 'openapi-ven', tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }, store: venStore, jitter: 0,
      usage: [{ rId: 'house-power', resourceId: 'meter-1', read: () => 1500 }],
      handlers: { onEvent: () => 'optIn' },
    });
    await ven.start();
    const venId = ven.venId!;

    await call('GET', '/healthz', '/healthz', undefined, false);
    await call('GET', '/readyz', '/readyz', undefined, false);
    await call('GET', '/metrics', '/metrics');
    expect((await call('GET', '/metrics', '/metrics', undefined, false)).status).toBe(401);
    expect((await call('POST', '/api/programs', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p', timeZone: 'Europe/Rome' })).status).toBe(201);
    expect((await call('POST', '/api/programs', '/api/programs', { programId: 'p', name: 'P', marketContext: 'not a url' })).json.issues[0].path).toBe('marketContext');
    await call('GET', '/api/programs', '/api/programs');
    const event = { programId: 'p', eventId: 'ev-1', dtstart: new Date(Date.now() + 120_000).toISOString(), targets: { venIds: [venId] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 900_000, value: 1 }] }] };
    expect((await call('POST', '/api/events', '/api/events', event)).status).toBe(201);
    expect((await call('POST', '/api/events', '/api/events', event)).status).toBe(409);
    await eventually('the VEN\'s opt', async () => (await call('GET', '/api/events/{eventId}', '/api/events/ev-1')).json.participation[venId] === 'optIn', 15_000);
    expect((await call('PUT', '/api/events/{eventId}', '/api/events/ev-1', { ...event, signals: [{ ...event.signals[0], intervals: [{ durationMs: 900_000, value: 2 }] }] })).json.modificationNumber).toBe(1);
    await call('GET', '/api/events', '/api/events');
    expect((await call('GET', '/api/events/{eventId}', '/api/events/nope')).status).toBe(404);
    const rows = await eventually('a reading', async () => { const r = await call('GET', '/api/readings', `/api/readings?venId=${venId}`); return r.json.length ? r.json : undefined; }, 15_000);
    expect(rows[0]).toMatchObject({ venId, rId: 'house-power' });
    expect((await call('GET', '/api/readings', '/api/readings?from=x')).json.detail).toBe("query parameter from must be an integer, got 'x'");
    const list = await fetch(`${apiUrl}/api/vens?q=OPENAPI&limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.headers.get('x-total-count')).toBe('1');
    expect((await call('GET', '/api/vens', '/api/vens?q=nobody')).json).toEqual([]);
    const detail = await call('GET', '/api/vens/{venId}', `/api/vens/${venId}`);
    expect(detail.json.reportRegistrations.length).toBeGreaterThan(0);
    await call('PATCH', '/api/vens/{venId}', `/api/vens/${venId}`, { groupIds: ['north'] });
    const requested = await call('POST', '/api/vens/{venId}/reports', `/api/vens/${venId}/reports`, { requests: [{ reportSpecifierId: detail.json.reportRegistrations[0].reportSpecifierId, granularityMs: 1000, reportBackMs: 2000 }] });
    expect(requested.status).toBe(202);
    await call('POST', '/api/vens/{venId}/reports/cancel', `/api/vens/${venId}/reports/cancel`, { reportRequestIds: [requested.json.reportRequests[0].reportRequestId] });
    await call('GET', '/api/opts', `/api/opts?venId=${venId}`);
    await call('GET', '/api/feed', '/api/feed?after=0&limit=50');
    // The bridge's records of an upstream VTN's events (written here as the bridge writes them).
    const upstreamEvent = (await running.vtn.store.read.getEvent('ev-1'))!.event;
    await running.vtn.store.transaction((tx) => tx.putUpstreamEvent({
      upstreamId: 'u-1', protocol: 'openadr3', upstreamUrl: 'https://utility.example', modificationNumber: 0, event: upstreamEvent, status: 'active',
      derivedEventIds: ['up-u-1'], opt: 'optIn', allocatedBy: 'relayed to the fleet', receivedAt: Date.now(), updatedAt: Date.now(),
    }));
    expect((await call('GET', '/api/upstream-events', '/api/upstream-events')).json).toEqual([expect.objectContaining({ upstreamId: 'u-1', derivedEventIds: ['up-u-1'] })]);
    expect((await call('GET', '/api/ledger', '/api/ledger')).status).toBe(404);
    await call('POST', '/api/vens/{venId}/reregister', `/api/vens/${venId}/reregister`);
    await call('POST', '/api/events/{eventId}/cancel', '/api/events/ev-1/cancel', { reason: 'test' });
    await call('POST', '/api/vens/{venId}/cancel-registration', `/api/vens/${venId}/cancel-registration`);
    await call('GET', '/openapi.json', '/openapi.json', undefined, false);

    expect(outside).toEqual([]);
    // Every documented operation was exercised.
    expect([...statuses.keys()].sort()).toEqual(documented.sort());
  }, 60_000);

  it('answers every refusal as an RFC 9457 problem', async () => {
    const { apiUrl } = running!;
    const cases: [string, string, RequestInit, number, string][] = [
      ['no token', '/api/vens', {}, 401, 'unauthorized'],
      ['unknown path', '/api/nothing', { headers: { authorization: 'Bearer openapi-test-token-0123456789' } }, 404, 'not-found'],
      ['wrong method', '/api/vens', { method: 'DELETE', headers: { authorization: 'Bearer openapi-test-token-0123456789' } }, 405, 'method-not-allowed'],
      ['not JSON', '/api/programs', { method: 'POST', body: '{', headers: { authorization: 'Bearer openapi-test-token-0123456789', 'content-type': 'application/json' } }, 400, 'invalid-request'],
      ['too large', '/api/programs', { method: 'POST', body: `"${'x'.repeat(2 * 1024 * 1024)}"`, headers: { authorization: 'Bearer openapi-test-token-0123456789', 'content-type': 'application/json' } }, 413, 'body-too-large'],
      ['form post', '/api/programs', { method: 'POST', body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported-media-type'],
    ];
    for (const [what, path, init, status, type] of cases) {
      const res = await fetch(`${apiUrl}${path}`, init);
      expect([what, res.status, res.headers.get('content-type')?.split(';')[0]]).toEqual([what, status, 'application/problem+json']);
      const body = await res.json() as Json;
      expect(body).toMatchObject({ type: `urn:flexbridge:problem:${type}`, status, instance: path });
      expect(typeof body.title).toBe('string');
      expect(typeof body.detail).toBe('string');
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
    }
  });
});
