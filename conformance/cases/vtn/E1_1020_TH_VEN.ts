import { randomUUID } from 'node:crypto';
import { expectCode, expectThat, expectType, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { issueEvent, needsOperator, register } from './steps.js';

export default {
  id: 'E1_1020_TH_VEN',
  title: 'Event delivered on poll; VEN opts in',
  requirement: 'An event issued for the VEN reaches it on oadrPoll (or oadrRequestEvent) with modificationNumber 0, intervals numbered from 0 and durations summing to the active period; the VEN\'s oadrCreatedEvent optIn is answered 200.',
  notApplicable: needsOperator,
  async run(ctx) {
    const ven = ctx.newVen('e1-1020');
    await register(ctx, ven);
    const eventId = await issueEvent(ctx, ven);
    const polled = await ctx.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId }, { as: ven });
    const distribute = polled.type === 'oadrDistributeEvent' ? polled : expectType(await ctx.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }, { as: ven }), 'oadrDistributeEvent');
    const event = distribute.events.find((e) => e.descriptor.eventId === eventId);
    expectThat(event !== undefined, `event ${eventId} is in the distribute`);
    expectThat(event.descriptor.modificationNumber === 0, `a new event has modificationNumber 0, got ${event.descriptor.modificationNumber}`);
    const intervals = event.signals[0]!.intervals;
    expectThat(intervals.every((interval, i) => interval.uid === String(i)), 'interval uids count 0, 1, 2 …');
    const created = await ctx.send('EiEvent', {
      type: 'oadrCreatedEvent', venId: ven.venId, response: { responseCode: 200, requestId: distribute.requestId },
      eventResponses: [{ responseCode: 200, requestId: distribute.requestId, qualifiedEventId: { eventId, modificationNumber: 0 }, optType: 'optIn' }],
    }, { as: ven });
    expectCode(expectType(created, 'oadrResponse'), 200);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
