import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationFromMs, type OadrRegisteredReport } from '../../schemas/index.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { readPem } from '../../src/pki.js';
import { apiCall, postOadr, startTlsVtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { AnchorService, AnchorStore, EmbeddedLedger, httpFeedSource, type LedgerBackend } from '../index.js';
import { householdDay, operator, retailer } from './scenario.js';
import { localDay } from '../domain/index.js';

describe('anchor service: VTN live feed → embedded ledger', () => {
  let running: RunningVtn;
  afterAll(() => running?.vtn.stop());

  it('anchors event versions, telemetry windows and assembled meter-days exactly once, through a ledger outage and a restart', async () => {
    const work = mkdtempSync(join(tmpdir(), 'anchor-service-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const pki = testPki();
    const venCert = pki.issue('anchor-ven', 'ecdsa');
    const venId = createHash('sha256').update(new X509Certificate(readFileSync(venCert.certPath)).raw).digest('hex').slice(-20);
    const nodeCert = pki.issue('ledger-node', 'ecdsa');
    const ledger = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(nodeCert.keyPath), certificatePem: readPem(nodeCert.certPath) }, clock: new ManualClock(Date.UTC(2026, 10, 2)) });
    await ledger.submit('registerMeter', { meterId: 'meter-x', customerId: 'carol', retailerId: 'retailer-1' }, operator);

    // A VEN registers, offers its power readings and sends one day of quarter-hours in two halves.
    await postOadr(running.oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true }, venCert, pki);
    const registered = (await postOadr(running.oadrUrl, 'EiReport', { type: 'oadrRegisterReport', requestId: 'rr', venId, reports: [{ reportRequestId: '0', reportSpecifierId: 'usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read' }] }] }, venCert, pki)).message as OadrRegisteredReport;
    const reportRequestId = registered.reportRequests![0]!.reportRequestId;
    const day = householdDay(2000, 7);
    const midnight = Date.UTC(2026, 10, 1);
    for (const half of [0, 1]) {
      await postOadr(running.oadrUrl, 'EiReport', {
        type: 'oadrUpdateReport', requestId: `u${half}`, venId, reports: [{ reportRequestId, reportSpecifierId: 'usage', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
          intervals: day.slice(half * 48, half * 48 + 48).map((value, i) => ({ dtstart: { epochMs: midnight + (half * 48 + i) * 900_000, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value } }] })) }],
      }, venCert, pki);
    }
    await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
    await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId: 'ev-1', dtstart: Date.now() + 86_400_000, targets: { venIds: [venId] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
    await apiCall(running.apiUrl, 'POST', '/api/events/ev-1/cancel', {});

    // The ledger is down for the first three writes.
    let outage = 3;
    const flaky: LedgerBackend = { submit: (fn, args, identity, options) => (outage-- > 0 ? Promise.reject(new Error('ledger unreachable')) : ledger.submit(fn, args, identity, options)) };
    const clock = new ManualClock(Date.now());
    const storePath = join(work, 'anchor.sqlite');
    const options = { source: httpFeedSource(running.apiUrl), clock, logger: silentLogger, identities: { operator, retailer }, meters: { [venId]: { meterId: 'meter-x', rId: 'power' } }, minBackoffMs: 1_000 };
    let store = new AnchorStore(storePath);
    let anchor = new AnchorService({ ...options, ledger: flaky, store });
    let backlog = await anchor.runOnce();
    expect(backlog.pending).toBeGreaterThan(0);
    for (let i = 0; i < 10 && backlog.pending > 0; i++) {
      clock.advance(120_000);
      backlog = await anchor.runOnce();
    }
    expect(backlog).toMatchObject({ pending: 0, failed: 0 });

    const energy = await ledger.evaluate('queryEnergy', { meterId: 'meter-x', date: '2026-11-01' }, operator);
    expect(energy.values).toEqual(day);
    expect(ledger.history('eventVersion', ['ev-1', '0000000000'])).toHaveLength(1);
    expect(ledger.history('eventVersion', ['ev-1', '0000000001'])[0]!.value).toMatchObject({ status: 'cancelled' });
    expect(ledger.verifyChain().ok).toBe(true);

    // A restarted anchor with the same local state writes nothing twice.
    const height = ledger.height();
    store.close();
    store = new AnchorStore(storePath);
    anchor = new AnchorService({ ...options, ledger, store });
    expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0 });
    expect(ledger.height()).toBe(height);
    store.close();
    ledger.close();
  }, 30_000);
});

