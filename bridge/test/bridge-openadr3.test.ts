import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { readPem } from '../../src/pki.js';
import { startMosquitto } from '../../test/support/mosquitto.js';
import { OPENLEADR_BL_SCOPES, OPENLEADR_VEN_SCOPES, startOpenleadrVtn, type RunningOpenleadrVtn } from '../../test/support/openleadr-rs.js';
import { startPeer, waitFor } from '../../test/support/python-peers.js';
import { eventually } from '../../test/support/eventually.js';
import { apiCall, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';
import { Ven, VenStore, Vtn3Client, type VenEvent } from '../../ven/index.js';
import { upstreamConfigSchema, type EventRecord } from '../../vtn/index.js';
import { AnchorService, AnchorStore, EmbeddedLedger, httpFeedSource, reconcile } from '../../anchor/index.js';
import { operator, retailer } from '../../anchor/test/scenario.js';
import { Bridge } from '../bridge.js';
import { derivedEventId } from '../derive.js';

// The utility's OpenADR 3.1 VTN is openleadr-rs's (from crates.io, with Mosquitto for MQTT);
// FlexBridge is its VEN and the VTN of a 2.0b fleet: one of our VENs and OpenLEADR's VEN (PyPI).
describe('bridge: openleadr-rs\'s 3.1 VTN upstream, a 2.0b fleet (ours and OpenLEADR\'s) downstream', () => {
  let upstream: RunningOpenleadrVtn | undefined;
  let running: RunningVtn | undefined;
  const stops: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await running?.vtn.stop();
    await upstream?.stop();
  });

  it('derives the fleet\'s events from the utility\'s, shares its setpoint, follows modification and cancellation, reports the fleet\'s power up, and survives a restart', async () => {
    const broker = await startMosquitto();
    stops.push(() => broker.stop());
    upstream = await startOpenleadrVtn([
      { clientId: 'utility-bl', secret: 'utility-bl-secret', scopes: OPENLEADR_BL_SCOPES },
      { clientId: 'aggregator', secret: 'aggregator-secret', scopes: OPENLEADR_VEN_SCOPES },
    ], { mqttUrl: broker.url });
    const utility = new Vtn3Client({ baseUrl: upstream.url, clientId: 'utility-bl', clientSecret: 'utility-bl-secret' });
    stops.push(() => utility.close());
    const describeUpstream = (): string => upstream!.output().slice(-3000);
    const us = await utility.post<{ id: string }>('vens', { objectType: 'BL_VEN_REQUEST', clientID: 'aggregator', venName: 'aggregator', targets: ['aggregators'] });
    const program = await utility.post<{ id: string }>('programs', { programName: 'utility-dr' });

    // Our VTN and its fleet: our 2.0b VEN (765.5 W) and OpenLEADR's (1,234.5 W), both in group `fleet`.
    const work = mkdtempSync(join(tmpdir(), 'bridge-openadr3-'));
    running = await startTlsVtn(join(work, 'vtn'), { policy: { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 2000 } });
    const vtn = running;
    const ours = vtn.pki.issue('bridge-house-a', 'ecdsa');
    const venStore = new VenStore(join(work, 'house-a.sqlite'));
    const seenA: VenEvent[] = [];
    const houseA = new Ven({
      vtnUrl: vtn.oadrUrl, venName: 'house-a', tls: { key: readPem(ours.keyPath), cert: readPem(ours.certPath), ca: readPem(vtn.pki.caPath) }, store: venStore, jitter: 0,
      usage: [{ rId: 'device-1-power', resourceId: 'house-a', read: () => 765.5 }], handlers: { onEvent: (e) => { seenA.push(e); return 'optIn'; } },
    });
    stops.push(() => venStore.close(), () => houseA.stop());
    await houseA.start();
    const theirs = vtn.pki.issue('bridge-openleadr-ven', 'ecdsa');
    const theirId = createHash('sha256').update(new X509Certificate(readFileSync(theirs.certPath)).raw).digest('hex').slice(-20);
    const peerOut = join(work, 'openleadr-ven.json');
    const peer = startPeer('conformance/interop/openleadr_ven.py', [vtn.oadrUrl, theirs.certPath, theirs.keyPath, vtn.pki.caPath, '60', peerOut]);
    stops.push(() => { peer.child.kill('SIGKILL'); });
    const describe = (): string => `OpenLEADR VEN:\n${peer.output().slice(-2000)}\nopenleadr-vtn:\n${describeUpstream()}`;
    await waitFor('OpenLEADR\'s VEN registered', async () => ((await vtn.vtn.store.read.getVen(theirId))?.state === 'registered' ? true : undefined), 30_000, describe);
    for (const venId of [houseA.venId!, theirId]) await apiCall(vtn.apiUrl, 'PATCH', `/api/vens/${venId}`, { groupIds: ['fleet'] });
    await waitFor('both VENs\' telemetry', async () => {
      const a = await vtn.vtn.store.read.latestReading(houseA.venId!, 'device-1-power', Date.now() - 60_000);
      const b = await vtn.vtn.store.read.latestReading(theirId, 'device-1-power', Date.now() - 60_000);
      return a && b ? true : undefined;
    }, 30_000, describe);

    const config = upstreamConfigSchema.parse({
      protocol: 'openadr3', url: upstream.url, venName: 'aggregator', clientId: 'aggregator', clientSecret: 'aggregator-secret',
      programId: 'fleet-dr', groupIds: ['fleet'], readings: [{ rId: 'device-1-power' }], reportEveryMs: 1_500, pollFrequencyMs: 600_000,
      // openleadr-vtn 0.2.8 publishes a VEN's events on vens/<id>/events/… (its topic endpoint names other topics).
      mqtt: { topics: [`vens/${us.id}/events/+`] },
    });
    const startBridge = async (): Promise<Bridge> => {
      const bridge = new Bridge({ config, store: vtn.vtn.store, operator: vtn.vtn.operator, dataDir: work, clock: systemClock, logger: silentLogger });
      await bridge.start();
      return bridge;
    };
    let bridge = await startBridge();
    stops.push(() => bridge.stop());

    try {
      // The utility asks the aggregator for 1,000 W over the next 30 minutes.
      const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
      const body = (watts: number) => ({ programID: program.id, eventName: 'evening peak', targets: ['aggregators'], intervalPeriod: { start, duration: 'PT30M' }, intervals: [{ id: 0, payloads: [{ type: 'DISPATCH_SETPOINT', values: [watts] }] }] });
      const event = await utility.post<{ id: string }>('events', body(1000));
      const derivedOf = async (): Promise<EventRecord[]> => (await vtn.vtn.store.read.listEvents()).filter((e) => e.programId === 'fleet-dr');
      const setpointOf = (e: EventRecord): number => {
        const p = e.event.signals.find((s) => s.signalName === 'LOAD_DISPATCH')!.intervals[0]!.payloads[0]!;
        return p.kind === 'float' ? p.value : NaN;
      };
      const derived = await eventually('the derived events', async () => { const d = await derivedOf(); return d.length === 2 ? d : undefined; }, 15_000);
      // Shared by present power: 765.5 / 2,000 and 1,234.5 / 2,000 of the 1,000 W.
      expect(Object.fromEntries(derived.map((e) => [e.event.target.venIds![0], setpointOf(e)]))).toEqual({ [houseA.venId!]: 382.75, [theirId]: 617.25 });
      await eventually('the event at our VEN', () => seenA.find((e) => e.intervals.some((i) => i.signalName === 'LOAD_DISPATCH' && i.value === 382.75)), 15_000);
      const theirEvent = derived.find((e) => e.event.target.venIds![0] === theirId)!.eventId;
      await eventually('OpenLEADR\'s VEN answering its event', async () => ((await vtn.vtn.store.read.listEventResponses(theirEvent)).some((r) => r.venId === theirId && r.optType === 'optIn') ? true : undefined), 15_000);
      const record = await vtn.vtn.store.read.getUpstreamEvent(event.id);
      expect(record).toMatchObject({ protocol: 'openadr3', modificationNumber: 0, status: 'active', opt: 'optIn', allocatedBy: 'share of present power' });
      // The link is on the feed, for the ledger: the upstream event, its version and the derived events.
      const orders = (await vtn.vtn.store.read.feedAfter(0, 10_000)).filter((f) => f.kind === 'gridOrder').map((f) => f.data);
      expect(orders).toEqual([expect.objectContaining({ source: 'openadr3-upstream', origin: `${upstream.url}#event=${event.id}&version=0`, accepted: true })]);
      expect([...orders[0]!.eventIds].sort()).toEqual(derived.map((e) => e.eventId).sort());

      // The fleet's power goes up as the aggregator's DEMAND report: 2,000 W = 2 kW.
      const reports = await eventually('the aggregator\'s report upstream', async () => {
        const r = await utility.get<{ id: string; resources: { resourceName: string; intervals: { payloads: { type: string; values: number[] }[] }[] }[] }[]>('reports', { eventID: event.id });
        return r.length ? r : undefined;
      }, 20_000);
      expect(reports[0]!.resources[0]!.resourceName).toBe('fleet');
      expect(reports[0]!.resources[0]!.intervals[0]!.payloads[0]).toEqual({ type: 'DEMAND', values: [2] });

      // A modification upstream reaches every derived event at once (MQTT; the bridge polls every 10 minutes).
      await utility.put(`events/${event.id}`, body(600));
      await eventually('the modification downstream', async () => { const d = await derivedOf(); return d.every((e) => e.modificationNumber === 1) ? d : undefined; }, 15_000);
      expect(Object.fromEntries((await derivedOf()).map((e) => [e.event.target.venIds![0], setpointOf(e)]))).toEqual({ [houseA.venId!]: 229.65, [theirId]: 370.35 });

      // FlexBridge restarts; meanwhile the utility changes the event again: nothing is lost, nothing doubled.
      await bridge.stop();
      await utility.put(`events/${event.id}`, body(500));
      bridge = await startBridge();
      await eventually('the change made while the bridge was down', async () => { const d = await derivedOf(); return d.every((e) => e.modificationNumber === 2) ? d : undefined; }, 15_000);
      expect((await derivedOf()).map(setpointOf).sort()).toEqual([191.375, 308.625]);
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await derivedOf()).map((e) => e.modificationNumber)).toEqual([2, 2]);

      // Cancellation upstream (openleadr-rs deletes an event only without reports) cancels every derived event.
      for (const r of await utility.get<{ id: string }[]>('reports', { eventID: event.id })) await utility.delete(`reports/${r.id}`);
      await utility.delete(`events/${event.id}`);
      await eventually('the cancellation downstream', async () => ((await derivedOf()).every((e) => e.cancelled) ? true : undefined), 15_000);
      expect((await vtn.vtn.store.read.getUpstreamEvent(event.id))?.status).toBe('cancelled');

      // What went up is recorded as the upstream pseudo-VEN's readings, naming the event.
      const sent = await vtn.vtn.store.read.listReadings({ venId: 'upstream:aggregator' });
      expect(sent.length).toBeGreaterThan(0);
      expect(sent[0]).toMatchObject({ reportRequestId: `upstream:${event.id}`, rId: 'fleet', payload: { value: { value: 2000 } } });
      // The whole chain on a ledger: each upstream version and what it became, every derived event
      // version, the households' telemetry and the aggregated reports, agreeing with the VTN.
      const node = vtn.pki.issue('bridge-ledger', 'ecdsa');
      const ledger = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(node.keyPath), certificatePem: readPem(node.certPath) }, clock: new ManualClock(Date.now()) });
      stops.push(() => ledger.close());
      const anchor = new AnchorService({ source: httpFeedSource(vtn.apiUrl), ledger, store: new AnchorStore(join(work, 'anchor.sqlite')), clock: new ManualClock(Date.now()), logger: silentLogger, identities: { operator, retailer }, meters: {} });
      expect(await anchor.runOnce()).toMatchObject({ pending: 0, failed: 0 });
      for (const version of ['v0', 'v1', 'v2', 'v2-cancelled']) {
        expect(ledger.history('gridOrder', [`upstream-${derivedEventId(event.id)}-${version}`]).at(-1)?.value).toMatchObject({ source: 'openadr3-upstream' });
      }
      const derivedVersions = ledger.history('eventVersion', [derived[0]!.eventId, '0000000003']);
      expect(derivedVersions.at(-1)?.value).toMatchObject({ status: 'cancelled' });
      const agreed = await reconcile(async (type, parts) => ledger.history(type, parts).at(-1)?.value ?? null, httpFeedSource(vtn.apiUrl));
      expect(agreed.divergences).toEqual([]);
      expect(agreed.checkedTelemetryWindows).toBeGreaterThan(sent.length);
      expect(ledger.verifyChain()).toMatchObject({ ok: true });
      await eventually('the cancellation at our VEN', () => houseA.events().some((e) => e.eventId === derived.find((d) => d.event.target.venIds![0] === houseA.venId)!.eventId && e.status === 'cancelled'), 15_000);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${describe()}`);
    }
  }, 180_000);
});
