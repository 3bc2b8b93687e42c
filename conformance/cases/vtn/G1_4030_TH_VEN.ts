import { expectCode, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'G1_4030_TH_VEN',
  title: 'venID that does not match the client certificate',
  requirement: 'A payload whose venID is not the one bound to the TLS client certificate is refused with 463.',
  async run(ctx) {
    const ven = ctx.newVen('g1-4030');
    const other = ctx.newVen('g1-4030-other');
    await register(ctx, ven);
    await register(ctx, other);
    expectCode(await ctx.send('OadrPoll', { type: 'oadrPoll', venId: other.venId }, { as: ven }), 463);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
