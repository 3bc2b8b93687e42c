import { randomUUID } from 'node:crypto';
import { expectCode, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'G1_4070_TH_VEN',
  title: 'Unsigned payload from a VEN that announced signatures',
  requirement: 'A VEN registered with oadrXmlSignature=true that then sends an unsigned payload is refused with 463.',
  async run(ctx) {
    const ven = ctx.newVen('g1-4070');
    await register(ctx, ven, { xmlSignature: true });
    expectCode(await ctx.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }, { as: ven, sign: false }), 463);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
