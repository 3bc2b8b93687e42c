import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { apiCall, startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { eventually } from '../../test/support/eventually.js';
import { Ven, VenStore } from '../../ven/index.js';
import { hashSecret } from '../openadr3/auth.js';

type Json = Record<string, any>;

const CLIENTS = { bl: 'bl-secret-0123456789', 'ven-north': 'north-secret-0123456789', 'ven-south': 'south-secret-0123456789' } as const;

describe('OpenADR 3.1 API beside 2.0b, on one store', () => {
  let running: RunningVtn;
  let base: string;
  let ven: Ven | undefined;
  let venStore: VenStore | undefined;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'vtn-openadr3-'));
    running = await startTlsVtn(join(work, 'vtn'), {
      policy: { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 2000 },
      openadr3: {
        port: 0, webhooks: { allowHttp: true, minBackoffMs: 200, maxBackoffMs: 1_000 },
        clients: [
          { clientId: 'bl', secretHash: await hashSecret(CLIENTS.bl), role: 'bl' },
          { clientId: 'ven-north', secretHash: await hashSecret(CLIENTS['ven-north']), role: 'ven' },
          { clientId: 'ven-south', secretHash: await hashSecret(CLIENTS['ven-south']), role: 'ven' },
        ],
      },
    });
    base = running.openadr3Url!;
    const pki = testPki();
    const cert = pki.issue('openadr3-2b-ven', 'ecdsa');
    venStore = new VenStore(join(work, 'ven.sqlite'));
    ven = new Ven({
      vtnUrl: running.oadrUrl, venName: 'a-2.0b-ven', tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }, store: venStore, jitter: 0,
      usage: [{ rId: 'power', resourceId: 'meter', read: () => 1000 }], handlers: { onEvent: () => 'optIn' },
    });
    await ven.start();
    await apiCall(running.apiUrl, 'PATCH', `/api/vens/${ven.venId}`, { groupIds: ['north'] });
  });
  afterAll(async () => {
    await ven?.stop();
    venStore?.close();
    await running.vtn.stop();
  });

  const token = async (client: keyof typeof CLIENTS): Promise<string> => {
    if (tokens[client]) return tokens[client]!;
    const res = await fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client, client_secret: CLIENTS[client] }) });
    expect(res.status).toBe(200);
    return (tokens[client] = ((await res.json()) as Json).access_token);
  };
  const call = async (client: keyof typeof CLIENTS | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> => {
    const res = await fetch(`${base}${path}`, {
      method, headers: { ...(client ? { authorization: `Bearer ${await token(client)}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  it('issues tokens by client credentials (form or HTTP Basic) and refuses as RFC 6749 says', async () => {
    expect((await (await fetch(`${base}/auth/server`)).json() as Json).tokenURL).toBe(`${base}/auth/token`);
    const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });
    const basic = await form({ grant_type: 'client_credentials', scope: 'read_targets write_reports' }, { authorization: `Basic ${Buffer.from(`ven-north:${CLIENTS['ven-north']}`).toString('base64')}` });
    expect(basic.status).toBe(200);
    expect(await basic.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read_targets write_reports' });
    const wrong = await form({ grant_type: 'client_credentials', client_id: 'bl', client_secret: 'nope' });
    expect([wrong.status, ((await wrong.json()) as Json).error]).toEqual([401, 'invalid_client']);
    const grant = await form({ grant_type: 'password', client_id: 'bl', client_secret: CLIENTS.bl });
    expect([grant.status, ((await grant.json()) as Json).error]).toEqual([400, 'unsupported_grant_type']);
    const scope = await form({ grant_type: 'client_credentials', client_id: 'ven-north', client_secret: CLIENTS['ven-north'], scope: 'write_events' });
    expect([scope.status, ((await scope.json()) as Json).error]).toEqual([400, 'invalid_scope']);
    const anonymous = await call(undefined, 'GET', '/programs');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(anonymous.json).toMatchObject({ status: 401, title: 'Unauthorized', instance: `${base}/programs` });
    expect((await call(undefined, 'GET', '/programs').then(() => fetch(`${base}/programs`, { headers: { authorization: 'Bearer not.a.token' } }))).status).toBe(401);
  });

  it('serves programs, VENs and events with scopes and per-VEN privacy; an event made over 3.1 reaches a 2.0b VEN, and one made over 2.0b reads as 3.1', async () => {
    const program = await call('bl', 'POST', '/programs', { programName: 'north-dr', programDescriptions: [{ URL: 'https://flexbridge.example/north-dr' }], payloadDescriptors: [{ objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'SIMPLE' }] });
    expect(program.status).toBe(201);
    expect(program.json).toMatchObject({ id: 'north-dr', objectType: 'PROGRAM', programName: 'north-dr' });
    expect((await call('bl', 'POST', '/programs', { programName: 'north-dr' })).status).toBe(409);
    expect((await call('ven-north', 'POST', '/programs', { programName: 'mine' })).json).toMatchObject({ status: 403, detail: expect.stringMatching(/write_programs/) });
    // The 2.0b side sees the same program.
    expect((await apiCall(running.apiUrl, 'GET', '/api/programs')).json.map((p: Json) => p.programId)).toContain('north-dr');

    // Business logic enrols the two VEN clients and grants them targets.
    const north = await call('bl', 'POST', '/vens', { objectType: 'BL_VEN_REQUEST', clientID: 'ven-north', venName: 'north-building', targets: ['north'] });
    expect(north.status).toBe(201);
    const south = await call('bl', 'POST', '/vens', { objectType: 'BL_VEN_REQUEST', clientID: 'ven-south', venName: 'south-building', targets: ['south'] });
    expect((await call('bl', 'POST', '/vens', { objectType: 'BL_VEN_REQUEST', clientID: 'ven-south', venName: 'south-building' })).status).toBe(409);
    expect((await call('ven-north', 'GET', '/vens')).json.map((v: Json) => v.venName)).toEqual(['north-building']);
    expect((await call('ven-north', 'GET', `/vens/${south.json.id}`)).status).toBe(404);
    expect((await call('ven-north', 'PUT', `/vens/${north.json.id}`, { objectType: 'VEN_VEN_REQUEST', venName: 'north-building', targets: ['south'] })).status).toBe(403);
    // A 3.x VEN is a VTN VEN too: the operator sees it, with its targets as groups.
    expect((await apiCall(running.apiUrl, 'GET', `/api/vens/${north.json.id}`)).json).toMatchObject({ transportName: 'openadr3', groupIds: ['north'], state: 'registered' });

    const start = new Date(Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000).toISOString();
    const created = await call('bl', 'POST', '/events', {
      programID: 'north-dr', eventName: 'evening peak', targets: ['north'], priority: 1,
      intervalPeriod: { start, duration: 'PT15M' },
      intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }, { id: 1, payloads: [{ type: 'SIMPLE', values: [2] }] }],
    });
    expect(created.status).toBe(201);
    const eventId = created.json.id as string;
    expect(created.json).toMatchObject({ objectType: 'EVENT', programID: 'north-dr', eventName: 'evening peak', targets: ['north'] });
    // The 2.0b VEN in group north gets it as a SIMPLE signal, and opts in.
    const seen = await eventually('the 3.1 event at the 2.0b VEN', () => ven!.events().find((e) => e.eventId === eventId), 15_000);
    expect(seen.intervals.map((i) => i.value)).toEqual([1, 2]);
    expect(seen.raw.signals[0]).toMatchObject({ signalName: 'SIMPLE', signalType: 'level' });
    expect(seen.raw.activePeriod.dtstart.epochMs).toBe(Date.parse(start));
    // The north VEN sees it, the south VEN does not; business logic sees everything.
    expect((await call('ven-north', 'GET', '/events')).json.map((e: Json) => e.id)).toEqual([eventId]);
    expect((await call('ven-south', 'GET', '/events')).json).toEqual([]);
    expect((await call('ven-south', 'GET', `/events/${eventId}`)).status).toBe(404);
    expect((await call('bl', 'GET', `/events?programID=north-dr`)).json.map((e: Json) => e.id)).toEqual([eventId]);

    // An event made by the operator over the 2.0b operator API reads as a 3.1 event.
    await apiCall(running.apiUrl, 'POST', '/api/events', {
      programId: 'north-dr', eventId: 'made-over-2b', dtstart: Date.parse(start) + 7_200_000, targets: { groupIds: ['north'] },
      signals: [{ signalName: 'ELECTRICITY_PRICE', signalType: 'price', intervals: [{ durationMs: 3_600_000, value: 0.31 }, { durationMs: 3_600_000, value: 0.27 }] }],
    });
    const fromTwoB = (await call('ven-north', 'GET', '/events/made-over-2b')).json;
    expect(fromTwoB).toMatchObject({
      id: 'made-over-2b', programID: 'north-dr', targets: ['north'],
      intervalPeriod: { start: new Date(Date.parse(start) + 7_200_000).toISOString(), duration: 'PT1H' },
      intervals: [{ id: 0, payloads: [{ type: 'PRICE', values: [0.31] }] }, { id: 1, payloads: [{ type: 'PRICE', values: [0.27] }] }],
    });

    // Pagination and its bounds.
    expect((await call('bl', 'GET', '/events?limit=1&skip=1')).json.map((e: Json) => e.id)).toEqual(['made-over-2b']);
    expect((await call('bl', 'GET', '/events?limit=51')).json).toMatchObject({ status: 400, detail: expect.stringMatching(/limit is at most 50/) });

    // A modification reaches the 2.0b VEN as a new version; a delete cancels it there.
    const updated = await call('bl', 'PUT', `/events/${eventId}`, { programID: 'north-dr', targets: ['north'], intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [3] }] }] });
    expect(updated.status).toBe(200);
    await eventually('version 1 at the 2.0b VEN', () => ven!.events().some((e) => e.eventId === eventId && e.modificationNumber === 1 && e.intervals[0]!.value === 3), 15_000);
    expect((await call('bl', 'DELETE', `/events/${eventId}`)).json).toMatchObject({ id: eventId });
    await eventually('the cancellation at the 2.0b VEN', () => ven!.events().some((e) => e.eventId === eventId && e.status === 'cancelled'), 15_000);
    expect((await call('bl', 'GET', `/events/${eventId}`)).status).toBe(404);
  }, 60_000);

  it('refuses 3.1 events 2.0b cannot carry, saying why', async () => {
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const gap = await call('bl', 'POST', '/events', { programID: 'north-dr', intervals: [
      { id: 0, intervalPeriod: { start, duration: 'PT15M' }, payloads: [{ type: 'SIMPLE', values: [1] }] },
      { id: 1, intervalPeriod: { start: new Date(Date.parse(start) + 3_600_000).toISOString(), duration: 'PT15M' }, payloads: [{ type: 'SIMPLE', values: [1] }] },
    ] });
    expect(gap.json).toMatchObject({ status: 400, detail: expect.stringMatching(/without gaps/) });
    const curve = await call('bl', 'POST', '/events', { programID: 'north-dr', intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'CURVE', values: [{ x: 1, y: 2 }] }] }] });
    expect(curve.json).toMatchObject({ status: 400, detail: expect.stringMatching(/one number per interval/) });
    const infinite = await call('bl', 'POST', '/events', { programID: 'north-dr', intervalPeriod: { start, duration: 'P9999Y' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] });
    expect(infinite.json).toMatchObject({ status: 400, detail: expect.stringMatching(/infinite/) });
    const missing = await call('bl', 'POST', '/events', { intervals: [] });
    expect(missing.json).toMatchObject({ status: 400, issues: [{ path: 'programID' }] });
    expect((await call('bl', 'POST', '/events', { programID: 'nope', intervalPeriod: { start, duration: 'PT1H' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] })).status).toBe(404);
  });

  it('stores a VEN\'s report and its numbers as that VEN\'s readings, visible to business logic and to its own client only', async () => {
    const start = Date.parse('2026-01-01T00:00:00Z') + Math.floor((Date.now() - Date.parse('2026-01-01T00:00:00Z')) / 900_000) * 900_000 - 3_600_000;
    const event = await call('bl', 'POST', '/events', { programID: 'north-dr', targets: ['north'], intervalPeriod: { start: new Date(start).toISOString(), duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] });
    const report = await call('ven-north', 'POST', '/reports', {
      eventID: event.json.id, clientName: 'north-building', reportName: 'usage',
      resources: [{ resourceName: 'main-meter', intervalPeriod: { start: new Date(start).toISOString(), duration: 'PT15M' }, intervals: [
        { id: 0, payloads: [{ type: 'USAGE', values: [812.5] }] }, { id: 1, payloads: [{ type: 'USAGE', values: [790] }] },
      ] }],
    });
    expect(report.status).toBe(201);
    expect(report.json).toMatchObject({ objectType: 'REPORT', clientID: 'ven-north', eventID: event.json.id });
    const north = (await call('ven-north', 'GET', '/vens')).json[0];
    const readings = (await apiCall(running.apiUrl, 'GET', `/api/readings?venId=${north.id}`)).json;
    expect(readings.map((r: Json) => [r.rId, r.dtstart, r.durationMs, r.payload.value.value])).toEqual([['main-meter/USAGE', start, 900_000, 812.5], ['main-meter/USAGE', start + 900_000, 900_000, 790]]);
    const feed = (await apiCall(running.apiUrl, 'GET', '/api/feed?limit=5000')).json.entries as Json[];
    expect(feed.some((e) => e.kind === 'reading' && e.data.venId === north.id && e.data.count === 2)).toBe(true);
    expect((await call('bl', 'GET', `/reports?eventID=${event.json.id}`)).json).toHaveLength(1);
    expect((await call('ven-south', 'GET', '/reports')).json).toEqual([]);
    expect((await call('ven-south', 'GET', `/reports/${report.json.id}`)).status).toBe(404);
    expect((await call('bl', 'POST', '/reports', { eventID: event.json.id, clientName: 'x', resources: [] })).status).toBe(403);
  });

  it('keeps subscriptions per client, with callback URLs checked', async () => {
    const made = await call('ven-north', 'POST', '/subscriptions', { clientName: 'north-building', programID: 'north-dr', objectOperations: [{ objects: ['EVENT'], operations: ['CREATE', 'UPDATE'], callbackUrl: 'http://127.0.0.1:9/callback', bearerToken: 'abc' }] });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ objectType: 'SUBSCRIPTION', clientID: 'ven-north' });
    expect((await call('ven-north', 'GET', '/subscriptions')).json).toHaveLength(1);
    expect((await call('ven-south', 'GET', '/subscriptions')).json).toEqual([]);
    expect((await call('bl', 'GET', '/subscriptions?objects=EVENT')).json).toHaveLength(1);
    expect((await call('ven-north', 'POST', '/subscriptions', { clientName: 'x', objectOperations: [{ objects: ['EVENT'], operations: ['CREATE'], callbackUrl: 'ftp://example.com/x' }] })).status).toBe(400);
    expect((await call('ven-north', 'DELETE', `/subscriptions/${made.json.id}`)).status).toBe(200);
    expect((await call('ven-north', 'GET', '/subscriptions')).json).toEqual([]);
  });

  it('notifies subscribers by webhook of changes made through either API, only of what each may read, retrying until the receiver takes it', async () => {
    const received: { path: string; auth: string | undefined; body: Json }[] = [];
    let failuresLeft = 2;
    const receiver: Server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => { text += c.toString(); });
      req.on('end', () => {
        // The first deliveries to /flaky fail: they must come again.
        if (req.url === '/flaky' && failuresLeft-- > 0) { res.writeHead(503).end(); return; }
        received.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(text) as Json });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const at = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    try {
      expect((await call('ven-north', 'POST', '/subscriptions', { clientName: 'north-building', programID: 'north-dr', objectOperations: [{ objects: ['EVENT'], operations: ['CREATE', 'UPDATE', 'DELETE'], callbackUrl: `${at}/north`, bearerToken: 'north-token' }] })).status).toBe(201);
      expect((await call('ven-south', 'POST', '/subscriptions', { clientName: 'south-building', objectOperations: [{ objects: ['EVENT'], operations: ['POST', 'PUT'], callbackUrl: `${at}/south` }] })).status).toBe(201);
      expect((await call('bl', 'POST', '/subscriptions', { clientName: 'utility', objectOperations: [{ objects: ['PROGRAM', 'REPORT'], operations: ['CREATE'], callbackUrl: `${at}/flaky` }] })).status).toBe(201);

      const start = new Date(Date.now() + 7_200_000).toISOString();
      const made = await call('bl', 'POST', '/events', { programID: 'north-dr', targets: ['north'], intervalPeriod: { start, duration: 'PT30M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [2] }] }] });
      // The operator changes the same event over the 2.0b operator API: 3.1 subscribers hear of it too.
      await apiCall(running.apiUrl, 'PUT', `/api/events/${made.json.id}`, { programId: 'north-dr', dtstart: start, targets: { groupIds: ['north'] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 1_800_000, value: 3 }] }] });
      await apiCall(running.apiUrl, 'POST', `/api/events/${made.json.id}/cancel`, {});
      const south = await call('bl', 'POST', '/events', { programID: 'north-dr', targets: ['south'], intervalPeriod: { start, duration: 'PT30M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] });
      await call('bl', 'POST', '/programs', { programName: 'notified-program' });

      await eventually('five notifications', () => (received.length >= 5 ? true : undefined), 15_000);
      const to = (path: string) => received.filter((r) => r.path === path);
      expect(to('/north').map((r) => [r.body.operation, r.body.object.id, r.auth])).toEqual([
        ['CREATE', made.json.id, 'Bearer north-token'], ['UPDATE', made.json.id, 'Bearer north-token'], ['DELETE', made.json.id, 'Bearer north-token'],
      ]);
      expect(to('/north')[1]!.body.object.intervals[0].payloads[0].values).toEqual([3]);
      // South hears only of the event that reaches it, in the operation names it subscribed with.
      expect(to('/south').map((r) => [r.body.operation, r.body.object.id, r.body.objectType])).toEqual([['POST', south.json.id, 'EVENT']]);
      expect(to('/south')[0]!.body.object.targets).toEqual(['south']);
      // Business logic's receiver failed twice and still got the program, once.
      expect(to('/flaky').map((r) => [r.body.objectType, r.body.object.programName])).toEqual([['PROGRAM', 'notified-program']]);
      await eventually('nothing left to deliver', async () => ((await running.vtn.store.read.countPendingWebhooks()) === 0 ? true : undefined), 10_000);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  }, 60_000);
});
