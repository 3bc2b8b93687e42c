import type { Allocation, BaselineAccuracy, Settlement } from '../domain/index.js';

export type Role = 'operator' | 'retailer' | 'customer';

/** X.509 attributes the contract reads (issued by the organisations' CAs, seed 002 §5.2). */
export const ATTRIBUTE = { role: 'flexbridge.role', retailerId: 'flexbridge.retailerId', customerId: 'flexbridge.customerId' } as const;

export interface MeterRecord {
  readonly meterId: string;
  readonly customerId: string;
  /** The retailer allowed to record this meter's energy. */
  readonly retailerId: string;
}

export interface EnergyRecord {
  readonly meterId: string;
  readonly date: string;
  readonly intervalMinutes: number;
  /** The program's IANA time zone whose local day `date` is (absent: UTC); a change day has 23 or 25 hours of values. */
  readonly timeZone?: string;
  readonly values: number[];
  readonly eventDay: boolean;
  readonly recordedBy: string;
  readonly txId: string;
}

export interface EventVersionRecord {
  readonly eventId: string;
  readonly modificationNumber: number;
  readonly contentSha256: string;
  readonly programId: string;
  readonly dtstart: number;
  readonly durationMs: number;
  readonly status: string;
  readonly txId: string;
}

export interface TelemetryWindowRecord {
  readonly venId: string;
  readonly reportRequestId: string;
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly readingsSha256: string;
  readonly txId: string;
}

export interface NotBaselined {
  readonly meterId: string;
  readonly eligibleDays: number;
  readonly requiredDays: number;
}

export interface DrEventRecord {
  readonly eventId: string;
  readonly date: string;
  readonly notifiedOn: string;
  /** Event intervals [start, end) of the day. */
  readonly start: number;
  readonly end: number;
  readonly intervals: number;
  /** The program's IANA time zone (absent: UTC): `date` is its local day, `start`/`end` index that day's intervals. */
  readonly timeZone?: string;
  readonly request: number[];
  /** The customers allocated (those with a baseline). */
  readonly meterIds: string[];
  /** Customers asked for but not baselined: too few eligible history days (none allocated to them). */
  readonly notBaselined?: NotBaselined[];
  /** The baseline rules the notification named (absent: the seed's defaults). */
  readonly baselineRules?: { readonly countFrom?: 'notification' | 'event'; readonly minDays?: number; readonly maxRelativeRmse?: number };
  readonly shortfall: Allocation['shortfall'];
  readonly settled: boolean;
  readonly txId: string;
}

export interface AllocationRecord {
  readonly eventId: string;
  readonly meterId: string;
  readonly customerId: string;
  readonly baseline: number[];
  readonly baselineMethod: string;
  readonly baselineDays: string[];
  readonly availability: number[];
  readonly reduction: number[];
  readonly target: number[];
  /** How well the method back-casts this customer's recent ordinary days (null: too little history to tell). */
  readonly baselineAccuracy?: BaselineAccuracy | null;
}

export interface SettlementRecord extends Settlement {
  readonly eventId: string;
  readonly meterId: string;
  readonly customerId: string;
  /** The allocation's baseline accuracy, kept with the money it justified. */
  readonly baselineAccuracy?: BaselineAccuracy | null;
  /** Why the reward was withheld (the program's baseline-accuracy rule), when it was. */
  readonly withheld?: string;
  readonly measured: number[];
  readonly txId: string;
}

export interface TokenBalance {
  readonly customerId: string;
  readonly balance: number;
}

/** A grid operator's order (a TSO setpoint over IEC 104) and its outcome, as the VTN decided it. */
export interface GridOrderLedgerRecord {
  readonly orderId: string;
  readonly source: string;
  readonly origin: string;
  readonly setpointW: number;
  readonly receivedAt: number;
  readonly decidedAt: number;
  readonly accepted: boolean;
  readonly eventIds: readonly string[];
  readonly reason?: string;
  readonly allocatedBy?: string;
  readonly txId: string;
}
