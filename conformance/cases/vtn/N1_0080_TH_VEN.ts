import { expectCode, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';

export default {
  id: 'N1_0080_TH_VEN',
  title: 'An unregistered VEN polls',
  requirement: 'oadrPoll from a VEN that is not registered is refused with 463.',
  async run(ctx) {
    const ven = ctx.newVen('n1-0080');
    expectCode(await ctx.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId }, { as: ven }), 463);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
