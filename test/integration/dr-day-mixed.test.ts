import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationFromMs, type OadrDistributeEvent, type OadrRegisteredReport } from '../../schemas/index.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { readPem } from '../../src/pki.js';
import { AnchorService, AnchorStore, DrOrchestrator, EmbeddedLedger, httpEventSink, httpFeedSource, reconcile } from '../../anchor/index.js';
import { dates, householdDay, operator, retailer, customer } from '../../anchor/test/scenario.js';
import { Ven3, VenStore, Vtn3Client, type VenEvent } from '../../ven/index.js';
import { eventually } from '../support/eventually.js';
import { postOadr, startOpenadr3Vtn, testPki, type RunningVtn } from '../support/vtn-harness.js';

const dateOf = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

// One fleet, two generations: a 2.0b household and two OpenADR 3.1 households on one VTN, one DR
// event allocated among all three by the contract, each acting on its own event through its own
// API, their telemetry (2.0b TELEMETRY_USAGE in W, 3.1 DEMAND reports in kW) on one ledger, one settlement.
describe('a DR day with a 2.0b VEN and 3.1 VENs on one VTN and one ledger', () => {
  let running: RunningVtn | undefined;
  const stops: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await running?.vtn.stop();
  });

  it('allocates among both generations, each acts on its event, and both are settled from their own reports', async () => {
    const today = dateOf(0);
    const eventDate = dateOf(1);
    const work = mkdtempSync(join(tmpdir(), 'dr-day-mixed-'));
    const pki = testPki();
    const ca = readPem(pki.caPath);
    const houses3 = [{ name: 'carol', level: 2000, complies: true }, { name: 'dave', level: 2200, complies: false }];
    running = await startOpenadr3Vtn(join(work, 'vtn'), [{ id: 'bl', secret: 'bl-secret-0123', role: 'bl' }, ...houses3.map((h) => ({ id: h.name, secret: `${h.name}-secret`, role: 'ven' as const }))], {}, { policy: { pollFrequencyMs: 1000 } });
    const vtn = running;
    const client3 = (clientId: string, secret: string): Vtn3Client => {
      const c = new Vtn3Client({ baseUrl: vtn.openadr3Url!, clientId, clientSecret: secret, ca });
      stops.push(() => c.close());
      return c;
    };
    const bl = client3('bl', 'bl-secret-0123');
    const ledger = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: (() => { const n = pki.issue('ledger-node', 'ecdsa'); return { privateKeyPem: readPem(n.keyPath), certificatePem: readPem(n.certPath) }; })(), clock: new ManualClock(Date.now()) });
    stops.push(() => ledger.close());

    // The program through the 3.1 API: the 2.0b side sees it as a market context.
    const program = await bl.post<{ id: string }>('programs', { programName: 'seed-002' });
    expect(program.id).toBe('seed-002');

    // The 2.0b household registers with its certificate and offers TELEMETRY_USAGE in W.
    const aliceCert = pki.issue('mixed-alice', 'ecdsa');
    const alice = { name: 'alice', level: 2400, venId: createHash('sha256').update(new X509Certificate(readFileSync(aliceCert.certPath)).raw).digest('hex').slice(-20), reportRequestId: '' };
    const send = (service: Parameters<typeof postOadr>[1], message: Parameters<typeof postOadr>[2]) => postOadr(vtn.oadrUrl, service, message, aliceCert, pki);
    await send('EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true, venName: alice.name });
    const registered = (await send('EiReport', { type: 'oadrRegisterReport', requestId: 'rr', venId: alice.venId, reports: [{ reportRequestId: '0', reportSpecifierId: 'usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read' }] }] })).message as OadrRegisteredReport;
    alice.reportRequestId = registered.reportRequests![0]!.reportRequestId;
    const aliceDay = (date: string, values: number[]) => send('EiReport', {
      type: 'oadrUpdateReport', requestId: `u-${date}`, venId: alice.venId, reports: [{ reportRequestId: alice.reportRequestId, reportSpecifierId: 'usage', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
        intervals: values.map((value, i) => ({ dtstart: { epochMs: Date.parse(`${date}T00:00:00Z`) + i * 900_000, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value } }] })) }],
    });

    // The 3.1 households make their VEN objects; business logic puts them in the metered group and
    // asks them, by an event with a report descriptor, for their demand in kW per quarter-hour.
    const vens3 = await Promise.all(houses3.map(async (h) => {
      const client = client3(h.name, `${h.name}-secret`);
      const ven = await client.post<{ id: string }>('vens', { objectType: 'VEN_VEN_REQUEST', venName: h.name });
      await bl.put(`vens/${ven.id}`, { objectType: 'BL_VEN_REQUEST', clientID: h.name, venName: h.name, targets: ['metered-3'] });
      return { ...h, client, venId: ven.id };
    }));
    const metering = await bl.post<{ id: string }>('events', {
      programID: 'seed-002', eventName: 'metering', targets: ['metered-3'],
      intervalPeriod: { start: `${dateOf(-35)}T00:00:00Z`, duration: 'P37D' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [0] }] }],
      reportDescriptors: [{ payloadType: 'DEMAND', readingType: 'DIRECT_READ', units: 'KW', frequency: -1 }],
    });
    const demandReport = (h: (typeof vens3)[number], eventID: string, date: string, watts: number[]) => h.client.post('reports', {
      eventID, clientName: h.name, reportName: `demand-${date}`,
      payloadDescriptors: [{ objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'DEMAND', readingType: 'DIRECT_READ', units: 'KW' }],
      resources: [{ resourceName: 'meter', intervalPeriod: { start: `${date}T00:00:00Z`, duration: 'PT15M' }, intervals: watts.map((w, id) => ({ id, payloads: [{ type: 'DEMAND', values: [w / 1000] }] })) }],
    });

    // 35 days of history from both generations.
    for (const [d, date] of dates(dateOf(-35), 35).entries()) {
      await aliceDay(date, householdDay(alice.level, d));
      for (const h of vens3) await demandReport(h, metering.id, date, householdDay(h.level, d + (h.complies ? 0 : 500)));
    }

    const meterOf = (name: string): string => `meter-${name}`;
    for (const name of ['alice', ...houses3.map((h) => h.name)]) await ledger.submit('registerMeter', { meterId: meterOf(name), customerId: name, retailerId: 'retailer-1' }, operator);
    const anchor = new AnchorService({
      source: httpFeedSource(vtn.apiUrl), ledger, store: new AnchorStore(join(work, 'anchor.sqlite')), clock: new ManualClock(Date.now()), logger: silentLogger, identities: { operator, retailer },
      meters: { [alice.venId]: { meterId: meterOf('alice'), rId: 'power' }, ...Object.fromEntries(vens3.map((h) => [h.venId, { meterId: meterOf(h.name), rId: 'meter/DEMAND', scale: 1000 }])) },
    });
    expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0 });
    // The 3.1 history is on the ledger in watts, as the 2.0b history is.
    const carolYesterday = (await ledger.evaluate('queryEnergy', { meterId: meterOf('carol'), date: dateOf(-1) }, operator)).values as number[];
    householdDay(2000, 34).forEach((w, k) => expect(carolYesterday[k]).toBeCloseTo(w, 6));

    // The operator's order: 1 kW less from the three households, 07:00–19:00 tomorrow (UTC).
    const orchestrator = new DrOrchestrator(ledger, httpEventSink(vtn.apiUrl), operator);
    const participants = [{ venId: alice.venId, meterId: meterOf('alice') }, ...vens3.map((h) => ({ venId: h.venId, meterId: meterOf(h.name) }))];
    const { event, allocations } = await orchestrator.notify({ eventId: 'mixed-day', programId: 'seed-002', date: eventDate, notifiedOn: today, start: 28, end: 76, requestW: 1000, participants });
    expect(event.shortfall.every((s) => s === 0)).toBe(true);
    for (const a of allocations) expect(a.reduction.slice(28, 76).some((r) => r > 0)).toBe(true);

    // The 2.0b household reads its event over 2.0b, opts in and follows its setpoints.
    const distribute = (await send('EiEvent', { type: 'oadrRequestEvent', requestId: 'q', venId: alice.venId })).message as OadrDistributeEvent;
    const aliceEvent = distribute.events.find((e) => e.target.venIds?.includes(alice.venId))!;
    const aliceSetpoints = aliceEvent.signals.find((s) => s.signalName === 'LOAD_DISPATCH')!.intervals.map((i) => (i.payloads[0]!.kind === 'float' ? i.payloads[0]!.value : NaN));
    await send('EiEvent', { type: 'oadrCreatedEvent', venId: alice.venId, response: { responseCode: 200, requestId: distribute.requestId }, eventResponses: [{ responseCode: 200, requestId: distribute.requestId, qualifiedEventId: { eventId: aliceEvent.descriptor.eventId, modificationNumber: 0 }, optType: 'optIn' }] });
    await aliceDay(eventDate, householdDay(alice.level, 36).map((v, k) => (k >= 28 && k < 76 ? Math.round(aliceSetpoints[k - 28]!) : v)));

    // The 3.1 households read theirs through Ven3 and the same handlers a 2.0b VEN has; one follows it.
    for (const h of vens3) {
      const seen: VenEvent[] = [];
      const store = new VenStore(join(work, `${h.name}.sqlite`));
      const ven = new Ven3({ vtnUrl: vtn.openadr3Url!, clientId: h.name, clientSecret: `${h.name}-secret`, ca, venName: h.name, store, pollFrequencyMs: 500, jitter: 0, handlers: { onEvent: (e) => { seen.push(e); return 'optIn'; } } });
      stops.push(() => store.close(), () => ven.stop());
      await ven.start();
      expect(ven.venId).toBe(h.venId);
      const mine = await eventually(`${h.name}'s DR event`, () => seen.find((e) => e.eventId === `mixed-day-${h.venId}`), 10_000);
      const setpoints = mine.intervals.filter((i) => i.signalName === 'LOAD_DISPATCH').map((i) => i.value);
      expect(setpoints).toHaveLength(48);
      expect(mine.intervals[0]!.start).toBe(Date.parse(`${eventDate}T07:00:00Z`));
      const usual = householdDay(h.level, 36 + (h.complies ? 0 : 500));
      await demandReport(h, mine.eventId, eventDate, usual.map((v, k) => (h.complies && k >= 28 && k < 76 ? Math.round(setpoints[k - 28]!) : v)));
    }
    expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0 });

    const settlements = await orchestrator.settle('mixed-day', 100);
    const of = (name: string) => settlements.find((s) => s.customerId === name)!;
    expect(settlements.map((s) => s.customerId).sort()).toEqual(['alice', 'carol', 'dave']);
    for (const name of ['alice', 'carol']) {
      expect(of(name).performance).toBeGreaterThan(0.95);
      expect(of(name).compliantIntervals).toBe(48);
      expect((await ledger.evaluate('balanceOf', { customerId: name }, customer(name))).balance).toBeCloseTo(of(name).reward, 9);
    }
    expect(of('carol').reward).toBeGreaterThan(5 * of('dave').reward);
    // Every per-VEN event version and every report window of both origins is on the ledger and agrees with the VTN.
    const agreed = await reconcile(async (type, parts) => ledger.history(type, parts).at(-1)?.value ?? null, httpFeedSource(vtn.apiUrl));
    expect(agreed.divergences).toEqual([]);
    expect(agreed.checkedEventVersions).toBe(4);
    expect(agreed.checkedTelemetryWindows).toBe(3 * 36);
    expect(ledger.verifyChain()).toMatchObject({ ok: true });
  }, 300_000);
});
