import type { OadrMessage, OadrPoll } from '../../../schemas/index.js';
import { expectThat, type ConformanceCase } from '../../harness/case.js';
import type { VenCaseContext, VenTarget } from '../../harness/ven-target.js';
import { answers, event } from './steps.js';

export default {
  id: 'E1_1040_TH_VTN',
  title: 'Out-of-order modificationNumber',
  requirement: 'After the VEN has seen modificationNumber 2 of an event, a distribute carrying modificationNumber 1 of it must not be accepted as a new version: no optIn/optOut with 200 for version 1.',
  async run(ctx) {
    await ctx.vtn.waitFor('a poll', (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll');
    ctx.vtn.events = [event('conf-e1040', 2)];
    ctx.vtn.queue.push(ctx.vtn.distribute());
    await ctx.vtn.waitFor('oadrCreatedEvent for v2', answers('conf-e1040', 2));
    const since = Date.now();
    ctx.vtn.events = [event('conf-e1040', 1, { value: 3 })];
    ctx.vtn.queue.push(ctx.vtn.distribute());
    // Three poll periods (1 s each) for the VEN to get it and (wrongly) answer it.
    await ctx.vtn.waitFor('three more polls', (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll' && ctx.vtn.received.filter((r) => r.at >= since && r.message.type === 'oadrPoll').length >= 3, 15_000, since);
    const accepted = ctx.vtn.received.filter((r) => r.at >= since && answers('conf-e1040', 1)(r.message)).some((r) => r.message.type === 'oadrCreatedEvent' && r.message.eventResponses!.some((e) => e.qualifiedEventId.modificationNumber === 1 && e.responseCode === 200));
    expectThat(!accepted, 'the VEN accepted an older modificationNumber as a new version');
  },
} satisfies ConformanceCase<VenTarget, VenCaseContext>;
