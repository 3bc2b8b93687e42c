import { randomUUID } from 'node:crypto';
import { expectCode, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'R1_3170_TH_VEN',
  title: 'Cancel a report request that does not exist',
  requirement: 'oadrCancelReport naming a reportRequestID the VTN does not know is refused with 452.',
  async run(ctx) {
    const ven = ctx.newVen('r1-3170');
    await register(ctx, ven);
    expectCode(await ctx.send('EiReport', { type: 'oadrCancelReport', requestId: randomUUID(), reportRequestIds: ['no-such-request'], reportToFollow: false, venId: ven.venId }, { as: ven }), 452);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
