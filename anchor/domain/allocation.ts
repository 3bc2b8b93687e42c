import { ContractInputError } from '../errors.js';


export interface AllocationCustomer {
  readonly customerId: string;
  /** Baseline per interval (W). */
  readonly baseline: readonly number[];
  /** Availability per interval, in [0, 1]. */
  readonly availability: readonly number[];
}

export interface CustomerAllocation {
  readonly customerId: string;
  /** Reduction asked of the customer per interval (W), 0 ≤ reduction ≤ baseline. */
  readonly reduction: number[];
  /** Target load per interval (W): baseline − reduction (the baseline where nothing is asked). */
  readonly target: number[];
}

export interface Allocation {
  readonly customers: CustomerAllocation[];
  /** Per interval: what the cluster could not take (W); 0 when the request is covered. */
  readonly shortfall: number[];
  /** Iterations of the residual loop per interval (for inspection). */
  readonly iterations: number[];
}

export interface AllocationOptions {
  /** Stop when the residual is at or below this many W (default 0.001 W). */
  readonly threshold?: number;
  readonly maxIterations?: number;
}

/**
 * Seed 002 eq. 4.7–4.9, per interval h with a requested reduction φ > 0. Step j gives each
 * customer c of the cluster CLⱼ the share Ψ = φⱼ·(1+A_c)/2·P̄_c/P̄(CLⱼ) of the residual φⱼ, never
 * taking its total reduction above its baseline; CLⱼ₊₁ keeps the customers still below their
 * baseline, and φⱼ₊₁ = φ − (everything assigned so far, to every customer). The loop ends when
 * the residual is below the threshold (covered) or no customer can take more (shortfall).
 * Customers are processed in customerId order, so the result never depends on input order.
 */
export function allocate(request: readonly number[], customers: readonly AllocationCustomer[], options: AllocationOptions = {}): Allocation {
  const n = request.length;
  const threshold = options.threshold ?? 0.001;
  const maxIterations = options.maxIterations ?? 10_000;
  const ordered = [...customers].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  for (let i = 1; i < ordered.length; i++) if (ordered[i]!.customerId === ordered[i - 1]!.customerId) throw new ContractInputError(`customer ${ordered[i]!.customerId} appears twice`);
  for (const c of ordered) {
    if (c.baseline.length !== n || c.availability.length !== n) throw new ContractInputError(`${c.customerId}: baseline and availability need ${n} intervals`);
    if (c.baseline.some((v) => !Number.isFinite(v) || v < 0)) throw new ContractInputError(`${c.customerId}: baseline must be finite and non-negative`);
    if (c.availability.some((a) => !(a >= 0 && a <= 1))) throw new ContractInputError(`${c.customerId}: availability must be within [0, 1]`);
  }
  if (request.some((v) => !Number.isFinite(v))) throw new ContractInputError('request must be finite');
  const reductions = ordered.map(() => new Array<number>(n).fill(0));
  const shortfall = new Array<number>(n).fill(0);
  const iterations = new Array<number>(n).fill(0);

  for (let h = 0; h < n; h++) {
    const phi = request[h]!;
    if (phi <= 0) continue; // only reductions are allocated (seed §4.5)
    let assigned = 0;
    let steps = 0;
    for (;;) {
      const residual = phi - assigned;
      if (residual <= threshold) break;
      const cluster = ordered.map((c, i) => i).filter((i) => reductions[i]![h]! < ordered[i]!.baseline[h]!);
      const clusterBaseline = cluster.reduce((s, i) => s + ordered[i]!.baseline[h]!, 0);
      if (cluster.length === 0 || clusterBaseline <= 0 || steps >= maxIterations) {
        shortfall[h] = residual;
        break;
      }
      for (const i of cluster) {
        const c = ordered[i]!;
        const share = residual * ((1 + c.availability[h]!) / 2) * (c.baseline[h]! / clusterBaseline);
        const take = Math.min(share, c.baseline[h]! - reductions[i]![h]!);
        reductions[i]![h]! += take;
        assigned += take;
      }
      steps++;
    }
    iterations[h] = steps;
  }
  return {
    customers: ordered.map((c, i) => ({ customerId: c.customerId, reduction: reductions[i]!, target: c.baseline.map((b, h) => b - reductions[i]![h]!) })),
    shortfall,
    iterations,
  };
}
