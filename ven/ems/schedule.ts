import { EmsInputError } from '../errors.js';
/**
 * The household EMS of seed 002 §5.6: shift flexible appliances to minimise the supply cost
 * (eq. 5.1) while the load stays within ε above the DR target during the event (eq. 5.5–5.7) and
 * never exceeds the contractual power (eq. 5.9); each appliance runs as often as it usually does
 * (eq. 5.8) — here as one contiguous run of its rated power, which is how dishwashers and kettles run.
 */
export interface FlexibleAppliance {
  readonly name: string;
  /** Rated power P*flex (W). */
  readonly ratedW: number;
  /** Run length in slots. */
  readonly runSlots: number;
  /** Where it usually starts (defines the baseline's flexible part). */
  readonly usualStart: number;
  /** Allowed start slots [earliest, latest] (the run must also end within the day). */
  readonly earliestStart: number;
  readonly latestStart: number;
}

export interface EmsProblem {
  /** Slots per day (96 for quarter-hours). */
  readonly slots: number;
  /** Fixed, non-shiftable load per slot (W). */
  readonly fixedW: readonly number[];
  readonly appliances: readonly FlexibleAppliance[];
  /** Price per slot (any currency per kWh). */
  readonly pricePerKWh: readonly number[];
  /** DR target per slot (W); undefined outside the event. */
  readonly targetW: readonly (number | undefined)[];
  /** Tolerance ε above the target (W). */
  readonly epsilonW: number;
  readonly contractW: number;
  /** Also require P ≥ target − ε in the event (the issue's |P − target| ≤ ε; the seed's eq. 5.7 is one-sided). */
  readonly twoSided?: boolean;
  /** Largest number of start combinations searched exhaustively (beyond it: the greedy heuristic). */
  readonly exhaustiveLimit?: number;
}

export interface EmsSchedule {
  readonly starts: Record<string, number>;
  /** Resulting load per slot (W). */
  readonly loadW: number[];
  readonly cost: number;
  readonly usualCost: number;
  readonly method: 'exhaustive' | 'greedy';
  /** Slots where no schedule met the constraints (empty when feasible). */
  readonly violations: string[];
}

function loadOf(problem: EmsProblem, starts: readonly number[]): number[] {
  const load = [...problem.fixedW];
  problem.appliances.forEach((a, i) => { for (let k = 0; k < a.runSlots; k++) load[starts[i]! + k]! += a.ratedW; });
  return load;
}

function costOf(problem: EmsProblem, load: readonly number[]): number {
  const hours = 24 / problem.slots;
  return load.reduce((sum, w, k) => sum + (w / 1000) * hours * problem.pricePerKWh[k]!, 0);
}

function violations(problem: EmsProblem, load: readonly number[]): string[] {
  const out: string[] = [];
  load.forEach((w, k) => {
    if (w > problem.contractW) out.push(`slot ${k}: ${w} W above the contractual ${problem.contractW} W`);
    const t = problem.targetW[k];
    if (t !== undefined && w > t + problem.epsilonW) out.push(`slot ${k}: ${w} W above the target ${t} W + ε`);
    if (t !== undefined && problem.twoSided && w < t - problem.epsilonW) out.push(`slot ${k}: ${w} W below the target ${t} W − ε`);
  });
  return out;
}

function candidates(problem: EmsProblem, a: FlexibleAppliance): number[] {
  const out: number[] = [];
  for (let s = Math.max(0, a.earliestStart); s <= Math.min(a.latestStart, problem.slots - a.runSlots); s++) out.push(s);
  return out;
}

