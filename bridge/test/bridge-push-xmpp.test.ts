import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { readPem } from '../../src/pki.js';
import { startProsody, type RunningProsody } from '../../test/support/prosody.js';
import { eventually } from '../../test/support/eventually.js';
import { freePort } from '../../test/support/python-peers.js';
import { startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';
import { Ven, VenStore } from '../../ven/index.js';
import { upstreamConfigSchema, type EventInput, type EventRecord } from '../../vtn/index.js';
import { Bridge } from '../bridge.js';

// A 2.0b utility VTN that pushes instead of being polled: FlexBridge as its VEN in the push model
// (HTTPS listener, mutual TLS) and over the XMPP binding (Debian's Prosody). Neither polls, so a
// change upstream reaches the fleet only because the utility pushed it.
describe('bridge: a 2.0b upstream over push and over XMPP', () => {
  let prosody: RunningProsody | undefined;
  let utility: RunningVtn | undefined;
  let fleet: RunningVtn | undefined;
  const stops: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await fleet?.vtn.stop();
    await utility?.vtn.stop();
    await prosody?.stop();
  });

  it('follows the utility\'s pushed events, modifications and cancellations into the fleet\'s events, and answers the opt upstream', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bridge-push-xmpp-'));
    prosody = await startProsody(join(work, 'prosody'));
    prosody.addAccount('vtn', 'vtn-secret');
    prosody.addAccount('aggregator', 'aggregator-secret');
    await prosody.start();

    // The utility: our own 2.0b VTN, pushing over HTTPS and over XMPP.
    utility = await startTlsVtn(join(work, 'utility'), {
      push: { intervalMs: 100, minBackoffMs: 200, maxBackoffMs: 1_000 },
      xmpp: { service: prosody.service, domain: prosody.domain, username: 'vtn', password: 'vtn-secret', ca: prosody.caPath },
    });
    const up = utility;
    // The aggregator's VTN and one 2.0b house of its fleet.
    fleet = await startTlsVtn(join(work, 'fleet'), { policy: { pollFrequencyMs: 1000 } });
    const down = fleet;
    const pki = up.pki;
    const houseCert = pki.issue('bridge-house', 'ecdsa');
    const houseStore = new VenStore(join(work, 'house.sqlite'));
    const house = new Ven({
      vtnUrl: down.oadrUrl, venName: 'house', store: houseStore, logger: silentLogger,
      tls: { key: readPem(houseCert.keyPath), cert: readPem(houseCert.certPath), ca: readPem(pki.caPath) },
      usage: [{ rId: 'power', resourceId: 'meter', read: () => 1500 }], handlers: { onEvent: () => 'optIn' },
    });
    stops.push(() => houseStore.close(), () => house.stop());
    await house.start();

    for (const dir of ['bridge-push', 'bridge-xmpp']) mkdirSync(join(work, dir), { recursive: true });
    const bridgeCert = pki.issue('bridge-push-ven', 'ecdsa');
    const pushPort = await freePort();
    const bridges = {
      push: new Bridge({
        config: upstreamConfigSchema.parse({
          protocol: 'openadr2b', url: up.oadrUrl, venName: 'aggregator-push', programId: 'via-push',
          tls: { key: bridgeCert.keyPath, cert: bridgeCert.certPath, ca: pki.caPath },
          push: { host: '127.0.0.1', port: pushPort, transportAddress: `https://127.0.0.1:${pushPort}` },
        }),
        store: down.vtn.store, operator: down.vtn.operator, dataDir: join(work, 'bridge-push'), clock: systemClock, logger: silentLogger,
      }),
      xmpp: new Bridge({
        config: upstreamConfigSchema.parse({
          protocol: 'openadr2b', venName: 'aggregator-xmpp', programId: 'via-xmpp', tls: { ca: prosody.caPath },
          xmpp: { service: prosody.service, domain: prosody.domain, username: 'aggregator', password: 'aggregator-secret', vtnJid: 'vtn@localhost/vtn' },
        }),
        store: down.vtn.store, operator: down.vtn.operator, dataDir: join(work, 'bridge-xmpp'), clock: systemClock, logger: silentLogger,
      }),
    };
    for (const bridge of Object.values(bridges)) { stops.push(() => bridge.stop()); await bridge.start(); }

    // Registered upstream in the push model and over XMPP: nothing to poll.
    const registered = await eventually('both bridges registered upstream', async () => {
      const vens = (await up.vtn.store.read.listVens()).filter((v) => v.state === 'registered');
      const push = vens.find((v) => v.venName === 'aggregator-push');
      const xmpp = vens.find((v) => v.venName === 'aggregator-xmpp');
      return push && xmpp ? { push, xmpp } : undefined;
    }, 30_000);
    expect(registered.push).toMatchObject({ httpPullModel: false, transportName: 'simpleHttp', transportAddress: `https://127.0.0.1:${pushPort}` });
    expect(registered.xmpp).toMatchObject({ venId: 'aggregator', httpPullModel: false, transportName: 'xmpp', transportAddress: 'aggregator@localhost/flexbridge' });

    await up.vtn.operator.createProgram({ programId: 'peak', name: 'Peak', marketContext: 'http://utility.example/peak' });
    const event = (eventId: string, venId: string, level: number): EventInput => ({
      programId: 'peak', eventId, dtstart: Date.now() + 3_600_000, targets: { venIds: [venId] },
      signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: level }] }],
    });
    const derived = async (programId: string): Promise<EventRecord[]> => (await down.vtn.store.read.listEvents()).filter((e) => e.programId === programId);
    const levelOf = (e: EventRecord): number => { const p = e.event.signals[0]!.intervals[0]!.payloads[0]!; return p.kind === 'float' ? p.value : NaN; };
    const ids = { push: registered.push.venId, xmpp: 'aggregator' } as const;

    for (const how of ['push', 'xmpp'] as const) await up.vtn.operator.createEvent(event(`up-${how}`, ids[how], 2));
    for (const how of ['push', 'xmpp'] as const) {
      const [one] = await eventually(`the ${how} bridge's derived event`, async () => { const d = await derived(`via-${how}`); return d.length === 1 ? d : undefined; }, 20_000);
      expect(one!.event.target.venIds).toEqual([house.venId]);
      expect(levelOf(one!)).toBe(2);
      // The opt went back in the answer to the push: the utility has it.
      await eventually(`the ${how} bridge's opt at the utility`, async () => ((await up.vtn.store.read.listEventResponses(`up-${how}`)).some((r) => r.venId === ids[how] && r.optType === 'optIn') ? true : undefined), 20_000);
      expect(await down.vtn.store.read.getUpstreamEvent(`up-${how}`)).toMatchObject({ protocol: 'openadr2b', modificationNumber: 0, status: 'active', opt: 'optIn' });
    }
    expect((await down.vtn.store.read.getUpstreamEvent('up-xmpp'))!.upstreamUrl).toBe('xmpp:vtn@localhost/vtn');
    // The house hears of both derived events.
    await eventually('the house\'s two events', async () => (house.events().length === 2 ? true : undefined), 20_000);

    // Modified upstream: every derived event gets its next version.
    for (const how of ['push', 'xmpp'] as const) await up.vtn.operator.modifyEvent(`up-${how}`, event(`up-${how}`, ids[how], 3));
    for (const how of ['push', 'xmpp'] as const) {
      await eventually(`the ${how} bridge's modification`, async () => { const [d] = await derived(`via-${how}`); return d && d.event.descriptor.modificationNumber === 1 && levelOf(d) === 3 ? true : undefined; }, 20_000);
    }
    // Cancelled upstream: cancelled downstream.
    for (const how of ['push', 'xmpp'] as const) await up.vtn.operator.cancelEvent(`up-${how}`);
    for (const how of ['push', 'xmpp'] as const) {
      await eventually(`the ${how} bridge's cancellation`, async () => { const [d] = await derived(`via-${how}`); return d?.cancelled ? true : undefined; }, 20_000);
      expect(await down.vtn.store.read.getUpstreamEvent(`up-${how}`)).toMatchObject({ status: 'cancelled' });
    }
    await eventually('the house to see both cancellations', async () => (house.events().every((e) => e.status === 'cancelled') ? true : undefined), 20_000);
  }, 120_000);
});
