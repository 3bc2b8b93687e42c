import { scheduleFlexibleLoads, threeBandPrices, type EmsProblem } from '../ems/schedule.js';

// Seed 002 §5.6, Table 5.2: dishwasher 2060 W and kettle 1853 W, 3300 W contract, 1000 W reduction
// from 10:30 for 2.25 h, Italian three-band prices (7.666 / 6.799 / 6.799 c€/kWh).
function seedCase(): EmsProblem {
  const slots = 96;
  // A plain fixed load (fridge, lighting, standby), higher in the morning and evening.
  const fixedW = Array.from({ length: slots }, (_, k) => (k >= 28 && k < 36 ? 550 : k >= 72 && k < 88 ? 700 : 350));
  const appliances = [
    // Usually the dishwasher (a 2.25 h cycle) runs right in the DR window and the kettle at 09:00 (both on-peak).
    { name: 'dishwasher', ratedW: 2060, runSlots: 9, usualStart: 42, earliestStart: 0, latestStart: 87 },
    { name: 'kettle', ratedW: 1853, runSlots: 1, usualStart: 36, earliestStart: 24, latestStart: 95 },
  ];
  const usualLoad = [...fixedW];
  for (const a of appliances) for (let k = 0; k < a.runSlots; k++) usualLoad[a.usualStart + k]! += a.ratedW;
  const start = 42; // 10:30
  const end = start + 9; // 2.25 h
  const targetW = usualLoad.map((w, k) => (k >= start && k < end ? w - 1000 : undefined));
  return { slots, fixedW, appliances, pricePerKWh: threeBandPrices(7.666, 6.799, 6.799), targetW, epsilonW: 50, contractW: 3300 };
}

describe('EMS (seed 002 §5.6)', () => {
  it('reproduces the seed case: the dishwasher leaves the DR window for off-peak, the kettle moves to cheaper hours', () => {
    const problem = seedCase();
    const schedule = scheduleFlexibleLoads(problem);
    expect(schedule.method).toBe('exhaustive');
    expect(schedule.violations).toEqual([]);
    const dishwasher = schedule.starts.dishwasher!;
    const kettle = schedule.starts.kettle!;
    // Out of the event window (slots 42–50) and out of the on-peak band 08:00–19:00 (slots 32–75).
    expect(dishwasher + 9 <= 32 || dishwasher >= 76).toBe(true);
    expect(kettle < 32 || kettle >= 76).toBe(true);
    expect(schedule.loadW.every((w) => w <= 3300)).toBe(true);
    for (let k = 42; k < 51; k++) expect(schedule.loadW[k]!).toBeLessThanOrEqual(problem.targetW[k]! + 50);
    expect(schedule.cost).toBeLessThan(schedule.usualCost);
    // Among equally cheap schedules the one moving appliances least: the kettle right after 19:00 or before 08:00.
    expect([31, 76]).toContain(kettle);
  });

  it('refuses to overlap the two appliances where the contractual power would be exceeded', () => {
    const problem = { ...seedCase(), appliances: seedCase().appliances.map((a) => ({ ...a, earliestStart: 0, latestStart: 0 })) };
    const schedule = scheduleFlexibleLoads(problem);
    expect(schedule.violations.some((v) => v.includes('contractual'))).toBe(true);
  });

  it('falls back to the documented greedy heuristic beyond the exhaustive limit and still meets the constraints here', () => {
    const schedule = scheduleFlexibleLoads({ ...seedCase(), exhaustiveLimit: 10 });
    expect(schedule.method).toBe('greedy');
    expect(schedule.violations).toEqual([]);
    expect(schedule.cost).toBeLessThan(schedule.usualCost);
  });
});
