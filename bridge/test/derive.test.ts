import { durationFromMs, type OadrEvent } from '../../schemas/index.js';
import { allocated, derivedEventId, optFor, relayed, setpointOf, shareByPower, signalsOf } from '../derive.js';

const T0 = Date.parse('2027-03-01T17:00:00Z');
const upstreamEvent = (signals: OadrEvent['signals']): OadrEvent => ({
  descriptor: { eventId: 'u1', modificationNumber: 2, marketContext: 'p', eventStatus: 'far', createdDateTime: { epochMs: T0, microsOfMs: 0 }, priority: 1 },
  activePeriod: { dtstart: { epochMs: T0, microsOfMs: 0 }, duration: durationFromMs(3_600_000) },
  signals, target: {}, responseRequired: 'always',
} as OadrEvent);
const interval = (uid: number, ms: number, value: number) => ({ uid: String(uid), duration: durationFromMs(ms), payloads: [{ kind: 'float' as const, value }] });

describe('the bridge\'s derivation of the fleet\'s events', () => {
  it('names derived events stably and validly, whatever the upstream ID', () => {
    expect(derivedEventId('abc-1')).toBe('up-abc-1');
    expect(derivedEventId('abc-1', 'ven7')).toBe('up-abc-1-ven7');
    const odd = derivedEventId('urn:utility:event/42');
    expect(odd).toMatch(/^up-urn_utility_event_42-[0-9a-f]{24}$/);
    expect(derivedEventId('urn:utility:event/42')).toBe(odd);
    expect(derivedEventId('x'.repeat(200)).length).toBeLessThanOrEqual(128);
  });

  it('reads the upstream signals and an aggregate setpoint (kW scaled to W)', () => {
    const e = upstreamEvent([
      { signalName: 'SIMPLE', signalType: 'level', signalId: 's', intervals: [interval(0, 3_600_000, 1)] },
      { signalName: 'LOAD_DISPATCH', signalType: 'setpoint', signalId: 'd', itemBase: { kind: 'powerReal', itemDescription: 'RealPower', itemUnits: 'W', siScaleCode: 'k', powerAttributes: { hertz: 50, voltage: 230, ac: true } }, intervals: [interval(0, 1_800_000, 2), interval(1, 1_800_000, 1.5)] },
    ] as OadrEvent['signals']);
    expect(signalsOf(e).map((s) => [s.signalName, s.intervals])).toEqual([['SIMPLE', [{ durationMs: 3_600_000, value: 1 }]], ['LOAD_DISPATCH', [{ durationMs: 1_800_000, value: 2 }, { durationMs: 1_800_000, value: 1.5 }]]]);
    expect(setpointOf(e)).toEqual([{ durationMs: 1_800_000, value: 2000 }, { durationMs: 1_800_000, value: 1500 }]);
    expect(setpointOf(upstreamEvent([{ signalName: 'SIMPLE', signalType: 'level', signalId: 's', intervals: [interval(0, 60_000, 1)] }] as OadrEvent['signals']))).toBeUndefined();
  });

  it('relays an event to the fleet\'s groups, or shares a setpoint among its VENs by present power', () => {
    const e = upstreamEvent([{ signalName: 'LOAD_DISPATCH', signalType: 'setpoint', signalId: 'd', intervals: [interval(0, 900_000, 1000), interval(1, 900_000, 500)] }] as OadrEvent['signals']);
    const u = { upstreamId: 'u1', modificationNumber: 2, url: 'https://utility.example', event: e };
    const relay = relayed(u, 'fleet-dr', { groupIds: ['fleet'], venIds: ['a', 'b'] });
    expect(relay).toMatchObject({ programId: 'fleet-dr', eventId: 'up-u1', dtstart: T0, targets: { groupIds: ['fleet'] }, priority: 1 });
    expect(relay.vtnComment).toMatch(/upstream event u1 version 2 from https:\/\/utility.example/);
    expect(relayed(u, 'fleet-dr', { venIds: ['a', 'b'] }).targets).toEqual({ venIds: ['a', 'b'] });
    const shares = shareByPower(setpointOf(e)!, new Map([['a', 300], ['b', 100]]));
    expect(shares).toEqual(new Map([['a', [750, 375]], ['b', [250, 125]]]));
    // No power measured at all: an even split.
    expect(shareByPower([{ value: 90 }], new Map([['a', 0], ['b', 0], ['c', 0]]))).toEqual(new Map([['a', [30]], ['b', [30]], ['c', [30]]]));
    const perVen = allocated(u, 'fleet-dr', setpointOf(e)!, shares, 'share of present power');
    expect(perVen.map((x) => [x.eventId, x.targets, x.signals.map((s) => [s.signalName, s.intervals.map((i) => i.value)])])).toEqual([
      ['up-u1-a', { venIds: ['a'] }, [['SIMPLE', [1]], ['LOAD_DISPATCH', [750, 375]]]],
      ['up-u1-b', { venIds: ['b'] }, [['SIMPLE', [1]], ['LOAD_DISPATCH', [250, 125]]]],
    ]);
  });

  it('opts in by policy: always, never, or when the fleet can carry the request', () => {
    expect(optFor('always', { vens: 0, measured: 0 }, true)).toBe('optIn');
    expect(optFor('never', { vens: 5, measured: 5 }, false)).toBe('optOut');
    expect(optFor('when-covered', { vens: 0, measured: 0 }, false)).toBe('optOut');
    expect(optFor('when-covered', { vens: 2, measured: 0 }, false)).toBe('optIn');
    expect(optFor('when-covered', { vens: 2, measured: 0 }, true)).toBe('optOut');
    expect(optFor('when-covered', { vens: 2, measured: 2 }, true)).toBe('optIn');
    expect(optFor('when-covered', { vens: 2, measured: 2, shortfallW: 50 }, true)).toBe('optOut');
  });
});

describe('the bridge\'s configuration (the VTN\'s upstream section)', () => {
  it('asks each protocol for its credentials and fills the defaults', async () => {
    const { upstreamConfigSchema } = await import('../../vtn/index.js');
    const refused = (input: unknown): string => {
      const r = upstreamConfigSchema.safeParse(input);
      return r.success ? 'accepted' : r.error.issues.map((i) => i.message).join('; ');
    };
    expect(refused({ protocol: 'openadr3', url: 'https://u.example', venName: 'agg' })).toBe('an OpenADR 3 upstream needs clientId and clientSecret');
    expect(refused({ protocol: 'openadr2b', url: 'https://u.example/OpenADR2/Simple/2.0b', venName: 'agg', tls: { ca: 'ca.pem' } })).toBe('a 2.0b upstream needs tls.key, tls.cert and tls.ca (mutual TLS)');
    expect(upstreamConfigSchema.parse({ protocol: 'openadr3', url: 'https://u.example', venName: 'agg', clientId: 'a', clientSecret: 's' })).toMatchObject({
      programId: 'upstream', readings: [{ rId: 'power', scale: 1 }], optPolicy: 'when-covered', reportEveryMs: 60_000, pollFrequencyMs: 10_000, mqtt: {},
    });
  });
});
