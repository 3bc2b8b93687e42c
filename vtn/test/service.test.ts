import { randomUUID } from 'node:crypto';
import { durationFromMs, type OadrDistributeEvent, type OadrMessage, type OadrRegisteredReport, type OadrReport, type ServiceName } from '../../schemas/index.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { OperatorService, VtnService, venIdFromCertificate, type ServicePolicy } from '../service/index.js';
import { STORE_BACKENDS, type StoreBackend } from '../../test/support/stores.js';
import type { VtnStore } from '../store/store.js';

const policy: ServicePolicy = { vtnId: 'FlexBridge-VTN', pollFrequencyMs: 10_000, nearWindowMs: 3_600_000, requireSignatures: false, signatureRetentionMs: 600_000, telemetry: { granularityMs: 900_000, reportBackMs: 900_000 } };
const T0 = Date.UTC(2026, 10, 24, 5);
const HOUR = 3_600_000;
const certA = 'a'.repeat(44) + '0123456789abcdef0123';
const certB = 'b'.repeat(44) + 'ffffffffffffffffffff';
const venA = venIdFromCertificate(certA);

let backend: StoreBackend;
const opened: VtnStore[] = [];

async function setup() {
  const clock = new ManualClock(T0);
  const store = await backend.open();
  opened.push(store);
  let n = 0;
  const deps = { store, clock, policy, logger: silentLogger, newId: () => `id-${++n}` };
  const vtn = new VtnService(deps);
  const operator = new OperatorService(deps);
  const send = (service: ServiceName, message: OadrMessage, cert = certA) => vtn.handle(message, { service, certificateSha256: cert, transport: 'http' });
  return { clock, store, vtn, operator, send };
}

async function register(send: Awaited<ReturnType<typeof setup>>['send'], cert = certA) {
  return send('EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: randomUUID(), profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true, venName: 'test' }, cert);
}

const metadata: OadrReport = {
  reportRequestId: '0', reportSpecifierId: 'usage-spec', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: T0, microsOfMs: 0 },
  descriptions: [{ rId: 'meter-power', reportType: 'usage', readingType: 'Direct Read', reportDataSource: { resourceIds: ['meter-1'] } }],
};

