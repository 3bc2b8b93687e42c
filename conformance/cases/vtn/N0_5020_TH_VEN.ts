import type { ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'N0_5020_TH_VEN',
  title: 'Push registration',
  requirement: 'A VEN registering for push (httpPullModel false, oadrTransportAddress its HTTPS endpoint) is registered with a registrationID and the venID of its certificate.',
  async run(ctx) {
    const ven = ctx.newVen('n0-5020');
    const endpoint = await ctx.pushEndpoint(ven);
    await register(ctx, ven, { pushTo: endpoint.address });
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
