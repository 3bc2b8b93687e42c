import { ContractInputError } from '../errors.js';
/**
 * A day of one customer's load: `values[k]` is the average power (W) over interval k of the day.
 * The seed works with 24 hourly values; meters here give 96 quarter-hours: every function works
 * for any number of intervals per day, as long as all profiles of one computation agree.
 */
export interface DayProfile {
  /** Calendar day as YYYY-MM-DD (the day the values belong to, in the program's time zone). */
  readonly date: string;
  readonly values: readonly number[];
  /** The day had a DR event (or curtailment): baselines skip it. */
  readonly eventDay?: boolean;
}


const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day of week of a YYYY-MM-DD date, 0 = Sunday … 6 = Saturday (pure arithmetic, no time zone). */
export function dayOfWeek(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new ContractInputError(`'${date}' is not a YYYY-MM-DD date`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Checks that every profile has `intervals` finite, non-negative values. */
export function checkProfiles(profiles: readonly DayProfile[], intervals: number): void {
  for (const p of profiles) {
    if (p.values.length !== intervals) throw new ContractInputError(`${p.date}: ${p.values.length} values, expected ${intervals}`);
    if (p.values.some((v) => !Number.isFinite(v) || v < 0)) throw new ContractInputError(`${p.date}: values must be finite and non-negative (W)`);
  }
}

/** Element-wise mean of equally long vectors. */
export function meanProfile(rows: readonly (readonly number[])[], intervals: number): number[] {
  const out = new Array<number>(intervals).fill(0);
  if (rows.length === 0) return out;
  for (const row of rows) for (let k = 0; k < intervals; k++) out[k]! += row[k]!;
  return out.map((v) => v / rows.length);
}