/** Exact by exhaustive search for small cases; a documented greedy heuristic beyond. Deterministic. */
export function scheduleFlexibleLoads(problem: EmsProblem): EmsSchedule {
  if (problem.fixedW.length !== problem.slots || problem.pricePerKWh.length !== problem.slots || problem.targetW.length !== problem.slots) {
    throw new EmsInputError('EMS: fixed load, prices and targets need one value per slot');
  }
  const options = problem.appliances.map((a) => candidates(problem, a));
  if (options.some((o) => o.length === 0)) throw new EmsInputError('EMS: an appliance has no allowed start');
  const usual = problem.appliances.map((a) => a.usualStart);
  const usualCost = costOf(problem, loadOf(problem, usual));
  const combinations = options.reduce((n, o) => n * o.length, 1);
  // Among equally cheap feasible schedules, prefer the one that moves appliances least.
  const shift = (starts: readonly number[]): number => starts.reduce((s, v, i) => s + Math.abs(v - usual[i]!), 0);
  const better = (a: { cost: number; starts: number[] }, b: { cost: number; starts: number[] } | undefined): boolean =>
    !b || a.cost < b.cost - 1e-12 || (Math.abs(a.cost - b.cost) <= 1e-12 && shift(a.starts) < shift(b.starts));

  if (combinations <= (problem.exhaustiveLimit ?? 2_000_000)) {
    let best: { cost: number; starts: number[] } | undefined;
    // When nothing is feasible, the schedule with the fewest violated slots is returned, with them listed.
    let leastBad: { count: number; cost: number; starts: number[] } | undefined;
    const starts = new Array<number>(options.length).fill(0);
    const walk = (i: number): void => {
      if (i === options.length) {
        const load = loadOf(problem, starts);
        const count = violations(problem, load).length;
        const cost = costOf(problem, load);
        if (count > 0) {
          if (!best && (!leastBad || count < leastBad.count || (count === leastBad.count && cost < leastBad.cost))) leastBad = { count, cost, starts: [...starts] };
          return;
        }
        const candidate = { cost, starts: [...starts] };
        if (better(candidate, best)) best = candidate;
        return;
      }
      for (const s of options[i]!) { starts[i] = s; walk(i + 1); }
    };
    walk(0);
    return result(problem, (best ?? leastBad)!.starts, usualCost, 'exhaustive');
  }
  // Greedy: largest energy first, each at its cheapest start that keeps the partial schedule feasible.
  const order = problem.appliances.map((a, i) => i).sort((x, y) => problem.appliances[y]!.ratedW * problem.appliances[y]!.runSlots - problem.appliances[x]!.ratedW * problem.appliances[x]!.runSlots || x - y);
  const chosen = [...usual];
  const placed = new Set<number>();
  for (const i of order) {
    let best: { cost: number; starts: number[] } | undefined;
    for (const s of options[i]!) {
      const starts = [...chosen];
      starts[i] = s;
      const partial: EmsProblem = { ...problem, appliances: problem.appliances.filter((_, j) => placed.has(j) || j === i) };
      const partialStarts = starts.filter((_, j) => placed.has(j) || j === i);
      const load = loadOf(partial, partialStarts);
      if (violations(problem, load).length) continue;
      const candidate = { cost: costOf(problem, loadOf(problem, starts)), starts };
      if (better(candidate, best)) best = candidate;
    }
    if (best) chosen[i] = best.starts[i]!;
    placed.add(i);
  }
  return result(problem, chosen, usualCost, 'greedy');
}

function result(problem: EmsProblem, starts: readonly number[], usualCost: number, method: 'exhaustive' | 'greedy'): EmsSchedule {
  const load = loadOf(problem, starts);
  return {
    starts: Object.fromEntries(problem.appliances.map((a, i) => [a.name, starts[i]!])),
    loadW: load, cost: costOf(problem, load), usualCost, method, violations: violations(problem, load),
  };
}

/** Italian three-band tariff (ARERA F1/F2/F3) per 15-minute slot of a weekday. */
export function threeBandPrices(onPeak: number, midPeak: number, offPeak: number, slots = 96): number[] {
  return Array.from({ length: slots }, (_, k) => {
    const hour = (k * 24) / slots;
    if (hour >= 8 && hour < 19) return onPeak; // F1
    if ((hour >= 7 && hour < 8) || (hour >= 19 && hour < 23)) return midPeak; // F2
    return offPeak; // F3
  });
}
