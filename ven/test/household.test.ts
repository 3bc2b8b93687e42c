import { simulateHouseholdDay } from '../simulator/household.js';

describe('household simulator', () => {
  it('is reproducible from its seed and aggregates minutes into quarter-hour readings', () => {
    const a = simulateHouseholdDay(42, 3);
    expect(simulateHouseholdDay(42, 3)).toEqual(a);
    expect(simulateHouseholdDay(43, 3).readingsW).not.toEqual(a.readingsW);
    expect(a.minuteW).toHaveLength(1440);
    expect(a.readingsW).toHaveLength(96);
    const slot = 40;
    expect(a.readingsW[slot]).toBe(Math.round(a.minuteW.slice(slot * 15, slot * 15 + 15).reduce((s, v) => s + v, 0) / 15));
    expect(a.readingsW.every((w) => w > 0 && w < 8000)).toBe(true);
  });

  it('moves its shiftable appliances out of an event when it complies, and keeps its day when it ignores it', () => {
    // Find a seeded day whose dishwasher runs in the early afternoon, then ask for a reduction there.
    let day = 0;
    let usual = simulateHouseholdDay(7, day);
    while (!usual.runs.some((r) => r.name === 'dishwasher' && r.start >= 48 && r.start <= 56)) usual = simulateHouseholdDay(7, ++day);
    const dishwasher = usual.runs.find((r) => r.name === 'dishwasher')!;
    const start = dishwasher.start;
    const end = start + dishwasher.slots;
    const targetW = usual.readingsW.map((w, k) => (k >= start && k < end ? Math.max(usual.fixedW[k]!, w - 1500) : undefined));
    const ignoring = simulateHouseholdDay(7, day, { targetW, comply: false });
    const complying = simulateHouseholdDay(7, day, { targetW, comply: true });
    expect(ignoring.readingsW).toEqual(usual.readingsW);
    for (let k = start; k < end; k++) expect(complying.readingsW[k]!).toBeLessThanOrEqual(targetW[k]! + 50);
    const moved = complying.runs.find((r) => r.name === 'dishwasher')!;
    expect(moved.start + moved.slots <= start || moved.start >= end).toBe(true);
    // Shifting keeps the energy: the same appliances run, only later or earlier.
    const energy = (w: number[]): number => w.reduce((s, v) => s + v, 0);
    expect(Math.abs(energy(complying.minuteW) - energy(usual.minuteW))).toBeLessThan(1e-6);
  });
});
