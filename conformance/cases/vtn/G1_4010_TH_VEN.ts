import { expectCode, expectThat, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'G1_4010_TH_VEN',
  title: 'Poll with nothing queued',
  requirement: 'oadrPoll is answered with a queued payload while there is one, and with oadrResponse 200 once nothing is queued for the VEN.',
  async run(ctx) {
    const ven = ctx.newVen('g1-4010');
    await register(ctx, ven);
    for (let i = 0; i < 10; i++) {
      const answer = await ctx.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId }, { as: ven });
      if (answer.type === 'oadrResponse') return expectCode(answer, 200);
    }
    expectThat(false, 'ten polls in a row still returned payloads: the queue never drains');
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
