import { ContractInputError } from '../errors.js';


export interface AvailabilityParameters {
  /** Weight of the difficulty term (seed: 0.2). */
  readonly beta: number;
  /** Meter sensitivity in W (seed: 30 W). */
  readonly sigma: number;
  /** Learning rate of the running availability (seed: 0.2). */
  readonly alpha: number;
  /** Availability of an interval the customer has never been asked for (seed: 0.5). */
  readonly initial: number;
}

export const SEED_AVAILABILITY: AvailabilityParameters = { beta: 0.2, sigma: 30, alpha: 0.2, initial: 0.5 };

export function initialAvailability(intervals: number, parameters: AvailabilityParameters = SEED_AVAILABILITY): number[] {
  return new Array<number>(intervals).fill(parameters.initial);
}

/**
 * Seed 002 eq. 4.5–4.6 after DR event i. For each event interval h (where `target[h]` is set):
 * A*ₕ = β·ΔP_B/P̄_B + (1−β)·σ/(σ+ΔP_DR), with ΔP_B = |P̄_B − P_t| (how much was asked, the
 * difficulty, clamped to [0, 1] of the baseline) and ΔP_DR = |P − P_t| (how far the measured load
 * stayed from the target, the compliance); then Aₕ = α·A*ₕ + (1−α)·Aₕ₋₁. The seed defines the
 * difficulty ΔP_B/P̄_B on (0, 1]: only an interval where a reduction was asked (a positive
 * baseline and a target below it) is updated; every other interval keeps its availability, so a
 * customer is never judged where nothing was asked of it.
 */
export function updateAvailability(
  previous: readonly number[], baseline: readonly number[], target: readonly (number | undefined)[], measured: readonly number[],
  parameters: AvailabilityParameters = SEED_AVAILABILITY,
): number[] {
  const n = previous.length;
  if (baseline.length !== n || target.length !== n || measured.length !== n) throw new ContractInputError('availability: all vectors need the same number of intervals');
  const { beta, sigma, alpha } = parameters;
  if (!(beta >= 0 && beta <= 1 && alpha >= 0 && alpha <= 1 && sigma > 0)) throw new ContractInputError('availability: need 0 ≤ β ≤ 1, 0 ≤ α ≤ 1, σ > 0');
  return previous.map((a, h) => {
    const t = target[h];
    const b = baseline[h]!;
    if (t === undefined || !(b > 0) || !(t < b)) return a;
    const difficulty = Math.min(1, (b - t) / b);
    const compliance = sigma / (sigma + Math.abs(measured[h]! - t));
    const instant = beta * difficulty + (1 - beta) * compliance;
    return alpha * instant + (1 - alpha) * a;
  });
}
