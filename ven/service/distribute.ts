import { durationToMs, ResponseCode, type OadrDistributeEvent, type OadrEvent, type OadrMessage, type OptType } from '../../schemas/index.js';
import type { StoredEvent } from '../store/ven-store.js';

/** What the VEN holds when a distribute arrives. */
export interface HeldState {
  readonly venId: string;
  /** The VTN the VEN registered with (undefined before registration completes). */
  readonly vtnId: string | undefined;
  readonly events: ReadonlyMap<string, StoredEvent>;
  /** Signal names the VEN acts on. */
  readonly supportedSignals: ReadonlySet<string>;
  /** Draws the random start offset (ms) within an event's startAfter window of `windowMs`. */
  drawStartOffset(windowMs: number): number;
}

/** One event of the distribute, and what to do with it. */
export type EventStep =
  /** The version held: keep the decision, take the VTN's new status. */
  | { readonly kind: 'refresh'; readonly stored: StoredEvent }
  /** An older version than the one held: ignored, answered 450 if a response is required. */
  | { readonly kind: 'outOfSequence'; readonly event: OadrEvent; readonly held: StoredEvent; readonly response?: EventResponse }
  /** No signal the VEN acts on: stored as opted out, answered 460 if a response is required. */
  | { readonly kind: 'unsupported'; readonly stored: StoredEvent; readonly response?: EventResponse }
  /** New, or a newer version: the application decides (a cancellation is taken as is). */
  | { readonly kind: 'decide'; readonly draft: StoredEvent; readonly respond: boolean };

export interface EventResponse {
  readonly eventId: string;
  readonly modificationNumber: number;
  readonly optType: OptType;
  readonly code?: number;
  readonly reason?: string;
}

export type DistributePlan =
  /** From another VTN: nothing in it is taken; the reply refuses it. */
  | { readonly kind: 'refused'; readonly reply: OadrMessage }
  | { readonly kind: 'accepted'; readonly steps: readonly EventStep[]; readonly removed: readonly string[] };

/**
 * The 2.0b rules for an oadrDistributeEvent, as a pure function of what the VEN holds: the vtnID
 * must be the VEN's VTN (IDs are case-sensitive), versions only move forward, an event with no
 * supported signal is refused with 460, and an event the VTN no longer lists is removed.
 */
export function planDistribute(distribute: OadrDistributeEvent, held: HeldState): DistributePlan {
  if (held.vtnId !== undefined && distribute.vtnId !== held.vtnId) {
    const code = { responseCode: ResponseCode.invalidId, responseDescription: `vtnID ${distribute.vtnId} is not this VEN's VTN (${held.vtnId})`, requestId: distribute.requestId };
    return {
      kind: 'refused',
      reply: {
        type: 'oadrCreatedEvent', venId: held.venId, response: code,
        eventResponses: distribute.events.filter((e) => e.responseRequired === 'always').map((e) => ({ ...code, qualifiedEventId: { eventId: e.descriptor.eventId, modificationNumber: e.descriptor.modificationNumber }, optType: 'optOut' as const })),
      },
    };
  }
  const steps: EventStep[] = [];
  const listed = new Set<string>();
  for (const event of distribute.events) {
    const id = event.descriptor.eventId;
    const version = event.descriptor.modificationNumber;
    const respond = event.responseRequired === 'always';
    listed.add(id);
    const previous = held.events.get(id);
    if (previous && previous.event.descriptor.modificationNumber === version) {
      steps.push({ kind: 'refresh', stored: { ...previous, event } });
      continue;
    }
    if (previous && version < previous.event.descriptor.modificationNumber) {
      steps.push({
        kind: 'outOfSequence', event, held: previous,
        ...(respond ? { response: { eventId: id, modificationNumber: version, optType: previous.optType ?? 'optIn', code: ResponseCode.outOfSequence, reason: `modificationNumber ${version} is older than ${previous.event.descriptor.modificationNumber}` } } : {}),
      });
      continue;
    }
    // 2.0b randomization: start somewhere within the startAfter window, drawn once per event.
    const window = event.activePeriod.startAfter ? durationToMs(event.activePeriod.startAfter, event.activePeriod.dtstart) : 0;
    const draft: StoredEvent = { event, startOffsetMs: previous?.startOffsetMs ?? held.drawStartOffset(window) };
    if (event.descriptor.eventStatus !== 'cancelled' && !event.signals.some((s) => held.supportedSignals.has(s.signalName))) {
      steps.push({
        kind: 'unsupported', stored: { ...draft, optType: 'optOut' },
        ...(respond ? { response: { eventId: id, modificationNumber: version, optType: 'optOut', code: ResponseCode.signalNotSupported, reason: `signal ${event.signals.map((x) => x.signalName).join(', ')} not supported` } } : {}),
      });
      continue;
    }
    steps.push({ kind: 'decide', draft, respond });
  }
  return { kind: 'accepted', steps, removed: [...held.events.keys()].filter((id) => !listed.has(id)) };
}

/** The oadrCreatedEvent answering a distribute, or undefined when no event asked for a response. */
export function createdEventReply(venId: string, requestId: string, responses: readonly EventResponse[]): OadrMessage | undefined {
  if (responses.length === 0) return undefined;
  return {
    type: 'oadrCreatedEvent', venId, response: { responseCode: 200, responseDescription: 'OK', requestId },
    eventResponses: responses.map((r) => ({ responseCode: r.code ?? 200, responseDescription: r.reason ?? 'OK', requestId, qualifiedEventId: { eventId: r.eventId, modificationNumber: r.modificationNumber }, optType: r.optType })),
  };
}