describe('anchor service: a record it cannot write', () => {
  let running: RunningVtn;
  afterAll(() => running?.vtn.stop());

  it('quarantines a telemetry window holding a non-number (a legacy VTN row) and anchors everything behind it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'anchor-quarantine-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const pki = testPki();
    const venCert = pki.issue('quarantine-ven', 'ecdsa');
    const venId = createHash('sha256').update(new X509Certificate(readFileSync(venCert.certPath)).raw).digest('hex').slice(-20);
    const nodeCert = pki.issue('ledger-node', 'ecdsa');
    const ledger = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(nodeCert.keyPath), certificatePem: readPem(nodeCert.certPath) }, clock: new ManualClock(Date.now()) });
    await ledger.submit('registerMeter', { meterId: 'meter-q', customerId: 'dave', retailerId: 'retailer-1' }, operator);
    await postOadr(running.oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true }, venCert, pki);
    const registered = (await postOadr(running.oadrUrl, 'EiReport', { type: 'oadrRegisterReport', requestId: 'rr', venId, reports: [{ reportRequestId: '0', reportSpecifierId: 'usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read' }] }] }, venCert, pki)).message as OadrRegisteredReport;
    const reportRequestId = registered.reportRequests![0]!.reportRequestId;
    const midnight = Date.parse(`${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
    const send = (requestId: string, first: number, values: number[]) => postOadr(running.oadrUrl, 'EiReport', {
      type: 'oadrUpdateReport', requestId, venId, reports: [{ reportRequestId, reportSpecifierId: 'usage', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
        intervals: values.map((value, i) => ({ dtstart: { epochMs: midnight + (first + i) * 900_000, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value } }] })) }],
    }, venCert, pki);
    // The codec now refuses INF at the door (454): nothing non-finite reaches the VTN's store.
    expect((await send('inf', 0, [Number.POSITIVE_INFINITY])).message).toMatchObject({ response: { responseCode: 454 } });
    await send('a', 0, [100, 200]);
    await send('b', 2, [300, 400]);
    await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
    await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId: 'after-bad', dtstart: Date.now() + 86_400_000, targets: { venIds: [venId] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });

    // A VTN store written before that fix holds a null where a number was (what JSON makes of INF).
    const http = httpFeedSource(running.apiUrl);
    const legacy = {
      ...http,
      readings: async (v: string, from: number, to: number) => (await http.readings(v, from, to)).map((r) => (r.dtstart === midnight
        ? { ...r, payload: { ...r.payload, value: { kind: 'float' as const, value: null as unknown as number } } } : r)),
    };
    const store = new AnchorStore(join(work, 'anchor.sqlite'));
    const anchor = new AnchorService({ source: legacy, ledger, store, clock: new ManualClock(Date.now()), logger: silentLogger, identities: { operator, retailer }, meters: { [venId]: { meterId: 'meter-q', rId: 'power' } } });
    expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0, quarantined: 1 });
    expect(store.quarantined()).toEqual([expect.objectContaining({ kind: 'reading', reason: expect.stringMatching(/is not a finite number/) })]);
    // Everything behind it went on: the second window and the event.
    expect(ledger.history('eventVersion', ['after-bad', '0000000000'])).toHaveLength(1);
    expect(ledger.verifyChain().ok).toBe(true);
    expect((await anchor.runOnce()).quarantined).toBe(1);
    store.close();
    ledger.close();
  }, 30_000);
});

describe('anchor service: meter-days in the program\'s time zone', () => {
  let running: RunningVtn;
  afterAll(() => running?.vtn.stop());

  it('assembles the 25-hour local day of a change to winter time in Europe/Rome (100 quarter-hours) and records it with its zone', async () => {
    // This year's last Sunday of October, found by its rule so the test runs any year.
    const year = new Date().getUTCFullYear();
    const lastOfOctober = Date.UTC(year, 9, 31);
    const date = new Date(lastOfOctober - new Date(lastOfOctober).getUTCDay() * 86_400_000).toISOString().slice(0, 10);
    const day = localDay(date, 'Europe/Rome', 15);
    expect(day.intervals).toBe(100);
    const work = mkdtempSync(join(tmpdir(), 'anchor-local-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const pki = testPki();
    const venCert = pki.issue('rome-ven', 'ecdsa');
    const venId = createHash('sha256').update(new X509Certificate(readFileSync(venCert.certPath)).raw).digest('hex').slice(-20);
    const nodeCert = pki.issue('ledger-node', 'ecdsa');
    const ledger = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(nodeCert.keyPath), certificatePem: readPem(nodeCert.certPath) }, clock: new ManualClock(day.endMs) });
    await ledger.submit('registerMeter', { meterId: 'meter-r', customerId: 'rita', retailerId: 'retailer-1' }, operator);
    await postOadr(running.oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true }, venCert, pki);
    const registered = (await postOadr(running.oadrUrl, 'EiReport', { type: 'oadrRegisterReport', requestId: 'rr', venId, reports: [{ reportRequestId: '0', reportSpecifierId: 'usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read' }] }] }, venCert, pki)).message as OadrRegisteredReport;
    const reportRequestId = registered.reportRequests![0]!.reportRequestId;
    // Readings from an hour before local midnight to an hour after the next: only the local day's 100 make the meter-day.
    const values = Array.from({ length: 108 }, (_, k) => 1000 + k);
    await postOadr(running.oadrUrl, 'EiReport', {
      type: 'oadrUpdateReport', requestId: 'u', venId, reports: [{ reportRequestId, reportSpecifierId: 'usage', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
        intervals: values.map((value, k) => ({ dtstart: { epochMs: day.startMs + (k - 4) * 900_000, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value } }] })) }],
    }, venCert, pki);
    const store = new AnchorStore(join(work, 'anchor.sqlite'));
    const anchor = new AnchorService({ source: httpFeedSource(running.apiUrl), ledger, store, clock: new ManualClock(Date.now()), logger: silentLogger, identities: { operator, retailer }, meters: { [venId]: { meterId: 'meter-r', rId: 'power' } }, timeZone: 'Europe/Rome' });
    expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0 });
    const energy = await ledger.evaluate('queryEnergy', { meterId: 'meter-r', date }, operator);
    expect(energy).toMatchObject({ timeZone: 'Europe/Rome', intervalMinutes: 15 });
    expect(energy.values).toEqual(values.slice(4, 104));
    store.close();
    ledger.close();
  }, 30_000);
});
