import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientTlsOptions, serializePayload } from '../schemas/index.js';
import { ManualClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { readPem } from '../src/pki.js';
import { currentRequestId, requestIdFrom, withRequestId } from '../src/request-id.js';
import { AnchorStore } from '../anchor/index.js';
import { AnchorService, httpFeedSource } from '../anchor/index.js';
import { operator, retailer } from '../anchor/test/scenario.js';
import { startTlsVtn, type RunningVtn } from './support/vtn-harness.js';

describe('logs on pino', () => {
  it('writes one JSON object per line with the level by name, an ISO time, the base fields and the request being served', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info', base: { component: 'test' }, write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
    logger.debug('not written');
    logger.info('plain');
    withRequestId('req-42', () => logger.child({ transport: 'http' }).warn('inside', { n: 1 }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'plain', component: 'test' });
    expect(String(lines[0]!.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'inside', component: 'test', transport: 'http', n: 1, requestId: 'req-42' });
  });

  it('never writes tokens, passwords, keys or certificates, and writes errors as name and message', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l) });
    logger.info('secrets', {
      token: 'TOKEN-SECRET', password: 'PW-SECRET', privateKeyPem: '-----BEGIN PRIVATE KEY-----', clientSecret: 'CS-SECRET',
      request: { authorization: 'Bearer AUTH-SECRET', headers: { authorization: 'Bearer H-SECRET' } }, account: { password: 'NESTED-SECRET' },
    });
    logger.error('failed', { error: new TypeError('bad thing') });
    expect(lines.join('')).not.toMatch(/SECRET|BEGIN PRIVATE KEY/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ token: '[redacted]', account: { password: '[redacted]' } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ error: { name: 'TypeError', message: 'bad thing' } });
    expect(lines[1]).not.toMatch(/at .*\.ts:\d+/);
  });

  it('takes a caller\'s request ID only when it is a sane token', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(requestIdFrom('has spaces')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom('x'.repeat(65))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(currentRequestId()).toBeUndefined();
  });
});

describe('one request ID from the transport to the ledger record', () => {
  let running: RunningVtn | undefined;
  afterAll(() => running?.vtn.stop());

  it('follows a VEN request\'s X-Request-ID into the answer, the feed entry it causes and the anchor\'s record', async () => {
    const work = mkdtempSync(join(tmpdir(), 'request-id-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const { pki, oadrUrl, apiUrl } = running;
    const cert = pki.issue('request-id-ven', 'ecdsa');
    const body = serializePayload({ type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true });
    const answeredWith = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(`${oadrUrl}/EiRegisterParty`, {
        method: 'POST', agent: false, headers: { 'content-type': 'application/xml', 'x-request-id': 'trace-7f3a' },
        ...clientTlsOptions({ key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }),
      }, (res) => { res.resume(); res.on('end', () => resolve(res.headers['x-request-id'] as string | undefined)); });
      req.on('error', reject);
      req.end(body);
    });
    expect(answeredWith).toBe('trace-7f3a');
    const feed = await (await fetch(`${apiUrl}/api/feed?after=0&waitMs=0`)).json() as { entries: { kind: string; requestId?: string }[] };
    expect(feed.entries.find((e) => e.kind === 'ven')?.requestId).toBe('trace-7f3a');
    // An operator call gets its own ID, given back in the answer.
    const created = await fetch(`${apiUrl}/api/programs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ programId: 'p', name: 'P', marketContext: 'http://m/p' }) });
    expect(created.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const events = await fetch(`${apiUrl}/api/events`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'op-event-1' },
      body: JSON.stringify({ programId: 'p', eventId: 'traced', dtstart: Date.now() + 3_600_000, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] }),
    });
    expect(events.status).toBe(201);
    // The anchor keeps the ID with the ledger record it makes of the event (and logs it when writing).
    const store = new AnchorStore(join(work, 'anchor.sqlite'));
    const ledger = { submit: async () => { throw new Error('ledger kept away for this test'); } } as never;
    const anchor = new AnchorService({ source: httpFeedSource(apiUrl), ledger, store, clock: new ManualClock(Date.now()), logger: createLogger({ write: () => undefined }), identities: { operator, retailer }, meters: {} });
    try {
      await (anchor as unknown as { ingest(waitMs: number): Promise<number> }).ingest(0);
      const rows = store.nextPending(Date.now() + 1, 100);
      expect(rows.find((r) => r.txId === 'event-traced-0')?.requestId).toBe('op-event-1');
    } finally {
      store.close();
    }
  });
});
