import { createHash, X509Certificate } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { freePort, startPeer, waitFor } from '../../test/support/python-peers.js';
import { eventually } from '../../test/support/eventually.js';
import { apiCall, startOpenadr3Vtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { Ven3, VenStore, Vtn3Client, type VenEvent } from '../../ven/index.js';
import { upstreamConfigSchema, type EventRecord } from '../../vtn/index.js';
import { Bridge } from '../bridge.js';

// The utility's 2.0b VTN is OpenLEADR's (PyPI); FlexBridge is its VEN over mutual TLS and the VTN
// of a fleet of two OpenADR 3.1 VENs (ours), whose DEMAND reports are the fleet's power.
describe('bridge: OpenLEADR\'s 2.0b VTN upstream, 3.1 VENs downstream', () => {
  let running: RunningVtn | undefined;
  const stops: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await running?.vtn.stop();
  });

  it('shares the utility\'s setpoint among the 3.1 fleet, opts in, reports the fleet\'s power, and follows modification and cancellation', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bridge-openadr2b-'));
    const pki = testPki();
    running = await startOpenadr3Vtn(join(work, 'vtn'), [
      { id: 'bl', secret: 'bl-secret-0123', role: 'bl' }, { id: 'flat-1', secret: 'flat-1-secret', role: 'ven' }, { id: 'flat-2', secret: 'flat-2-secret', role: 'ven' },
    ], {}, { policy: { pollFrequencyMs: 1000 } });
    const vtn = running;
    const bl = new Vtn3Client({ baseUrl: vtn.openadr3Url!, clientId: 'bl', clientSecret: 'bl-secret-0123', ca: readFileSync(pki.caPath, 'utf8') });
    stops.push(() => bl.close());

    // The fleet: two 3.1 VENs drawing 1 kW and 3 kW, granted the group `fleet`.
    const flats = await Promise.all([['flat-1', 1000], ['flat-2', 3000]].map(async ([name, watts]) => {
      const seen: VenEvent[] = [];
      const store = new VenStore(join(work, `${name}.sqlite`));
      const ven = new Ven3({
        vtnUrl: vtn.openadr3Url!, clientId: String(name), clientSecret: `${name}-secret`, ca: readFileSync(pki.caPath, 'utf8'), venName: String(name), store,
        pollFrequencyMs: 500, reportEveryMs: 1_000, jitter: 0, usage: [{ rId: 'p', resourceId: 'meter', read: () => Number(watts) }], handlers: { onEvent: (e) => { seen.push(e); return 'optIn'; } },
      });
      stops.push(() => store.close(), () => ven.stop());
      await ven.start();
      const mine = await bl.get<{ venName: string }>(`vens/${ven.venId}`);
      await bl.put(`vens/${ven.venId}`, { objectType: 'BL_VEN_REQUEST', clientID: name, venName: mine.venName, targets: ['fleet'] });
      return { name: String(name), ven, seen };
    }));
    // A 3.x VEN reports while it takes part in an active event: the operator's metering event keeps them reporting.
    await apiCall(vtn.apiUrl, 'POST', '/api/programs', { programId: 'metering', name: 'metering', marketContext: 'urn:flexbridge:metering' });
    await apiCall(vtn.apiUrl, 'POST', '/api/events', { programId: 'metering', dtstart: Date.now() - 60_000, targets: { groupIds: ['fleet'] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 7_200_000, value: 0 }] }] });
    await eventually('both flats\' DEMAND readings', async () => {
      const got = await Promise.all(flats.map((f) => vtn.vtn.store.read.latestReading(f.ven.venId!, 'meter/DEMAND', Date.now() - 60_000)));
      return got.every(Boolean) ? true : undefined;
    }, 20_000);

    // The utility: OpenLEADR's VTN, with one LOAD_DISPATCH setpoint event of 2,000 W for the bridge.
    const vtnCert = pki.issue('utility-vtn', 'ecdsa');
    const bridgeCert = pki.issue('bridge-upstream-ven', 'ecdsa');
    const bridgeVenId = createHash('sha256').update(new X509Certificate(readFileSync(bridgeCert.certPath)).raw).digest('hex').slice(-20);
    const port = await freePort();
    const control = join(work, 'control.txt');
    const outPath = join(work, 'utility.json');
    const peer = startPeer('conformance/interop/openleadr_vtn_utility.py', ['127.0.0.1', String(port), vtnCert.certPath, vtnCert.keyPath, pki.caPath, bridgeVenId, bridgeVenId.toUpperCase().match(/../g)!.join(':'), '2000', control, outPath]);
    stops.push(() => { peer.child.kill('SIGKILL'); });
    const describe = (): string => `OpenLEADR output:\n${peer.output().slice(-3000)}`;
    const utility = (): { registered: boolean; opts: Record<string, string>; readings: { value: number }[]; applied: string[] } => JSON.parse(readFileSync(outPath, 'utf8'));
    await waitFor('OpenLEADR\'s VTN listening', async () => (peer.output().includes('listening') ? true : undefined), 20_000, describe);

    const config = upstreamConfigSchema.parse({
      protocol: 'openadr2b', url: `https://127.0.0.1:${port}/OpenADR2/Simple/2.0b`, venName: 'bridge', tls: { key: bridgeCert.keyPath, cert: bridgeCert.certPath, ca: pki.caPath },
      programId: 'fleet-dr', groupIds: ['fleet'], readings: [{ rId: 'meter/DEMAND', scale: 1000 }],
    });
    const bridge = new Bridge({ config, store: vtn.vtn.store, operator: vtn.vtn.operator, dataDir: work, clock: systemClock, logger: silentLogger });
    stops.push(() => bridge.stop());
    try {
      await bridge.start();
      const derivedOf = async (): Promise<EventRecord[]> => (await vtn.vtn.store.read.listEvents()).filter((e) => e.programId === 'fleet-dr');
      const setpointOf = (e: EventRecord): number => {
        const p = e.event.signals.find((s) => s.signalName === 'LOAD_DISPATCH')!.intervals[0]!.payloads[0]!;
        return p.kind === 'float' ? p.value : NaN;
      };
      const byVen = async (): Promise<Record<string, number>> => Object.fromEntries((await derivedOf()).map((e) => [e.event.target.venIds![0], setpointOf(e)]));
      const [one, two] = flats;
      // 2,000 W shared by present power: a quarter and three quarters.
      await eventually('the derived events', async () => ((await derivedOf()).length === 2 ? true : undefined), 20_000);
      expect(await byVen()).toEqual({ [one!.ven.venId!]: 500, [two!.ven.venId!]: 1500 });
      for (const [flat, watts] of [[one!, 500], [two!, 1500]] as const) {
        await eventually(`${flat.name} acting on its share`, () => flat.seen.find((e) => e.intervals.some((i) => i.signalName === 'LOAD_DISPATCH' && i.value === watts)), 15_000);
      }
      // The bridge opted in upstream, and reports the fleet's 4,000 W as its TELEMETRY_USAGE.
      await waitFor('the opt at the utility', async () => (existsSync(outPath) && utility().opts['utility-peak-1'] ? true : undefined), 20_000, describe);
      expect(utility().opts).toEqual({ 'utility-peak-1': 'optIn' });
      await waitFor('the fleet\'s power at the utility', async () => (utility().readings.some((r) => r.value === 4000) ? true : undefined), 20_000, describe);

      appendFileSync(control, 'modify 1000\n');
      await eventually('the modification downstream', async () => ((await derivedOf()).every((e) => e.modificationNumber === 1) ? true : undefined), 15_000);
      expect(await byVen()).toEqual({ [one!.ven.venId!]: 250, [two!.ven.venId!]: 750 });
      appendFileSync(control, 'cancel\n');
      await eventually('the cancellation downstream', async () => ((await derivedOf()).every((e) => e.cancelled) ? true : undefined), 15_000);
      const derivedIds = (await derivedOf()).map((e) => e.eventId);
      for (const flat of flats) await eventually(`${flat.name} without its share`, () => !flat.ven.events().some((e) => derivedIds.includes(e.eventId)), 15_000);
      // The operator sees the chain: the utility's event, its version and what it became here.
      const listed = (await apiCall(vtn.apiUrl, 'GET', '/api/upstream-events')).json as { upstreamId: string; protocol: string; status: string; opt: string; modificationNumber: number; derivedEventIds: string[] }[];
      expect(listed).toEqual([expect.objectContaining({ upstreamId: 'utility-peak-1', protocol: 'openadr2b', status: 'cancelled', opt: 'optIn', modificationNumber: 1 })]);
      expect([...listed[0]!.derivedEventIds].sort()).toEqual([...derivedIds].sort());
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${describe()}`);
    }
  }, 120_000);
});
