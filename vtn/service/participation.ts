import type { EventResponseRecord, OptRecord } from '../store/records.js';

export type Participation = 'optIn' | 'optOut';

/**
 * Whether each VEN takes part in an event. An oadrCreateOpt naming the event takes precedence over
 * the VEN's oadrCreatedEvent answers (2.0b conformance: a later createdEvent does not undo an
 * event opt); without one, the VEN's latest accepted answer counts. VENs that said nothing are absent.
 */
export function eventParticipation(venIds: readonly string[], responses: readonly EventResponseRecord[], opts: readonly OptRecord[], eventId: string): Record<string, Participation> {
  const out: Record<string, Participation> = {};
  for (const venId of venIds) {
    const opt = opts.filter((o) => o.venId === venId && !o.cancelled && o.opt.qualifiedEventId?.eventId === eventId).sort((a, b) => b.createdAt - a.createdAt)[0];
    const answer = responses.filter((r) => r.venId === venId && r.eventId === eventId && r.responseCode < 300).sort((a, b) => b.receivedAt - a.receivedAt)[0];
    const decided = opt?.opt.optType ?? answer?.optType;
    if (decided) out[venId] = decided;
  }
  return out;
}
