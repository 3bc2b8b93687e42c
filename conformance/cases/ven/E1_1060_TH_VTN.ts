import type { OadrMessage, OadrPoll } from '../../../schemas/index.js';
import { expectThat, type ConformanceCase } from '../../harness/case.js';
import type { VenCaseContext, VenTarget } from '../../harness/ven-target.js';
import { answers, event } from './steps.js';

export default {
  id: 'E1_1060_TH_VTN',
  title: 'responseRequired=never',
  requirement: 'An event with responseRequired=never gets no oadrCreatedEvent from the VEN.',
  async run(ctx) {
    await ctx.vtn.waitFor('a poll', (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll');
    const since = Date.now();
    ctx.vtn.events = [event('conf-e1060', 0, { responseRequired: 'never' })];
    ctx.vtn.queue.push(ctx.vtn.distribute());
    await ctx.vtn.waitFor('three more polls', (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll' && ctx.vtn.received.filter((r) => r.at >= since && r.message.type === 'oadrPoll').length >= 3, 15_000, since);
    expectThat(!ctx.vtn.received.some((r) => answers('conf-e1060', 0)(r.message)), 'the VEN answered an event that asked for no response');
  },
} satisfies ConformanceCase<VenTarget, VenCaseContext>;
