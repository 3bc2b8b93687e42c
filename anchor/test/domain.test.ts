import fc from 'fast-check';
import {
  allocate, baselineAccuracy, baselineAverage10of10, baselineHighLowXofY, baselineMeterBeforeMeterAfter, baselineHigh4of5, ContractInputError, InsufficientHistoryError,
  initialAvailability, settle, updateAvailability, type DayProfile,
} from '../domain/index.js';

const day = (date: string, level: number, eventDay = false): DayProfile => ({ date, values: new Array(24).fill(level), ...(eventDay ? { eventDay } : {}) });
const dates = (from: string, count: number): string[] => Array.from({ length: count }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

describe('baselines', () => {
  // 35 days before Tuesday 2026-11-24, day n at 1000 + n W, one event day in the middle.
  const history = dates('2026-10-20', 35).map((d, n) => day(d, 1000 + n, n === 20));

  it('HighXofY averages the X highest of the Y most recent non-event days for a weekday event', () => {
    const b = baselineHighLowXofY(history, '2026-11-24', '2026-11-24', 24, { y: 35, xWeekday: 21 });
    // The 34 non-event days are levels 1000..1034 without 1020; the 21 highest are 1014..1034 without 1020 plus 1013.
    const chosen = [...Array.from({ length: 21 }, (_, i) => 1034 - i).filter((v) => v !== 1020), 1013];
    expect(b.values[0]).toBeCloseTo(chosen.reduce((s, v) => s + v, 0) / 21, 9);
    // The label tells what was used: 21 days averaged of the 34 eligible ones (one day was an event).
    expect(b.method).toBe('High21of34');
    expect(b.days).toHaveLength(21);
    expect(b.days).not.toContain(history[20]!.date);
  });

  it('LowXofY averages the X lowest for a weekend event', () => {
    const b = baselineHighLowXofY(history, '2026-11-28', '2026-11-24', 24);
    expect(b.method).toBe('Low14of34');
    expect(b.values[5]).toBeCloseTo((1000 + 1013) / 2, 9);
  });

  it('refuses a baseline below the minimum history and says how many days there were, never averaging fewer silently', () => {
    const short = history.slice(-14); // 14 days, none an event
    const error = (() => { try { baselineHighLowXofY(short, '2026-11-24', '2026-11-24', 24); } catch (e) { return e; } return undefined; })();
    expect(error).toBeInstanceOf(InsufficientHistoryError);
    expect(error).toMatchObject({ eligibleDays: 14, requiredDays: 21 });
    // A weekend event needs 14: these are enough.
    expect(baselineHighLowXofY(short, '2026-11-28', '2026-11-24', 24).method).toBe('Low14of14');
    // A program may ask for less (or more) history than X.
    expect(baselineHighLowXofY(short, '2026-11-24', '2026-11-24', 24, { minDays: 10 }).method).toBe('High14of14');
    expect(() => baselineHighLowXofY(history, '2026-11-24', '2026-11-24', 24, { minDays: 40 })).toThrow(InsufficientHistoryError);
  });

  it('counts the Y candidate days back from the notification day, or from the event day as the seed\'s experiment did', () => {
    // Notified on 11-17 for an event on 11-24: by default the week in between is not a candidate.
    const fromNotification = baselineHighLowXofY(history, '2026-11-24', '2026-11-17', 24, { minDays: 1 });
    expect(fromNotification.days.every((d) => d < '2026-11-17')).toBe(true);
    expect(fromNotification.method).toBe('High21of27');
    const fromEvent = baselineHighLowXofY(history, '2026-11-24', '2026-11-17', 24, { countFrom: 'event' });
    expect(fromEvent.days).toContain('2026-11-23');
    expect(fromEvent.method).toBe('High21of34');
  });

  it('measures baseline accuracy by back-casting recent ordinary days over the event window', () => {
    const flat = dates('2026-10-20', 35).map((d) => day(d, 1000));
    expect(baselineAccuracy(flat, '2026-11-24', 24, { start: 8, end: 18 })).toMatchObject({ relativeRmse: 0, relativeBias: 0 });
    expect(baselineAccuracy(flat, '2026-11-24', 24, { start: 8, end: 18 })!.days).toHaveLength(10);
    // Alternating 500 W and 1500 W days: no average of past days predicts that well.
    const jumpy = dates('2026-10-20', 35).map((d, n) => day(d, n % 2 ? 1500 : 500));
    expect(baselineAccuracy(jumpy, '2026-11-24', 24, { start: 8, end: 18 })!.relativeRmse).toBeGreaterThan(0.4);
    // A load rising day by day: past days lie below each new one, so the baseline under-predicts.
    const rising = dates('2026-10-20', 35).map((d, n) => day(d, 1000 + 20 * n));
    const r = baselineAccuracy(rising, '2026-11-24', 24, { start: 8, end: 18 })!;
    expect(r.relativeBias).toBeLessThan(0);
    expect(r.relativeRmse).toBeGreaterThanOrEqual(Math.abs(r.relativeBias));
    // Too little history to back-cast five days: no figure rather than a guess.
    expect(baselineAccuracy(flat.slice(-24), '2026-11-24', 24, { start: 8, end: 18 })).toBeUndefined();
  });

  it('does not depend on the order of the history', () => {
    fc.assert(fc.property(fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }), (shuffled) => {
      expect(baselineHighLowXofY(shuffled, '2026-11-24', '2026-11-24', 24)).toEqual(baselineHighLowXofY(history, '2026-11-24', '2026-11-24', 24));
    }), { numRuns: 50 });
  });

  it('ignores days on or after the notification day and refuses an empty or duplicated history', () => {
    const later = [...history, day('2026-11-24', 99_999)];
    expect(baselineHighLowXofY(later, '2026-11-24', '2026-11-24', 24)).toEqual(baselineHighLowXofY(history, '2026-11-24', '2026-11-24', 24));
    expect(() => baselineHighLowXofY([], '2026-11-24', '2026-11-24', 24)).toThrow(ContractInputError);
    expect(() => baselineHighLowXofY([history[0]!, history[0]!], '2026-11-24', '2026-11-24', 24)).toThrow(/two profiles/);
  });

  it('Avg10of10 takes the 10 most recent non-event weekdays and caps the day-of adjustment at 20%', () => {
    const event = { start: 12, end: 16 };
    const plain = baselineAverage10of10(history, '2026-11-24', 24, event);
    expect(plain.days).toHaveLength(10);
    expect(plain.days.every((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))).toBe(true);
    const hot = baselineAverage10of10(history, '2026-11-24', 24, event, { dayOf: new Array(24).fill(5000) });
    expect(hot.values[13]).toBeCloseTo(plain.values[13]! * 1.2, 9);
    expect(hot.values[2]).toBeCloseTo(plain.values[2]!, 9);
  });

  it('High4of5 keeps the 4 of the last 5 weekdays with the highest load in the event window', () => {
    const b = baselineHigh4of5(history, '2026-11-24', 24, { start: 7, end: 19 });
    expect(b.days).toHaveLength(4);
    expect(b.days).toEqual(['2026-11-23', '2026-11-20', '2026-11-19', '2026-11-18']);
  });

  it('meter-before holds the load just before the event flat through it', () => {
    const today = Array.from({ length: 24 }, (_, h) => 100 * h);
    expect(baselineMeterBeforeMeterAfter(today, { start: 10, end: 12 }, 2).values.slice(9, 13)).toEqual([900, 850, 850, 1200]);
  });
});

