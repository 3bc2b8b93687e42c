import type { OadrMessage, OadrPoll } from '../../../schemas/index.js';
import { expectThat, type ConformanceCase } from '../../harness/case.js';
import type { VenCaseContext, VenTarget } from '../../harness/ven-target.js';
import { answers, event } from './steps.js';

export default {
  id: 'E1_1020_TH_VTN',
  title: 'VEN answers a new event with its opt',
  requirement: 'An event with responseRequired=always, delivered on a poll, is answered with oadrCreatedEvent naming its eventID and modificationNumber 0, with responseCode 200 and an optType.',
  async run(ctx) {
    await ctx.vtn.waitFor('a poll', (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll');
    ctx.vtn.events = [event('conf-e1020', 0)];
    ctx.vtn.queue.push(ctx.vtn.distribute());
    const created = await ctx.vtn.waitFor('oadrCreatedEvent for conf-e1020 v0', answers('conf-e1020', 0));
    const response = created.eventResponses!.find((r) => r.qualifiedEventId.eventId === 'conf-e1020')!;
    expectThat(response.responseCode === 200, `responseCode 200, got ${response.responseCode}`);
    expectThat(['optIn', 'optOut'].includes(response.optType), `an optType, got ${response.optType}`);
  },
} satisfies ConformanceCase<VenTarget, VenCaseContext>;
