import type { OadrDistributeEvent, OadrMessage } from '../../../schemas/index.js';
import type { ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { issueEvent, modifyEvent, needsModify, pushed, register } from './steps.js';

export default {
  id: 'E0_6030_TH_VEN',
  title: 'Modified event pushed again',
  requirement: 'When the VTN changes an event, it pushes the new version (modificationNumber + 1) to the push VEN without the VEN asking.',
  notApplicable: needsModify,
  async run(ctx) {
    const ven = ctx.newVen('e0-6030');
    const endpoint = await ctx.pushEndpoint(ven);
    await register(ctx, ven, { pushTo: endpoint.address });
    const eventId = await issueEvent(ctx, ven, 1);
    const version = (n: number) => (m: OadrMessage): m is OadrDistributeEvent => m.type === 'oadrDistributeEvent' && m.events.some((e) => e.descriptor.eventId === eventId && e.descriptor.modificationNumber === n);
    await pushed(endpoint, 'version 0', version(0));
    await modifyEvent(ctx, ven, eventId, 2);
    await pushed(endpoint, 'version 1', version(1));
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
