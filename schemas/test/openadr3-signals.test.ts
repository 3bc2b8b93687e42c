import { Openadr3Error } from '../index.js';
import { durationMs3, payloadTypeFor, signalFor, signalsOf3 } from '../openadr3/signals.js';
import { oadrEventOf3 } from '../openadr3/oadr-event.js';

describe('OpenADR 3.1 events as 2.0b signals (pure)', () => {
  it('maps payload types to signals and back, and keeps unknown types as 2.0b extension names', () => {
    for (const type of ['SIMPLE', 'PRICE', 'DISPATCH_SETPOINT', 'DISPATCH_SETPOINT_RELATIVE', 'CHARGE_STATE_SETPOINT', 'CONTROL_SETPOINT', 'ENERGY_PRICE', 'GHG', 'MY_PRIVATE_TYPE']) {
      const s = signalFor(type);
      expect(payloadTypeFor(s.signalName, s.signalType)).toBe(type);
    }
    expect(signalFor('GHG')).toEqual({ signalName: 'x-GHG', signalType: 'level' });
    expect(payloadTypeFor('simple', 'level')).toBe('SIMPLE');
  });

  it('reads ISO 8601 durations as written by different VTNs, and refuses lengths 2.0b cannot carry', () => {
    expect(durationMs3('PT15M', 'd')).toBe(900_000);
    expect(durationMs3('P1W', 'd')).toBe(7 * 86_400_000);
    expect(durationMs3('P1DT0.5S', 'd')).toBe(86_400_500);
    // openleadr-rs writes every field.
    expect(durationMs3('P0Y0M0DT0H30M0S', 'd')).toBe(1_800_000);
    expect(() => durationMs3('P9999Y', 'd')).toThrow(/infinite/);
    expect(() => durationMs3('P1M', 'd')).toThrow(Openadr3Error);
    expect(() => durationMs3('15 minutes', 'd')).toThrow(/not an ISO 8601 duration/);
  });

  it('lays intervals end to end and refuses gaps, missing payloads and non-numbers', () => {
    const start = '2026-06-01T10:00:00Z';
    const t0 = Date.parse(start);
    const event = { programID: 'p', intervalPeriod: { start, duration: 'PT15M' }, intervals: [
      { id: 0, payloads: [{ type: 'SIMPLE', values: [1] }, { type: 'PRICE', values: [0.2] }] },
      { id: 1, intervalPeriod: { start: '2026-06-01T10:15:00Z', duration: 'PT30M' }, payloads: [{ type: 'SIMPLE', values: [2] }, { type: 'PRICE', values: [0.3] }] },
    ] } as never;
    const { dtstart, signals } = signalsOf3(event, 0);
    expect(dtstart).toBe(t0);
    expect(signals.map((s) => [s.signalName, s.intervals.map((i) => [i.durationMs, i.value])])).toEqual([['SIMPLE', [[900_000, 1], [1_800_000, 2]]], ['ELECTRICITY_PRICE', [[900_000, 0.2], [1_800_000, 0.3]]]]);
    const gap = { programID: 'p', intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }, { id: 1, intervalPeriod: { start: '2026-06-01T11:00:00Z' }, payloads: [{ type: 'SIMPLE', values: [1] }] }] } as never;
    expect(() => signalsOf3(gap, 0)).toThrow(/without gaps/);
    const missing = { programID: 'p', intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }, { id: 1, payloads: [{ type: 'PRICE', values: [1] }] }] } as never;
    // PRICE would start where SIMPLE ends: a 2.0b signal starts with its event.
    expect(() => signalsOf3(missing, 0)).toThrow(/its PRICE starts at 2026-06-01T10:15:00.000Z, not where the event starts/);
    // Payload types on intervals of their own may overlap (a 2.0b event's signals with different intervals read this way).
    const apart = { programID: 'p', intervalPeriod: { start }, intervals: [
      { id: 0, intervalPeriod: { start, duration: 'PT1H' }, payloads: [{ type: 'SIMPLE', values: [1] }] },
      { id: 1, intervalPeriod: { start, duration: 'PT30M' }, payloads: [{ type: 'DISPATCH_SETPOINT', values: [900] }] },
      { id: 2, intervalPeriod: { start: '2026-06-01T10:30:00Z', duration: 'PT30M' }, payloads: [{ type: 'DISPATCH_SETPOINT', values: [800] }] },
    ] } as never;
    expect(signalsOf3(apart, 0).signals.map((s) => [s.signalName, s.intervals.map((i) => [i.durationMs, i.value])])).toEqual([['SIMPLE', [[3_600_000, 1]]], ['LOAD_DISPATCH', [[1_800_000, 900], [1_800_000, 800]]]]);
    const late = { programID: 'p', intervalPeriod: { start }, intervals: [
      { id: 0, intervalPeriod: { start, duration: 'PT1H' }, payloads: [{ type: 'SIMPLE', values: [1] }] },
      { id: 1, intervalPeriod: { start: '2026-06-01T10:15:00Z', duration: 'PT30M' }, payloads: [{ type: 'DISPATCH_SETPOINT', values: [900] }] },
    ] } as never;
    expect(() => signalsOf3(late, 0)).toThrow(/its DISPATCH_SETPOINT starts at .*not where the event starts/);
    const text = { programID: 'p', intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: ['high'] }] }] } as never;
    expect(() => signalsOf3(text, 0)).toThrow(/one number per interval/);
    // "0001-01-01" is now.
    expect(signalsOf3({ programID: 'p', intervalPeriod: { start: '0001-01-01T00:00:00Z', duration: 'PT1H' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] } as never, 1_234_000).dtstart).toBe(1_234_000);
  });

  it('gives a VEN the 2.0b event view of a 3.1 event', () => {
    const e = oadrEventOf3({ id: 'e1', programID: 'p', priority: null, targets: ['g'], intervalPeriod: { start: '2026-06-01T10:00:00Z', duration: 'PT1H', randomizeStart: 'PT5M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [2] }] }] } as never, 3, 0);
    expect(e.descriptor).toMatchObject({ eventId: 'e1', modificationNumber: 3, marketContext: 'p' });
    expect(e.descriptor.priority).toBeUndefined();
    expect(e.activePeriod.dtstart.epochMs).toBe(Date.parse('2026-06-01T10:00:00Z'));
    expect(e.activePeriod.startAfter).toMatchObject({ minutes: 5 });
    expect(e.signals[0]).toMatchObject({ signalName: 'SIMPLE', signalType: 'level', intervals: [{ payloads: [{ kind: 'float', value: 2 }] }] });
    expect(e.target).toEqual({ groupIds: ['g'] });
  });
});
