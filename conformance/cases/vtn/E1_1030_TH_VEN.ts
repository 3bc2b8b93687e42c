import { randomUUID } from 'node:crypto';
import { expectThat, expectType, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { issueEvent, modifyEvent, needsModify, register } from './steps.js';

export default {
  id: 'E1_1030_TH_VEN',
  title: 'Modified event carries an incremented modificationNumber',
  requirement: 'When the VTN changes an event, the next distribute carries the same eventID with modificationNumber increased by one and the new signal values.',
  notApplicable: needsModify,
  async run(ctx) {
    const ven = ctx.newVen('e1-1030');
    await register(ctx, ven);
    const eventId = await issueEvent(ctx, ven, 1);
    await modifyEvent(ctx, ven, eventId, 3);
    const distribute = expectType(await ctx.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }, { as: ven }), 'oadrDistributeEvent');
    const event = distribute.events.find((e) => e.descriptor.eventId === eventId);
    expectThat(event !== undefined, `event ${eventId} is in the distribute`);
    expectThat(event.descriptor.modificationNumber === 1, `modificationNumber 1 after one change, got ${event.descriptor.modificationNumber}`);
    const first = event.signals[0]!.intervals[0]!.payloads[0];
    expectThat(first?.kind === 'float' && first.value === 3, `the first interval carries the new value 3, got ${JSON.stringify(first)}`);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
