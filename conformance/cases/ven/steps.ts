// Shared pieces of the VEN cases: the events the scripted VTN serves.
import { durationFromMs, type OadrEvent, type OadrMessage, type OadrCreatedEvent } from '../../../schemas/index.js';

export function event(eventId: string, modificationNumber: number, options: { responseRequired?: 'always' | 'never'; value?: number; signalName?: string; status?: 'far' | 'cancelled' } = {}): OadrEvent {
  const start = Date.now() + 3_600_000;
  return {
    descriptor: { eventId, modificationNumber, marketContext: 'http://flexbridge.example/conformance', createdDateTime: { epochMs: Date.now() - 60_000, microsOfMs: 0 }, eventStatus: options.status ?? 'far', priority: 1 },
    activePeriod: { dtstart: { epochMs: start - (start % 1000), microsOfMs: 0 }, duration: durationFromMs(3_600_000) },
    signals: [{ signalName: (options.signalName ?? 'SIMPLE') as 'SIMPLE', signalType: 'level', signalId: 'sig-0', intervals: [{ uid: '0', duration: durationFromMs(3_600_000), payloads: [{ kind: 'float', value: options.value ?? 1 }] }] }],
    target: {}, responseRequired: options.responseRequired ?? 'always',
  };
}

/** An oadrCreatedEvent that answers `eventId` at `modificationNumber`. */
export const answers = (eventId: string, modificationNumber: number) => (m: OadrMessage): m is OadrCreatedEvent =>
  m.type === 'oadrCreatedEvent' && (m.eventResponses ?? []).some((r) => r.qualifiedEventId.eventId === eventId && r.qualifiedEventId.modificationNumber === modificationNumber);
