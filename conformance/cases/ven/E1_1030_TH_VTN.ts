import type { OadrMessage, OadrPoll } from '../../../schemas/index.js';
import type { ConformanceCase } from '../../harness/case.js';
import type { VenCaseContext, VenTarget } from '../../harness/ven-target.js';
import { answers, event } from './steps.js';

export default {
  id: 'E1_1030_TH_VTN',
  title: 'VEN answers a modified event again',
  requirement: 'When an event it knows comes back with modificationNumber increased, the VEN answers the new version with oadrCreatedEvent (responseRequired=always).',
  async run(ctx) {
    await ctx.vtn.waitFor('a poll', (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll');
    ctx.vtn.events = [event('conf-e1030', 0)];
    ctx.vtn.queue.push(ctx.vtn.distribute());
    await ctx.vtn.waitFor('oadrCreatedEvent for v0', answers('conf-e1030', 0));
    ctx.vtn.events = [event('conf-e1030', 1, { value: 2 })];
    ctx.vtn.queue.push(ctx.vtn.distribute());
    await ctx.vtn.waitFor('oadrCreatedEvent for v1', answers('conf-e1030', 1));
  },
} satisfies ConformanceCase<VenTarget, VenCaseContext>;