describe('availability', () => {
  it('starts neutral and follows eq. 4.5–4.6', () => {
    const a0 = initialAvailability(4);
    expect(a0).toEqual([0.5, 0.5, 0.5, 0.5]);
    // Asked 1000 of 2000 W (difficulty 0.5), met the target exactly (compliance 1): A* = 0.2·0.5 + 0.8·1 = 0.9.
    const a1 = updateAvailability(a0, [2000, 2000, 2000, 2000], [1000, 1000, undefined, 1000], [1000, 1970, 1234, 3000]);
    expect(a1[0]).toBeCloseTo(0.2 * 0.9 + 0.8 * 0.5, 12);
    // Missed by 970 W: compliance 30/1000.
    expect(a1[1]).toBeCloseTo(0.2 * (0.2 * 0.5 + 0.8 * 0.03) + 0.8 * 0.5, 12);
    expect(a1[2]).toBe(0.5);
    expect(a1.every((a) => a >= 0 && a <= 1)).toBe(true);
  });
  it('keeps the availability of an interval where no reduction was asked: a target at the baseline, or a zero baseline', () => {
    // Interval 0: asked nothing (target = baseline); 1: zero baseline; 2: a target above the baseline; 3: asked.
    const a1 = updateAvailability([0.5, 0, 0.3, 0.5], [2000, 0, 1000, 2000], [2000, 0, 1500, 1000], [2500, 800, 900, 1000]);
    expect(a1.slice(0, 3)).toEqual([0.5, 0, 0.3]);
    expect(a1[3]).toBeCloseTo(0.2 * 0.9 + 0.8 * 0.5, 12);
  });
});

