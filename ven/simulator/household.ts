import { scheduleFlexibleLoads, threeBandPrices, type FlexibleAppliance } from '../ems/schedule.js';

/** Seeded PRNG (mulberry32): the same seed gives the same household, day after day. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ShiftableKind {
  readonly name: 'washing machine' | 'dryer' | 'dishwasher';
  readonly ratedW: number;
  readonly minutes: number;
  /** Probability that it runs on a given day. */
  readonly daily: number;
  /** Usual start: hour of day, mean and spread. */
  readonly hour: number;
  readonly spread: number;
}

const SHIFTABLE: readonly ShiftableKind[] = [
  { name: 'washing machine', ratedW: 2000, minutes: 90, daily: 0.5, hour: 9, spread: 2 },
  { name: 'dryer', ratedW: 2500, minutes: 60, daily: 0.3, hour: 11, spread: 2 },
  { name: 'dishwasher', ratedW: 2060, minutes: 135, daily: 0.8, hour: 13, spread: 3 },
];

export interface HouseholdDay {
  /** Power per minute (W), 1440 values. */
  readonly minuteW: number[];
  /** Average power per quarter-hour (W), 96 values: what the meter reports. */
  readonly readingsW: number[];
  /** The non-shiftable part per quarter-hour. */
  readonly fixedW: number[];
  /** Where each shiftable appliance ran (start slot, quarter-hours). */
  readonly runs: { name: string; start: number; slots: number; ratedW: number }[];
}

export interface EventInstruction {
  /** Target per quarter-hour during the event (W); undefined outside it. */
  readonly targetW: readonly (number | undefined)[];
  /** Comply: the EMS reschedules the shiftable appliances; ignore: the usual day. */
  readonly comply: boolean;
  readonly contractW?: number;
  readonly epsilonW?: number;
}

/**
 * A residential load at 1-minute resolution: standby, a cycling fridge, lighting, cooking and
 * television (not shiftable), and a washing machine, dryer and dishwasher (shiftable), drawn from
 * a seeded generator; aggregated to the 15-minute readings a meter reports. Given an event, a
 * complying household lets the EMS move its shiftable appliances; another lives its usual day.
 */
export function simulateHouseholdDay(seed: number, dayIndex: number, event?: EventInstruction): HouseholdDay {
  const random = seededRandom(seed * 100_003 + dayIndex * 7_919);
  const gauss = (): number => { let s = 0; for (let i = 0; i < 6; i++) s += random(); return s - 3; };
  const fixedMinute = new Array<number>(1440).fill(40 + Math.round(random() * 40)); // standby
  const fridgePhase = Math.floor(random() * 45);
  for (let m = 0; m < 1440; m++) if ((m + fridgePhase) % 45 < 15) fixedMinute[m]! += 110; // fridge compressor
  const add = (from: number, minutes: number, watts: number): void => { for (let m = Math.max(0, from); m < Math.min(1440, from + minutes); m++) fixedMinute[m]! += watts; };
  add(6 * 60 + Math.round(gauss() * 20), 90, 80 + random() * 100); // morning lights
  add(18 * 60 + Math.round(gauss() * 30), 300, 120 + random() * 200); // evening lights
  if (random() < 0.7) add(12 * 60 + 15 + Math.round(gauss() * 20), 25 + Math.round(random() * 20), 1800); // lunch cooking
  add(19 * 60 + 15 + Math.round(gauss() * 25), 30 + Math.round(random() * 20), 2000); // dinner cooking
  add(20 * 60 + Math.round(gauss() * 30), 150, 90); // television
  const usual: FlexibleAppliance[] = [];
  for (const kind of SHIFTABLE) {
    if (random() >= kind.daily) continue;
    const slots = Math.ceil(kind.minutes / 15);
    const start = Math.min(96 - slots, Math.max(0, Math.round((kind.hour + gauss() * kind.spread) * 4)));
    usual.push({ name: kind.name, ratedW: kind.ratedW, runSlots: slots, usualStart: start, earliestStart: 0, latestStart: 96 - slots });
  }
  const fixedW = Array.from({ length: 96 }, (_, k) => Math.round(fixedMinute.slice(k * 15, k * 15 + 15).reduce((s, v) => s + v, 0) / 15));
  let starts = Object.fromEntries(usual.map((a) => [a.name, a.usualStart]));
  if (event?.comply && usual.length) {
    const schedule = scheduleFlexibleLoads({
      slots: 96, fixedW, appliances: usual, pricePerKWh: threeBandPrices(7.666, 6.799, 6.799), targetW: event.targetW,
      epsilonW: event.epsilonW ?? 50, contractW: event.contractW ?? 6000,
    });
    starts = schedule.starts;
  }
  const minuteW = [...fixedMinute];
  const runs = usual.map((a) => ({ name: a.name, start: starts[a.name]!, slots: a.runSlots, ratedW: a.ratedW }));
  for (const r of runs) for (let m = r.start * 15; m < Math.min(1440, (r.start + r.slots) * 15); m++) minuteW[m]! += r.ratedW;
  const readingsW = Array.from({ length: 96 }, (_, k) => Math.round(minuteW.slice(k * 15, k * 15 + 15).reduce((s, v) => s + v, 0) / 15));
  return { minuteW, readingsW, fixedW, runs };
}
