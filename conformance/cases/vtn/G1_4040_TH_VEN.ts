import { serializePayload } from '../../../schemas/index.js';
import { expectCode, expectThat, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'G1_4040_TH_VEN',
  title: 'Schema-invalid payload',
  requirement: 'A payload that is not valid against the 2.0b schema (an oadrPoll without its venID) is refused with 454, in a schema-valid answer.',
  async run(ctx) {
    const ven = ctx.newVen('g1-4040');
    await register(ctx, ven);
    const valid = serializePayload({ type: 'oadrPoll', venId: ven.venId });
    const invalid = valid.replace(/<([A-Za-z0-9]+:)?venID>[^<]*<\/([A-Za-z0-9]+:)?venID>/, '');
    expectThat(invalid !== valid, 'harness: could not remove the venID');
    expectCode(await ctx.send('OadrPoll', invalid, { as: ven }), 454);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
