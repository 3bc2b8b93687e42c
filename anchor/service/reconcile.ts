import type { EventVersionRecord, TelemetryWindowRecord } from '../chaincode/records.js';
import type { EmbeddedLedger } from '../ledger/embedded-ledger.js';
import { telemetryWindowSha256 } from './telemetry-window.js';
import type { VtnFeedSource } from './vtn-feed-client.js';

export interface Reconciliation {
  readonly checkedEventVersions: number;
  readonly checkedTelemetryWindows: number;
  readonly divergences: string[];
}


/** How reconciliation reads an anchored record's current value: from the embedded ledger or through a Fabric query. */
export type RecordReader = (objectType: 'eventVersion' | 'telemetry', attributes: string[]) => Promise<unknown>;

const embeddedReader = (ledger: EmbeddedLedger): RecordReader => async (objectType, attributes) => ledger.history(objectType, attributes).at(-1)?.value ?? null;

/**
 * Compares what the VTN holds with what the ledger says: every event version (content hash) and
 * every telemetry window (hash of its readings as the VTN has them now). A record missing on the
 * ledger, or one whose hash differs, is a divergence.
 */
export async function reconcile(ledger: EmbeddedLedger | RecordReader, source: VtnFeedSource): Promise<Reconciliation> {
  const read = typeof ledger === 'function' ? ledger : embeddedReader(ledger);
  const divergences: string[] = [];
  let versions = 0;
  let windows = 0;
  const seenEvents = new Set<string>();
  const seenWindows = new Set<string>();
  for (let after = 0; ;) {
    const { entries, next } = await source.feedAfter(after, 0);
    if (entries.length === 0) break;
    after = next;
    for (const entry of entries) {
      const data = entry.data as Record<string, unknown>;
      if (entry.kind === 'event' && typeof data.eventId === 'string' && !seenEvents.has(data.eventId)) {
        seenEvents.add(data.eventId);
        const event = await source.event(data.eventId);
        for (const version of event?.versions ?? []) {
          versions++;
          const onLedger = (await read('eventVersion', [version.eventId, String(version.modificationNumber).padStart(10, '0')])) as EventVersionRecord | null;
          if (!onLedger) divergences.push(`event ${version.eventId} version ${version.modificationNumber} is not on the ledger`);
          else if (onLedger.contentSha256 !== version.contentSha256) divergences.push(`event ${version.eventId} version ${version.modificationNumber}: VTN content ${version.contentSha256} ≠ ledger ${onLedger.contentSha256}`);
        }
      }
      const windowKey = `${String(data.venId)}|${String(data.reportRequestId)}|${String(data.from)}`;
      if (entry.kind === 'reading' && typeof data.venId === 'string' && typeof data.from === 'number' && typeof data.to === 'number' && !seenWindows.has(windowKey)) {
        seenWindows.add(windowKey);
        windows++;
        const readings = (await source.readings(data.venId, data.from, data.to)).filter((r) => r.reportRequestId === data.reportRequestId);
        const hash = telemetryWindowSha256(readings);
        const onLedger = (await read('telemetry', [data.venId, String(data.reportRequestId), String(data.from).padStart(16, '0')])) as TelemetryWindowRecord | null;
        if (!onLedger) divergences.push(`telemetry ${data.venId}/${String(data.reportRequestId)} from ${new Date(data.from).toISOString()} is not on the ledger`);
        else if (onLedger.readingsSha256 !== hash) divergences.push(`telemetry ${data.venId}/${String(data.reportRequestId)} from ${new Date(data.from).toISOString()}: the VTN's readings no longer match the ledger`);
      }
    }
  }
  return { checkedEventVersions: versions, checkedTelemetryWindows: windows, divergences };
}
