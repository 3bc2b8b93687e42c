import type { OadrEvent } from '../model/event.js';
import { durationFromMs } from '../model/time.js';
import type { EventRequest } from './model.js';
import { durationMs3, signalsOf3 } from './signals.js';

/**
 * A 3.1 event as the 2.0b event a VEN's handlers already know (signals, intervals, active period),
 * so an EMS writes its handlers once for both generations. 3.x has no modification number: the
 * caller counts versions (a changed modificationDateTime is a new one).
 */
export function oadrEventOf3(object: EventRequest & { readonly id: string; readonly createdDateTime?: string }, modificationNumber: number, now: number): OadrEvent {
  const { dtstart, signals } = signalsOf3(object, now);
  const at = (ms: number) => ({ epochMs: ms, microsOfMs: 0 });
  // The event lasts as long as its longest signal.
  const total = Math.max(...signals.map((s) => s.intervals.reduce((sum, i) => sum + i.durationMs, 0)));
  const randomize = object.intervalPeriod?.randomizeStart;
  return {
    descriptor: {
      eventId: object.id, modificationNumber, marketContext: object.programID, eventStatus: 'far',
      createdDateTime: at(object.createdDateTime ? Date.parse(object.createdDateTime) : now),
      ...(object.priority != null ? { priority: object.priority } : {}),
      ...(object.eventName ? { vtnComment: object.eventName } : {}),
    },
    activePeriod: {
      dtstart: at(dtstart), duration: durationFromMs(total),
      ...(randomize ? { startAfter: durationFromMs(durationMs3(randomize, 'randomizeStart')) } : {}),
    } as OadrEvent['activePeriod'],
    signals: signals.map((s) => ({
      signalName: s.signalName as OadrEvent['signals'][number]['signalName'], signalType: s.signalType as OadrEvent['signals'][number]['signalType'], signalId: s.signalId,
      intervals: s.intervals.map((interval, uid) => ({ uid: String(uid), duration: durationFromMs(interval.durationMs), payloads: [{ kind: 'float' as const, value: interval.value }] })),
    })),
    target: object.targets?.length ? { groupIds: [...object.targets] } : {},
    // 3.x has no opt responses on events: nothing is expected back.
    responseRequired: 'never',
  };
}
