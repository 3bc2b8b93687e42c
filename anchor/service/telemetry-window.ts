import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/canonical-json.js';

/** The parts of a reading a telemetry window's hash covers. */
export interface WindowReading {
  readonly rId: string;
  readonly dtstart: number;
  readonly durationMs: number;
  readonly payload: unknown;
}

/**
 * The hash the ledger keeps for a telemetry window: SHA-256 of the canonical JSON of its readings
 * in time order (then by data point). The anchor writes it and reconciliation recomputes it from
 * the VTN, so both must use this one function.
 */
export function telemetryWindowSha256(readings: readonly WindowReading[]): string {
  const ordered = readings.map((r) => ({ rId: r.rId, dtstart: r.dtstart, durationMs: r.durationMs, payload: r.payload }))
    .sort((a, b) => a.dtstart - b.dtstart || (a.rId < b.rId ? -1 : a.rId > b.rId ? 1 : 0));
  return createHash('sha256').update(canonicalJson(ordered)).digest('hex');
}
