import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationFromMs, type OadrDistributeEvent, type OadrRegisteredReport } from '../../schemas/index.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { readPem, type IssuedCertificate } from '../../src/pki.js';
import { AnchorService, AnchorStore, DrOrchestrator, EmbeddedLedger, httpEventSink, httpFeedSource, reconcile, type ContractLedger, type LedgerBackend } from '../../anchor/index.js';
import type { ChainCheck } from '../../anchor/ledger/embedded-ledger.js';
import type { RecordReader } from '../../anchor/service/reconcile.js';
import { dates, householdDay, operator, retailer, customer } from '../../anchor/test/scenario.js';
import { sharedFabric } from '../support/fabric.js';
import { apiCall, postOadr, startTlsVtn, testPki, type RunningVtn } from '../support/vtn-harness.js';

/** What the DR day needs of a ledger, on either backend. */
interface DayLedger {
  readonly name: string;
  readonly ledger: ContractLedger & LedgerBackend;
  /** The current value of an anchored record. */
  readonly read: RecordReader;
  verify(): Promise<ChainCheck>;
  close(): void;
}

function embedded(work: string): DayLedger {
  const pki = testPki();
  const node = pki.issue('ledger-node', 'ecdsa');
  const ledger = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(node.keyPath), certificatePem: readPem(node.certPath) }, clock: new ManualClock(Date.now()) });
  return { name: 'embedded', ledger, read: async (type, parts) => ledger.history(type, parts).at(-1)?.value ?? null, verify: async () => ledger.verifyChain(), close: () => ledger.close() };
}

async function fabric(): Promise<DayLedger> {
  const ledger = (await sharedFabric()).ledger();
  return { name: 'fabric', ledger, read: (type, parts) => ledger.current(type, parts, operator), verify: () => ledger.verifyChain(operator), close: () => ledger.close() };
}

