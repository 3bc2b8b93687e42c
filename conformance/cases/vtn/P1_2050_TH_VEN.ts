import { randomUUID } from 'node:crypto';
import { expectCode, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'P1_2050_TH_VEN',
  title: 'Cancel an opt that does not exist',
  requirement: 'oadrCancelOpt naming an optID the VTN does not know is refused with 452.',
  async run(ctx) {
    const ven = ctx.newVen('p1-2050');
    await register(ctx, ven);
    expectCode(await ctx.send('EiOpt', { type: 'oadrCancelOpt', requestId: randomUUID(), optId: 'no-such-opt', venId: ven.venId }, { as: ven }), 452);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
