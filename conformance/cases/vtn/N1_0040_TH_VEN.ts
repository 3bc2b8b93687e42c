import { randomUUID } from 'node:crypto';
import { expectCode, expectType, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'N1_0040_TH_VEN',
  title: 'VEN cancels its registration; it is then refused',
  requirement: 'oadrCancelPartyRegistration is answered with oadrCanceledPartyRegistration 200; afterwards a poll from that VEN is refused with 463.',
  async run(ctx) {
    const ven = ctx.newVen('n1-0040');
    const registrationId = await register(ctx, ven);
    expectCode(expectType(await ctx.send('EiRegisterParty', { type: 'oadrCancelPartyRegistration', requestId: randomUUID(), registrationId, venId: ven.venId }, { as: ven }), 'oadrCanceledPartyRegistration'), 200);
    expectCode(await ctx.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId }, { as: ven }), 463);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