describe.each(STORE_BACKENDS.map((b) => [b.name, b] as const))('VTN services on %s', (_name, b) => {
  beforeAll(() => { backend = b; });
  afterEach(async () => { for (const store of opened.splice(0)) await store.close(); });

  it('gives each program an IANA time zone: its own, or the configured default, and refuses one that is not', async () => {
    const { operator, store } = await setup();
    expect(await operator.createProgram({ programId: 'rome', name: 'Rome', marketContext: 'http://market/rome', timeZone: 'Europe/Rome' })).toMatchObject({ timeZone: 'Europe/Rome' });
    expect(await operator.createProgram({ programId: 'plain', name: 'Plain', marketContext: 'http://market/plain' })).toMatchObject({ timeZone: 'UTC' });
    const zoned = new OperatorService({ store, clock: new ManualClock(T0), policy: { ...policy, timeZone: 'America/New_York' }, logger: silentLogger, newId: () => 'x' });
    expect(await zoned.createProgram({ programId: 'ny', name: 'NY', marketContext: 'http://market/ny' })).toMatchObject({ timeZone: 'America/New_York' });
    await expect(operator.createProgram({ programId: 'mars', name: 'Mars', marketContext: 'http://market/mars', timeZone: 'Mars/Olympus' })).rejects.toThrow(/not an IANA time zone/);
    expect((await store.read.listPrograms()).map((p) => p.programId)).toEqual(['ny', 'plain', 'rome']);
  });

  it('registers a VEN under the venID of its certificate and hands out poll messages in order', async () => {
    const { send, operator } = await setup();
    const created = await register(send);
    expect(created).toMatchObject({ type: 'oadrCreatedPartyRegistration', venId: venA, vtnId: 'FlexBridge-VTN', response: { responseCode: 200 } });
    expect(await send('OadrPoll', { type: 'oadrPoll', venId: venA })).toMatchObject({ type: 'oadrRegisterReport', reports: [] });
    expect(await send('OadrPoll', { type: 'oadrPoll', venId: venA })).toMatchObject({ type: 'oadrResponse', response: { responseCode: 200 } });

    await operator.createProgram({ programId: 'p', name: 'P', marketContext: 'http://market/p' });
    const event = await operator.createEvent({ programId: 'p', dtstart: T0 + HOUR / 2, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: HOUR, value: 1 }] }], targets: { venIds: [venA] } });
    const distribute = (await send('OadrPoll', { type: 'oadrPoll', venId: venA })) as OadrDistributeEvent;
    expect(distribute.type).toBe('oadrDistributeEvent');
    expect(distribute.events.map((e) => [e.descriptor.eventId, e.descriptor.modificationNumber, e.descriptor.eventStatus])).toEqual([[event.eventId, 0, 'near']]);
  });

  it('refuses a payload whose venID differs from its certificate, and an unregistered VEN', async () => {
    const { send } = await setup();
    await register(send);
    // A venID the VTN never assigned is an invalid ID (452); another VEN's is not authorised (463).
    expect(await send('OadrPoll', { type: 'oadrPoll', venId: venIdFromCertificate(certB) })).toMatchObject({ response: { responseCode: 452 } });
    expect(await send('OadrPoll', { type: 'oadrPoll', venId: venIdFromCertificate(certB) }, certB)).toMatchObject({ response: { responseCode: 463 } });
    expect(await send('OadrPoll', { type: 'oadrPoll', venId: venIdFromCertificate(certA).toUpperCase() })).toMatchObject({ response: { responseCode: 452 } });
  });

  it('bumps modificationNumber on each change and records opt responses per version', async () => {
    const { send, operator, store } = await setup();
    await register(send);
    await operator.createProgram({ programId: 'p', name: 'P', marketContext: 'http://market/p' });
    const input = { programId: 'p', eventId: 'e1', dtstart: T0 + 24 * HOUR, signals: [{ signalName: 'SIMPLE' as const, signalType: 'level' as const, intervals: [{ durationMs: HOUR, value: 1 }] }] };
    await operator.createEvent(input);
    await operator.modifyEvent('e1', { ...input, signals: [{ ...input.signals[0]!, intervals: [{ durationMs: HOUR, value: 2 }] }] });
    const cancelled = await operator.cancelEvent('e1');
    expect(cancelled.modificationNumber).toBe(2);
    expect((await store.read.listEventVersions('e1')).map((v) => v.modificationNumber)).toEqual([0, 1, 2]);
    const distribute = (await send('EiEvent', { type: 'oadrRequestEvent', requestId: 'r', venId: venA })) as OadrDistributeEvent;
    expect(distribute.events[0]!.descriptor).toMatchObject({ modificationNumber: 2, eventStatus: 'cancelled' });
    const opt = await send('EiEvent', { type: 'oadrCreatedEvent', venId: venA, response: { responseCode: 200, requestId: distribute.requestId }, eventResponses: [{ responseCode: 200, requestId: distribute.requestId, qualifiedEventId: { eventId: 'e1', modificationNumber: 2 }, optType: 'optOut' }] });
    expect(opt).toMatchObject({ type: 'oadrResponse', response: { responseCode: 200 } });
    expect(await store.read.listEventResponses('e1')).toMatchObject([{ venId: venA, optType: 'optOut', modificationNumber: 2 }]);
    const unknown = await send('EiEvent', { type: 'oadrCreatedEvent', venId: venA, response: { responseCode: 200, requestId: 'x' }, eventResponses: [{ responseCode: 200, requestId: 'x', qualifiedEventId: { eventId: 'nope', modificationNumber: 0 }, optType: 'optIn' }] });
    expect(unknown).toMatchObject({ response: { responseCode: 452 } });
  });

  it('requests telemetry for registered METADATA and stores readings idempotently', async () => {
    const { send, store } = await setup();
    await register(send);
    const registered = (await send('EiReport', { type: 'oadrRegisterReport', requestId: 'r1', reports: [metadata], venId: venA })) as OadrRegisteredReport;
    const request = registered.reportRequests![0]!;
    expect(request.reportSpecifier).toMatchObject({ reportSpecifierId: 'usage-spec', specifierPayloads: [{ rId: 'meter-power' }] });
    expect((await store.read.getVen(venA))!.resourceIds).toEqual(['meter-1']);
    expect(await send('EiReport', { type: 'oadrCreatedReport', response: { responseCode: 200, requestId: 'x' }, pendingReports: [request.reportRequestId], venId: venA })).toMatchObject({ response: { responseCode: 200 } });
    const update = {
      type: 'oadrUpdateReport' as const, requestId: 'u1', venId: venA,
      reports: [{ reportRequestId: request.reportRequestId, reportSpecifierId: 'usage-spec', reportName: 'TELEMETRY_USAGE' as const, createdDateTime: { epochMs: T0, microsOfMs: 0 }, dtstart: { epochMs: T0, microsOfMs: 0 },
        intervals: [0, 1].map((i) => ({ duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'meter-power', value: { kind: 'float' as const, value: 1000 + i } }] })) }],
    };
    expect(await send('EiReport', update)).toMatchObject({ type: 'oadrUpdatedReport', response: { responseCode: 200 } });
    expect(await send('EiReport', update)).toMatchObject({ type: 'oadrUpdatedReport', response: { responseCode: 200 } });
    const readings = await store.read.listReadings({ venId: venA });
    expect(readings.map((r) => [r.dtstart - T0, r.durationMs, r.payload.value])).toEqual([[0, 900_000, { kind: 'float', value: 1000 }], [900_000, 900_000, { kind: 'float', value: 1001 }]]);
  });

  it('stores nothing of a request that fails part-way', async () => {
    const { send, store } = await setup();
    await register(send);
    const registered = (await send('EiReport', { type: 'oadrRegisterReport', requestId: 'r1', reports: [metadata], venId: venA })) as OadrRegisteredReport;
    const good = { reportRequestId: registered.reportRequests![0]!.reportRequestId, reportSpecifierId: 'usage-spec', createdDateTime: { epochMs: T0, microsOfMs: 0 }, dtstart: { epochMs: T0, microsOfMs: 0 },
      intervals: [{ duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'meter-power', value: { kind: 'float' as const, value: 5 } }] }] };
    const result = await send('EiReport', { type: 'oadrUpdateReport', requestId: 'u', venId: venA, reports: [good, { ...good, reportRequestId: 'never-requested' }] });
    expect(result).toMatchObject({ response: { responseCode: 452 } });
    expect(await store.read.countReadings()).toBe(0);
  });

  it('keeps availability opts and cancels them; refuses an unknown optID', async () => {
    const { send, store } = await setup();
    await register(send);
    const window = { dtstart: { epochMs: T0 + 10 * HOUR, microsOfMs: 0 }, duration: durationFromMs(3 * HOUR) };
    const opt = { type: 'oadrCreateOpt' as const, requestId: 'o1', optId: 'opt-1', optType: 'optOut' as const, optReason: 'x-schedule' as const, venId: venA, availability: [window], createdDateTime: { epochMs: T0, microsOfMs: 0 }, target: { resourceIds: ['meter-1'] } };
    expect(await send('EiOpt', opt)).toMatchObject({ type: 'oadrCreatedOpt', optId: 'opt-1', response: { responseCode: 200 } });
    expect(await send('EiOpt', { type: 'oadrCancelOpt', requestId: 'c', optId: 'opt-1', venId: venA })).toMatchObject({ type: 'oadrCanceledOpt', response: { responseCode: 200 } });
    expect(await send('EiOpt', { type: 'oadrCancelOpt', requestId: 'c', optId: 'opt-2', venId: venA })).toMatchObject({ response: { responseCode: 452 } });
    expect(await store.read.getOpt('opt-1')).toMatchObject({ cancelled: true });
  });

  it('refuses a message sent to the wrong service endpoint', async () => {
    const { send } = await setup();
    await register(send);
    expect(await send('EiEvent', { type: 'oadrPoll', venId: venA })).toMatchObject({ response: { responseCode: 454 } });
  });

  it('refuses a replayed signature nonce durably', async () => {
    const { vtn } = await setup();
    const ctx = { service: 'EiRegisterParty' as const, certificateSha256: certA, transport: 'http' as const, signature: { nonce: 'n', timestampMs: T0 } };
    const query = { type: 'oadrQueryRegistration' as const, requestId: 'q' };
    expect(await vtn.handle(query, ctx)).toMatchObject({ response: { responseCode: 200 } });
    expect(await vtn.handle(query, ctx)).toMatchObject({ response: { responseCode: 463 } });
  });

  it('feeds every state change with resumable offsets', async () => {
    const { send, store, operator } = await setup();
    await register(send);
    await operator.createProgram({ programId: 'p', name: 'P', marketContext: 'http://market/p' });
    const all = await store.read.feedAfter(0, 100);
    expect(all.map((f) => f.kind)).toEqual(['ven', 'program']);
    expect(await store.read.feedAfter(all[0]!.offset, 100)).toEqual([all[1]]);
  });

  it('asks a VEN for registered reports on the operator\'s request, refuses unknown ones, and cancels', async () => {
    const { send, operator, store } = await setup();
    await register(send);
    await send('EiReport', { type: 'oadrRegisterReport', requestId: randomUUID(), venId: venA, reportRequestId: '0', reports: [metadata] });
    await expect(operator.requestReports(venA, [{ reportSpecifierId: 'no-such-report', granularityMs: 0, reportBackMs: 0 }])).rejects.toMatchObject({ responseCode: 452 });
    await expect(operator.requestReports(venA, [{ reportSpecifierId: 'usage-spec', rIds: ['nothing'], granularityMs: 0, reportBackMs: 0 }])).rejects.toMatchObject({ responseCode: 452 });
    const [oneShot, meta] = await operator.requestReports(venA, [{ reportSpecifierId: 'usage-spec', granularityMs: 60_000, reportBackMs: 0 }, { reportSpecifierId: 'METADATA', granularityMs: 0, reportBackMs: 0 }]);
    expect(oneShot!.reportSpecifier).toMatchObject({ specifierPayloads: [{ rId: 'meter-power', readingType: 'Direct Read' }] });
    expect(oneShot!.reportSpecifier.reportInterval).toBeUndefined();
    let polled: OadrMessage;
    do polled = await send('OadrPoll', { type: 'oadrPoll', venId: venA }); while (polled.type !== 'oadrCreateReport' && polled.type !== 'oadrResponse');
    expect(polled).toMatchObject({ type: 'oadrCreateReport', reportRequests: [{ reportRequestId: oneShot!.reportRequestId }, { reportRequestId: meta!.reportRequestId }] });
    await operator.cancelReports(venA, [oneShot!.reportRequestId], true);
    expect((await store.read.getReportRequest(oneShot!.reportRequestId))?.state).toBe('cancelled');
    expect(await send('OadrPoll', { type: 'oadrPoll', venId: venA })).toMatchObject({ type: 'oadrCancelReport', reportRequestIds: [oneShot!.reportRequestId], reportToFollow: true });
    // The last report (reportToFollow) is still taken.
    expect(await send('EiReport', { type: 'oadrUpdateReport', requestId: randomUUID(), venId: venA, reports: [{ reportRequestId: oneShot!.reportRequestId, reportSpecifierId: 'usage-spec', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: T0, microsOfMs: 0 }, intervals: [{ dtstart: { epochMs: T0, microsOfMs: 0 }, duration: durationFromMs(60_000), payloads: [{ kind: 'report', rId: 'meter-power', value: { kind: 'float', value: 5 } }] }] }] })).toMatchObject({ type: 'oadrUpdatedReport', response: { responseCode: 200 } });
    await expect(operator.cancelReports(venA, [oneShot!.reportRequestId], false)).rejects.toMatchObject({ responseCode: 452 });
  });
});
