import type { OadrMessage, OadrPoll } from '../../../schemas/index.js';
import type { ConformanceCase } from '../../harness/case.js';
import type { VenCaseContext, VenTarget } from '../../harness/ven-target.js';

export default {
  id: 'G1_4040_TH_VTN',
  title: 'Schema-invalid answer from the VTN',
  requirement: 'A poll answered with a payload that is not schema-valid 2.0b does not stop the VEN: it keeps polling.',
  async run(ctx) {
    await ctx.vtn.waitFor('a poll', (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll');
    let broken = false;
    ctx.vtn.override = (m) => {
      if (m.type !== 'oadrPoll' || broken) return undefined;
      broken = true;
      return '<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject><oadrDistributeEvent/></oadrSignedObject></oadrPayload>';
    };
    const since = Date.now();
    await ctx.vtn.waitFor('two polls after the invalid answer', (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll' && ctx.vtn.received.filter((r) => r.at >= since && r.message.type === 'oadrPoll').length >= 3, 15_000, since);
  },
} satisfies ConformanceCase<VenTarget, VenCaseContext>;
