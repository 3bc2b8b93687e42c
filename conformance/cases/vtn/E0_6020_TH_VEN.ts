import type { OadrDistributeEvent, OadrMessage } from '../../../schemas/index.js';
import { expectThat, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { issueEvent, needsOperator, pushed, register } from './steps.js';

export default {
  id: 'E0_6020_TH_VEN',
  title: 'Event pushed to a push VEN, which answers in the response',
  requirement: 'An event issued for a push VEN is pushed (oadrDistributeEvent to its transport address, EiEvent service) without the VEN asking; the VEN may answer with oadrCreatedEvent in the HTTP response.',
  notApplicable: needsOperator,
  async run(ctx) {
    const ven = ctx.newVen('e0-6020');
    const endpoint = await ctx.pushEndpoint(ven);
    endpoint.answer = (m) => (m.type === 'oadrDistributeEvent'
      ? { type: 'oadrCreatedEvent', venId: ven.venId, response: { responseCode: 200, requestId: m.requestId }, eventResponses: m.events.map((e) => ({ responseCode: 200, requestId: m.requestId, qualifiedEventId: { eventId: e.descriptor.eventId, modificationNumber: e.descriptor.modificationNumber }, optType: 'optIn' as const })) }
      : { type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId: ven.venId });
    await register(ctx, ven, { pushTo: endpoint.address });
    const eventId = await issueEvent(ctx, ven);
    const distribute = await pushed(endpoint, `oadrDistributeEvent with ${eventId}`, (m: OadrMessage): m is OadrDistributeEvent => m.type === 'oadrDistributeEvent' && m.events.some((e) => e.descriptor.eventId === eventId));
    expectThat(endpoint.received.find((r) => r.message === distribute)?.service === 'EiEvent', 'the distribute is posted to the EiEvent service');
    expectThat(distribute.events.find((e) => e.descriptor.eventId === eventId)!.descriptor.modificationNumber === 0, 'a new event has modificationNumber 0');
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
