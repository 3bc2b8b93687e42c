import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationFromMs, type OadrEvent } from '../../schemas/index.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';
import type { VenEvent } from '../../ven/index.js';
import { upstreamConfigSchema } from '../../vtn/index.js';
import { Bridge } from '../bridge.js';

const NOW = Date.now();

/** An upstream event as our VEN's handlers hand it over. */
function upstream(eventId: string, modificationNumber: number, signal: { name: 'SIMPLE' | 'LOAD_DISPATCH'; type: 'level' | 'setpoint'; values: number[] }): VenEvent {
  const raw = {
    descriptor: { eventId, modificationNumber, marketContext: 'http://utility.example/dr', eventStatus: 'active', createdDateTime: { epochMs: NOW, microsOfMs: 0 } },
    activePeriod: { dtstart: { epochMs: NOW - 60_000, microsOfMs: 0 }, duration: durationFromMs(signal.values.length * 900_000) },
    signals: [{ signalName: signal.name, signalType: signal.type, signalId: 's', intervals: signal.values.map((value, i) => ({ uid: String(i), duration: durationFromMs(900_000), payloads: [{ kind: 'float', value }] })) }],
    target: {}, responseRequired: 'always',
  } as unknown as OadrEvent;
  return { eventId, modificationNumber, status: 'active', marketContext: 'http://utility.example/dr', responseRequired: true, intervals: [], raw };
}

// The bridge's decisions on a real VTN store and operator service, without an upstream peer:
// the upstream VEN's handler is called as our VEN library calls it.
describe('the bridge\'s rules', () => {
  let running: RunningVtn | undefined;
  afterAll(async () => { await running?.vtn.stop(); });

  it('relays, shares, answers a version once, respects the operator\'s cancellation and cancels with the upstream', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bridge-rules-'));
    running = await startTlsVtn(join(work, 'vtn'));
    const { store, operator } = running.vtn;
    const config = upstreamConfigSchema.parse({ protocol: 'openadr3', url: 'https://utility.example', venName: 'agg', clientId: 'agg', clientSecret: 's', programId: 'fleet-dr', groupIds: ['fleet'] });
    const bridge = new Bridge({ config, store, operator, dataDir: work, clock: systemClock, logger: silentLogger });
    await operator.createProgram({ programId: 'fleet-dr', name: 'fleet', marketContext: 'urn:fleet' });
    await store.transaction(async (tx) => {
      for (const [venId, group] of [['a', 'fleet'], ['b', 'fleet'], ['c', 'elsewhere']] as const) {
        await tx.putVen({ venId, registrationId: `reg-${venId}`, venName: venId, profileName: '2.0b', transportName: 'simpleHttp', httpPullModel: true, reportOnly: false, xmlSignature: false, registeredAt: NOW, state: 'registered', groupIds: [group], resourceIds: [] });
      }
    });
    const derived = async () => Object.fromEntries((await store.read.listEvents()).filter((e) => e.programId === 'fleet-dr').map((e) => [e.eventId, e]));

    // A level event with nobody measured: relayed to the fleet's group, in.
    expect(await bridge.onUpstream(upstream('lvl', 0, { name: 'SIMPLE', type: 'level', values: [2] }))).toBe('optIn');
    expect((await derived())['up-lvl']).toMatchObject({ modificationNumber: 0, event: { target: { groupIds: ['fleet'] } } });
    // A setpoint with nobody measured is relayed too, and not covered: out.
    expect(await bridge.onUpstream(upstream('sp', 0, { name: 'LOAD_DISPATCH', type: 'setpoint', values: [900] }))).toBe('optOut');
    expect((await store.read.getUpstreamEvent('sp'))?.allocatedBy).toMatch(/no VEN has a recent reading/);

    // Readings arrive (c is not in the fleet): the next version is shared by present power, 1:2.
    await store.transaction((tx) => tx.putReadings(['a', 'b', 'c'].map((venId, i) => ({
      venId, reportRequestId: 'r', reportSpecifierId: 's', rId: 'power', dtstart: NOW - 10_000, durationMs: 0, payload: { kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value: 100 * (i + 1) } }, receivedAt: NOW,
    }))));
    expect(await bridge.fleetPower()).toBe(300);
    expect(await bridge.onUpstream(upstream('sp', 1, { name: 'LOAD_DISPATCH', type: 'setpoint', values: [900, 600] }))).toBe('optIn');
    const shared = await derived();
    const setpoints = (id: string) => shared[id]!.event.signals.find((s) => s.signalName === 'LOAD_DISPATCH')!.intervals.map((i) => (i.payloads[0]!.kind === 'float' ? i.payloads[0]!.value : NaN));
    expect(setpoints('up-sp-a')).toEqual([300, 200]);
    expect(setpoints('up-sp-b')).toEqual([600, 400]);
    // The relayed version 0 is cancelled: the share replaced it.
    expect(shared['up-sp']).toMatchObject({ cancelled: true });
    expect((await store.read.getUpstreamEvent('sp'))?.derivedEventIds).toEqual(['up-sp-a', 'up-sp-b']);

    // The same version again (a restart): the same answer, nothing written.
    const feedBefore = (await store.read.feedAfter(0, 100_000)).length;
    expect(await bridge.onUpstream(upstream('sp', 1, { name: 'LOAD_DISPATCH', type: 'setpoint', values: [900, 600] }))).toBe('optIn');
    expect((await store.read.feedAfter(0, 100_000)).length).toBe(feedBefore);

    // The operator cancels one VEN's share here; the next upstream version does not revive it.
    await operator.cancelEvent('up-sp-a', 'the operator said so');
    await bridge.onUpstream(upstream('sp', 2, { name: 'LOAD_DISPATCH', type: 'setpoint', values: [300, 300] }));
    const after = await derived();
    expect(after['up-sp-a']).toMatchObject({ cancelled: true });
    expect(after['up-sp-b']).toMatchObject({ modificationNumber: 1, cancelled: false });

    // Cancelled upstream: every derived event cancelled, the record says so; a second time changes nothing.
    await bridge.onCancelled('sp', 'cancelled upstream');
    expect((await derived())['up-sp-b']).toMatchObject({ cancelled: true });
    expect(await store.read.getUpstreamEvent('sp')).toMatchObject({ status: 'cancelled' });
    const orders = (await store.read.feedAfter(0, 100_000)).filter((f) => f.kind === 'gridOrder').map((f) => (f.data as { orderId: string }).orderId);
    expect(orders).toEqual(['upstream-up-lvl-v0', 'upstream-up-sp-v0', 'upstream-up-sp-v1', 'upstream-up-sp-v2', 'upstream-up-sp-v2-cancelled']);
    await bridge.onCancelled('sp', 'again');
    expect((await store.read.feedAfter(0, 100_000)).filter((f) => f.kind === 'gridOrder')).toHaveLength(5);
  }, 60_000);
});
