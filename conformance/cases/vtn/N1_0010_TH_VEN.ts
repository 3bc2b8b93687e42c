import { randomUUID } from 'node:crypto';
import { expectCode, expectThat, expectType, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';

export default {
  id: 'N1_0010_TH_VEN',
  title: 'Query registration of an unregistered VEN',
  requirement: 'oadrQueryRegistration is answered with oadrCreatedPartyRegistration (200) naming the VTN, offering profile 2.0b over the transport it was asked on, and carrying no registrationID for a VEN that is not registered.',
  async run(ctx) {
    const answer = expectType(await ctx.send('EiRegisterParty', { type: 'oadrQueryRegistration', requestId: randomUUID() }, { as: ctx.newVen('n1-0010') }), 'oadrCreatedPartyRegistration');
    expectCode(answer, 200);
    expectThat(answer.vtnId.length > 0, 'vtnID is present');
    expectThat(answer.registrationId === undefined, `no registrationID for an unregistered VEN, got ${answer.registrationId ?? ''}`);
    const transport = ctx.xmpp ? 'xmpp' : 'simpleHttp';
    expectThat((answer.profiles ?? []).some((p) => p.profileName === '2.0b' && p.transports.includes(transport)), `profile 2.0b with ${transport} is offered`);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