// Seed 002's experiment end to end: 35 days of telemetry through the VTN onto the ledger, a DR
// event 07:00–19:00 allocated by the contract and sent as per-VEN OpenADR events, one household
// following its target and one ignoring it, the event day anchored, settlement in tokens.
describe.each([['embedded ledger', 'embedded'], ['Hyperledger Fabric (2 organisations, 3 Raft orderers)', 'fabric']] as const)('a DR day: VTN → anchor → %s → per-VEN events → settlement', (_title, backend) => {
  let running: RunningVtn;
  let day: DayLedger | undefined;
  afterAll(async () => { await running?.vtn.stop(); day?.close(); });

  it('allocates, delivers targets, anchors the event day and pays the household that complied', async () => {
    // The VTN runs on the wall clock: the event is tomorrow, notified today, after 35 days of telemetry.
    const dateOf = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const today = dateOf(0);
    const eventDate = dateOf(1);
    const work = mkdtempSync(join(tmpdir(), 'dr-day-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const pki = testPki();
    day = backend === 'fabric' ? await fabric() : embedded(work);
    const { ledger } = day;
    // Meters and events are named per run: the Fabric network outlives one test file.
    const run = backend === 'fabric' ? `-${Date.now().toString(36)}` : '';
    const households = [
      { name: `alice${run}`, cert: pki.issue('dr-day-alice', 'ecdsa'), meterId: `meter-alice${run}`, level: 2400, complies: true },
      { name: `bob${run}`, cert: pki.issue('dr-day-bob', 'rsa'), meterId: `meter-bob${run}`, level: 1800, complies: false },
    ].map((h) => ({ ...h, venId: createHash('sha256').update(new X509Certificate(readFileSync(h.cert.certPath)).raw).digest('hex').slice(-20), reportRequestId: '' }));
    const send = (cert: IssuedCertificate, service: Parameters<typeof postOadr>[1], message: Parameters<typeof postOadr>[2]) => postOadr(running.oadrUrl, service, message, cert, pki);

    for (const h of households) {
      await ledger.submit('registerMeter', { meterId: h.meterId, customerId: h.name, retailerId: 'retailer-1' }, operator);
      await send(h.cert, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true, venName: h.name });
      const registered = (await send(h.cert, 'EiReport', { type: 'oadrRegisterReport', requestId: 'rr', venId: h.venId, reports: [{ reportRequestId: '0', reportSpecifierId: 'usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read' }] }] })).message as OadrRegisteredReport;
      h.reportRequestId = registered.reportRequests![0]!.reportRequestId;
    }
    const sendDay = (h: (typeof households)[number], date: string, values: number[]) => send(h.cert, 'EiReport', {
      type: 'oadrUpdateReport', requestId: `u-${date}`, venId: h.venId, reports: [{ reportRequestId: h.reportRequestId, reportSpecifierId: 'usage', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
        intervals: values.map((value, i) => ({ dtstart: { epochMs: Date.parse(`${date}T00:00:00Z`) + i * 900_000, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value } }] })) }],
    });
    for (const [d, date] of dates(dateOf(-35), 35).entries()) for (const h of households) await sendDay(h, date, householdDay(h.level, d + (h.complies ? 0 : 500)));

    const anchor = new AnchorService({
      source: httpFeedSource(running.apiUrl), ledger, store: new AnchorStore(join(work, 'anchor.sqlite')), clock: new ManualClock(Date.now()), logger: silentLogger,
      identities: { operator, retailer }, meters: Object.fromEntries(households.map((h) => [h.venId, { meterId: h.meterId, rId: 'power' }])), deliveryConcurrency: backend === 'fabric' ? 32 : 1,
    });
    expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0 });
    expect((await ledger.evaluate('queryEnergy', { meterId: `meter-bob${run}`, date: dateOf(-1) }, operator)).values).toHaveLength(96);

    // The operator's order: 1 kW less from the cluster, 07:00–19:00 tomorrow (UTC).
    await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'seed-002', name: 'Seed 002 DR', marketContext: 'http://flexbridge.example/seed-002' });
    const orchestrator = new DrOrchestrator(ledger, httpEventSink(running.apiUrl), operator);
    const eventId = `dr-day${run}`;
    const { event, allocations } = await orchestrator.notify({ eventId, programId: 'seed-002', date: eventDate, notifiedOn: today, start: 28, end: 76, requestW: 1000, participants: households.map((h) => ({ venId: h.venId, meterId: h.meterId })) });
    expect(event.shortfall.every((s) => s === 0)).toBe(true);
    for (let k = 28; k < 76; k++) expect(allocations.reduce((s, a) => s + a.reduction[k]!, 0)).toBeCloseTo(1000, 2);

    // Each VEN receives its own event with its own targets, answers, and lives the day.
    for (const h of households) {
      const distribute = (await send(h.cert, 'EiEvent', { type: 'oadrRequestEvent', requestId: 'q', venId: h.venId })).message as OadrDistributeEvent;
      expect(distribute.events).toHaveLength(1);
      const mine = distribute.events[0]!;
      expect(mine.target.venIds).toEqual([h.venId]);
      const setpoints = mine.signals.find((s) => s.signalName === 'LOAD_DISPATCH')!.intervals.map((i) => (i.payloads[0]!.kind === 'float' ? i.payloads[0]!.value : NaN));
      expect(setpoints).toHaveLength(48);
      await send(h.cert, 'EiEvent', { type: 'oadrCreatedEvent', venId: h.venId, response: { responseCode: 200, requestId: distribute.requestId }, eventResponses: [{ responseCode: 200, requestId: distribute.requestId, qualifiedEventId: { eventId: mine.descriptor.eventId, modificationNumber: mine.descriptor.modificationNumber }, optType: h.complies ? 'optIn' : 'optOut' }] });
      const usual = householdDay(h.level, 36 + (h.complies ? 0 : 500));
      await sendDay(h, eventDate, usual.map((v, k) => (h.complies && k >= 28 && k < 76 ? Math.round(setpoints[k - 28]!) : v)));
    }
    expect((await running.vtn.store.read.listEventResponses()).map((r) => r.optType).sort()).toEqual(['optIn', 'optOut']);
    expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0 });

    const settlements = await orchestrator.settle(eventId, 100);
    const alice = settlements.find((s) => s.customerId === `alice${run}`)!;
    const bob = settlements.find((s) => s.customerId === `bob${run}`)!;
    expect(alice.performance).toBeGreaterThan(0.95);
    expect(alice.compliantIntervals).toBe(48);
    expect(alice.reward).toBeGreaterThan(5 * bob.reward);
    expect((await ledger.evaluate('balanceOf', { customerId: `alice${run}` }, customer(`alice${run}`))).balance).toBeCloseTo(alice.reward, 9);
    // Every event version the VTN issued is on the ledger.
    expect(await day.read('eventVersion', [`${eventId}-${households[0]!.venId}`, '0000000000'])).toMatchObject({ eventId: `${eventId}-${households[0]!.venId}`, modificationNumber: 0 });
    expect(await day.verify()).toMatchObject({ ok: true });
    // The VTN's records and the ledger agree, until a reading changes on the VTN's side.
    const agreed = await reconcile(day.read, httpFeedSource(running.apiUrl));
    expect(agreed.divergences).toEqual([]);
    expect(agreed.checkedEventVersions).toBe(2);
    expect(agreed.checkedTelemetryWindows).toBe(72);
    await sendDay(households[1]!, eventDate, householdDay(1, 1));
    expect((await reconcile(day.read, httpFeedSource(running.apiUrl))).divergences).toEqual([expect.stringMatching(new RegExp(`^telemetry .* from ${eventDate}T00:00:00.000Z: the VTN's readings no longer match the ledger$`))]);
  }, 300_000);
});
