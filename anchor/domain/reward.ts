import { ContractInputError } from '../errors.js';


export interface RewardOptions {
  /** Tokens per (kW)²·h of reduction below the baseline, set per program. */
  readonly scale: number;
  /** Length of one interval in hours (0.25 for quarter-hours, 1 for the seed's hours). */
  readonly intervalHours: number;
  /** Compliance tolerance per interval (W) around the target: the seed's σ by default. */
  readonly toleranceW?: number;
}

export interface Settlement {
  /** Tokens earned. */
  readonly reward: number;
  /** Energy reduced below the baseline during the event (Wh, reductions only). */
  readonly deliveredWh: number;
  /** Energy asked for (Wh). */
  readonly requestedWh: number;
  /** Event intervals where the load stayed at or below target + tolerance. */
  readonly compliantIntervals: number;
  readonly eventIntervals: number;
  /** deliveredWh ÷ requestedWh (1 = did what was asked); 0 when nothing was asked. */
  readonly performance: number;
}

/**
 * Seed 002 eq. 4.10 over the event intervals only: r = scale · Σₕ Δt·H(P̄_B − P)·(P̄_B − P)², with
 * the reduction in kW and Δt the interval length in hours, so that quarter-hour and hourly data
 * give the same reward for the same load shape. H is the Heaviside step: increases earn nothing.
 */
export function settle(baseline: readonly number[], measured: readonly number[], target: readonly (number | undefined)[], options: RewardOptions): Settlement {
  const n = baseline.length;
  if (measured.length !== n || target.length !== n) throw new ContractInputError('settlement: all vectors need the same number of intervals');
  if (!(options.scale >= 0) || !(options.intervalHours > 0)) throw new ContractInputError('settlement: scale ≥ 0 and intervalHours > 0');
  const tolerance = options.toleranceW ?? 30;
  let reward = 0, delivered = 0, requested = 0, compliant = 0, events = 0;
  for (let h = 0; h < n; h++) {
    const t = target[h];
    if (t === undefined) continue;
    events++;
    const reductionW = baseline[h]! - measured[h]!;
    if (reductionW > 0) {
      reward += options.intervalHours * (reductionW / 1000) ** 2;
      delivered += reductionW * options.intervalHours;
    }
    requested += Math.max(0, baseline[h]! - t) * options.intervalHours;
    if (measured[h]! <= t + tolerance) compliant++;
  }
  return {
    reward: reward * options.scale, deliveredWh: delivered, requestedWh: requested,
    compliantIntervals: compliant, eventIntervals: events, performance: requested > 0 ? delivered / requested : 0,
  };
}
