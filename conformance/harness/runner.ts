import { CaseFailure, NotApplicable, type CaseRun, type ConformanceCase, type Exchange } from './case.js';

export type Outcome = 'pass' | 'fail' | 'n/a';

export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly requirement: string;
  readonly outcome: Outcome;
  /** Why it failed or does not apply. */
  readonly reason?: string;
  readonly durationMs: number;
  readonly exchanges: readonly Exchange[];
}

/**
 * Runs the cases one after another (they share the system under test); `progress` sees each
 * result. `context` may set the system up for one case and return how to tear it down.
 */
export async function runCases<T, C extends CaseRun>(
  cases: readonly ConformanceCase<T, C>[], target: T,
  context: (c: ConformanceCase<T, C>) => C | Promise<C>,
  progress: (result: CaseResult, index: number, total: number) => void = () => undefined,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const [index, c] of cases.entries()) {
    const started = Date.now();
    const reasonNa = c.notApplicable?.(target);
    let result: CaseResult;
    if (reasonNa !== undefined) {
      result = { id: c.id, title: c.title, requirement: c.requirement, outcome: 'n/a', reason: reasonNa, durationMs: 0, exchanges: [] };
    } else {
      let exchanges: readonly Exchange[] = [];
      let ctx: C | undefined;
      try {
        ctx = await context(c);
        exchanges = ctx.exchanges;
        await c.run(ctx);
        result = { id: c.id, title: c.title, requirement: c.requirement, outcome: 'pass', durationMs: Date.now() - started, exchanges };
      } catch (error) {
        const reason = error instanceof CaseFailure || error instanceof NotApplicable ? error.message : `harness error: ${error instanceof Error ? error.message : String(error)}`;
        result = { id: c.id, title: c.title, requirement: c.requirement, outcome: error instanceof NotApplicable ? 'n/a' : 'fail', reason, durationMs: Date.now() - started, exchanges };
      } finally {
        await ctx?.stop?.();
      }
    }
    results.push(result);
    progress(result, index, cases.length);
  }
  return results;
}
