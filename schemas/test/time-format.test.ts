import fc from 'fast-check';
import { OadrValueError, durationFromMs, durationToMs, formatDateTime, formatDuration, parseDateTime, parseDuration, addDuration } from '../index.js';

describe('date-times', () => {
  it('reads UTC, offsets and missing zones to the exact millisecond', () => {
    expect(parseDateTime('2026-11-24T07:00:00Z', 'x')).toEqual({ epochMs: Date.UTC(2026, 10, 24, 7), microsOfMs: 0 });
    expect(parseDateTime('2026-11-24T08:00:00+01:00', 'x').epochMs).toBe(Date.UTC(2026, 10, 24, 7));
    expect(parseDateTime('2026-11-24T02:30:00-04:30', 'x').epochMs).toBe(Date.UTC(2026, 10, 24, 7));
    expect(parseDateTime('2026-11-24T07:00:00', 'x').epochMs).toBe(Date.UTC(2026, 10, 24, 7));
    expect(parseDateTime('2026-11-24T07:00:00.1Z', 'x')).toEqual({ epochMs: Date.UTC(2026, 10, 24, 7, 0, 0, 100), microsOfMs: 0 });
    expect(parseDateTime('2026-11-24T07:00:00.000001Z', 'x')).toEqual({ epochMs: Date.UTC(2026, 10, 24, 7), microsOfMs: 1 });
  });

  it('refuses impossible dates with the path', () => {
    expect(() => parseDateTime('2026-02-29T00:00:00Z', 'a/b')).toThrow(OadrValueError);
    expect(() => parseDateTime('2026-13-01T00:00:00Z', 'a/b')).toThrow(/a\/b: date-time out of range/);
    expect(() => parseDateTime('yesterday', 'a/b')).toThrow(/not an xs:dateTime/);
    // Year 275761 is past what a JavaScript date holds: NaN must never come out (issue 15, 13).
    expect(() => parseDateTime('275761-01-01T00:00:00Z', 'a/b')).toThrow(/outside the representable range/);
    expect(() => parseDateTime('-271822-01-01T00:00:00Z', 'a/b')).toThrow(/outside the representable range/);
  });

  it('accepts 29 February in leap years only', () => {
    expect(parseDateTime('2028-02-29T00:00:00Z', 'x').epochMs).toBe(Date.UTC(2028, 1, 29));
    expect(() => parseDateTime('2100-02-29T00:00:00Z', 'x')).toThrow(OadrValueError);
  });

  it('always writes UTC with only the fractional digits it needs', () => {
    expect(formatDateTime({ epochMs: Date.UTC(2026, 10, 24, 7), microsOfMs: 0 })).toBe('2026-11-24T07:00:00Z');
    expect(formatDateTime({ epochMs: Date.UTC(2026, 10, 24, 7, 0, 0, 250), microsOfMs: 0 })).toBe('2026-11-24T07:00:00.25Z');
    expect(formatDateTime({ epochMs: Date.UTC(2026, 10, 24, 7, 0, 0, 0), microsOfMs: 7 })).toBe('2026-11-24T07:00:00.000007Z');
  });

  it('round-trips any instant between 1970 and 2200 exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), fc.integer({ min: 0, max: 999 }), (epochMs, microsOfMs) => {
      const value = { epochMs, microsOfMs };
      expect(parseDateTime(formatDateTime(value), 'x')).toEqual(value);
    }));
  });
});

describe('durations', () => {
  it('reads components without turning them into float seconds', () => {
    expect(parseDuration('PT2H15M', 'x')).toMatchObject({ hours: 2, minutes: 15, seconds: 0, negative: false });
    expect(parseDuration('-P1DT0.5S', 'x')).toMatchObject({ negative: true, days: 1, seconds: 0, milliseconds: 500 });
    expect(parseDuration('P2W', 'x')).toMatchObject({ days: 14 });
    expect(durationToMs(parseDuration('PT15M', 'x'))).toBe(900_000);
  });

  it('refuses what xs:duration refuses: a bare P, a dangling T, fractions finer than a millisecond', () => {
    for (const bad of ['P', 'PT', 'P1DT', '1D', 'PT1.5H', 'PT0.0001S']) expect(() => parseDuration(bad, 'd')).toThrow(OadrValueError);
  });

  it('measures months from the instant they start at, and refuses to guess without one', () => {
    const month = parseDuration('P1M', 'x');
    expect(() => durationToMs(month)).toThrow(/needs a start instant/);
    expect(durationToMs(month, { epochMs: Date.UTC(2026, 1, 1), microsOfMs: 0 })).toBe(28 * 86_400_000);
    expect(addDuration({ epochMs: Date.UTC(2028, 1, 1), microsOfMs: 0 }, month).epochMs).toBe(Date.UTC(2028, 2, 1));
  });

  it('writes a zero duration as PT0S, never the invalid bare P', () => {
    expect(formatDuration(durationFromMs(0))).toBe('PT0S');
  });

  it('round-trips any whole-millisecond length exactly', () => {
    fc.assert(fc.property(fc.integer({ min: -10 * 365 * 86_400_000, max: 10 * 365 * 86_400_000 }), (ms) => {
      const text = formatDuration(durationFromMs(ms));
      expect(durationToMs(parseDuration(text, 'x'))).toBe(ms);
    }));
  });
});
