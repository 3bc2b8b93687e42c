import { randomUUID } from 'node:crypto';
import { expectCode, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { transportFields } from './steps.js';

export default {
  id: 'N1_0070_TH_VEN',
  title: 'Registration with an invalid registrationID',
  requirement: 'oadrCreatePartyRegistration naming a registrationID the VTN never issued is refused with 452 (invalid ID).',
  async run(ctx) {
    const ven = ctx.newVen('n1-0070');
    const answer = await ctx.send('EiRegisterParty', {
      type: 'oadrCreatePartyRegistration', requestId: randomUUID(), registrationId: 'no-such-registration', venId: ven.venId,
      profileName: '2.0b', reportOnly: false, xmlSignature: false, ...transportFields(ctx, ven),
    }, { as: ven });
    expectCode(answer, 452);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
