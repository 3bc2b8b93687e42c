import { durationFromMs, type OadrDistributeEvent, type OadrEvent } from '../../schemas/index.js';
import { createdEventReply, planDistribute, type HeldState } from '../service/distribute.js';
import type { StoredEvent } from '../store/ven-store.js';

// The distribute rules alone, without a VTN: a unit test of one pure module.
const at = (epochMs: number) => ({ epochMs, microsOfMs: 0 });
function event(id: string, version: number, options: { signal?: string; status?: 'far' | 'cancelled'; respond?: boolean; startAfterMs?: number } = {}): OadrEvent {
  return {
    descriptor: { eventId: id, modificationNumber: version, marketContext: 'http://mc', createdDateTime: at(0), eventStatus: options.status ?? 'far' },
    activePeriod: { dtstart: at(3_600_000), duration: durationFromMs(3_600_000), ...(options.startAfterMs ? { startAfter: durationFromMs(options.startAfterMs) } : {}) },
    signals: [{ signalName: (options.signal ?? 'SIMPLE') as 'SIMPLE', signalType: 'level', signalId: 's', intervals: [{ duration: durationFromMs(3_600_000), uid: '0', payloads: [{ kind: 'float', value: 1 }] }] as never }],
    target: {}, responseRequired: options.respond === false ? 'never' : 'always',
  };
}
const distribute = (vtnId: string, events: OadrEvent[]): OadrDistributeEvent => ({ type: 'oadrDistributeEvent', requestId: 'r1', vtnId, events });
const held = (events: StoredEvent[], vtnId: string | undefined = 'VTN'): HeldState => ({
  venId: 'ven1', vtnId, events: new Map(events.map((e) => [e.event.descriptor.eventId, e])), supportedSignals: new Set(['SIMPLE']), drawStartOffset: (w) => w,
});

describe('planDistribute', () => {
  it('refuses a distribute from another vtnID (IDs are case-sensitive) and takes nothing from it', () => {
    const plan = planDistribute(distribute('vtn', [event('e1', 0), event('e2', 0, { respond: false })]), held([]));
    expect(plan.kind).toBe('refused');
    if (plan.kind !== 'refused' || plan.reply.type !== 'oadrCreatedEvent') throw new Error('expected a refusal');
    expect(plan.reply.response.responseCode).toBe(452);
    expect((plan.reply.eventResponses ?? []).map((r) => [r.qualifiedEventId.eventId, r.responseCode, r.optType])).toEqual([['e1', 452, 'optOut']]);
  });

  it('keeps the held version, ignores an older one with 450, refuses an unsupported signal with 460 and removes what is no longer listed', () => {
    const plan = planDistribute(distribute('VTN', [event('same', 2), event('old', 1), event('price', 0, { signal: 'ELECTRICITY_PRICE' }), event('new', 0, { startAfterMs: 600_000 })]), held([
      { event: event('same', 2), optType: 'optOut', startOffsetMs: 5 },
      { event: event('old', 3), optType: 'optIn', startOffsetMs: 0 },
      { event: event('gone', 0), optType: 'optIn', startOffsetMs: 0 },
    ]));
    if (plan.kind !== 'accepted') throw new Error('expected the distribute to be taken');
    expect(plan.steps.map((s) => s.kind)).toEqual(['refresh', 'outOfSequence', 'unsupported', 'decide']);
    expect(plan.steps[0]).toMatchObject({ stored: { optType: 'optOut', startOffsetMs: 5 } });
    expect(plan.steps[1]).toMatchObject({ response: { eventId: 'old', modificationNumber: 1, optType: 'optIn', code: 450 } });
    expect(plan.steps[2]).toMatchObject({ stored: { optType: 'optOut' }, response: { code: 460 } });
    expect(plan.steps[3]).toMatchObject({ draft: { startOffsetMs: 600_000 }, respond: true });
    expect(plan.removed).toEqual(['gone']);
  });

  it('takes a cancellation whatever its signals, and keeps the drawn start offset across versions', () => {
    const plan = planDistribute(distribute('VTN', [event('e1', 1, { signal: 'ELECTRICITY_PRICE', status: 'cancelled', startAfterMs: 600_000 })]), held([{ event: event('e1', 0), optType: 'optIn', startOffsetMs: 42 }]));
    if (plan.kind !== 'accepted') throw new Error('expected the distribute to be taken');
    expect(plan.steps).toEqual([expect.objectContaining({ kind: 'decide', draft: expect.objectContaining({ startOffsetMs: 42 }) })]);
  });

  it('answers only when an event asked for a response', () => {
    expect(createdEventReply('ven1', 'r1', [])).toBeUndefined();
    expect(createdEventReply('ven1', 'r1', [{ eventId: 'e1', modificationNumber: 0, optType: 'optIn' }])).toMatchObject({ type: 'oadrCreatedEvent', eventResponses: [{ responseCode: 200, qualifiedEventId: { eventId: 'e1' } }] });
  });
});