const customers = fc.array(
  fc.record({ baseline: fc.integer({ min: 0, max: 6000 }), availability: fc.double({ min: 0, max: 1, noNaN: true }) }),
  { minLength: 1, maxLength: 30 },
).map((cs) => cs.map((c, i) => ({ customerId: `c${String(i).padStart(3, '0')}`, baseline: [c.baseline], availability: [c.availability] })));

describe('allocation', () => {
  it('sums to the request, or to the whole cluster with the rest reported as shortfall; no target below zero', () => {
    fc.assert(fc.property(customers, fc.integer({ min: 0, max: 200_000 }), (cluster, phi) => {
      const result = allocate([phi], cluster);
      const assigned = result.customers.reduce((s, c) => s + c.reduction[0]!, 0);
      const capacity = cluster.reduce((s, c) => s + c.baseline[0]!, 0);
      expect(assigned + result.shortfall[0]!).toBeCloseTo(phi, 2);
      if (phi <= capacity) expect(phi - assigned).toBeLessThanOrEqual(0.001 + 1e-9);
      else expect(result.shortfall[0]).toBeCloseTo(phi - capacity, 2);
      for (const c of result.customers) {
        expect(c.reduction[0]).toBeGreaterThanOrEqual(0);
        expect(c.target[0]).toBeGreaterThanOrEqual(-1e-9);
      }
    }));
  });

  it('does not depend on the order of the customers', () => {
    fc.assert(fc.property(customers, fc.integer({ min: 1, max: 50_000 }), (cluster, phi) => {
      const reversed = allocate([phi], [...cluster].reverse());
      expect(reversed).toEqual(allocate([phi], cluster));
    }), { numRuns: 50 });
  });

  it('asks more of the more available customer at equal baselines', () => {
    const result = allocate([1000], [
      { customerId: 'reliable', baseline: [2000], availability: [1] },
      { customerId: 'reluctant', baseline: [2000], availability: [0] },
    ]);
    const [reliable, reluctant] = result.customers;
    expect(reliable!.reduction[0]! + reluctant!.reduction[0]!).toBeCloseTo(1000, 2);
    expect(reliable!.reduction[0]!).toBeGreaterThan(reluctant!.reduction[0]!);
  });
});

describe('reward', () => {
  it('pays the square of the reduction below baseline in event intervals only, nothing for increases', () => {
    const baseline = [2000, 2000, 2000, 2000];
    const s = settle(baseline, [1000, 2500, 1500, 500], [1000, 1000, undefined, undefined], { scale: 10, intervalHours: 0.25 });
    // Interval 0: 1 kW below for 0.25 h → 0.25 (kW)²h; interval 1: above the baseline → 0; 2 and 3 are not in the event.
    expect(s.reward).toBeCloseTo(10 * 0.25, 12);
    expect(s).toMatchObject({ deliveredWh: 250, requestedWh: 500, compliantIntervals: 1, eventIntervals: 2, performance: 0.5 });
  });

  it('gives the same reward for the same shape at hourly and quarter-hour resolution', () => {
    const hourly = settle([3000], [2000], [2000], { scale: 1, intervalHours: 1 });
    const quarter = settle([3000, 3000, 3000, 3000], [2000, 2000, 2000, 2000], [2000, 2000, 2000, 2000], { scale: 1, intervalHours: 0.25 });
    expect(quarter.reward).toBeCloseTo(hourly.reward, 12);
  });
});
