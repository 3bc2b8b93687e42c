import { randomUUID } from 'node:crypto';
import { expectCode, expectThat, expectType, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'E1_1010_TH_VEN',
  title: 'Request events with none pending',
  requirement: 'oadrRequestEvent from a registered VEN with no events is answered with an oadrDistributeEvent (200) that lists no event and names the VTN.',
  async run(ctx) {
    const ven = ctx.newVen('e1-1010');
    await register(ctx, ven);
    const distribute = expectType(await ctx.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }, { as: ven }), 'oadrDistributeEvent');
    if (distribute.response) expectCode(distribute, 200);
    expectThat(distribute.events.length === 0, `no events expected, got ${distribute.events.length}`);
    expectThat(distribute.vtnId.length > 0, 'vtnID is present');
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
