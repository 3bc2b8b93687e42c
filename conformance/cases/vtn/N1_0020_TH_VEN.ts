import { randomUUID } from 'node:crypto';
import { expectCode, expectThat, expectType, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register, telemetryMetadata } from './steps.js';

export default {
  id: 'N1_0020_TH_VEN',
  title: 'Create registration, then exchange report metadata',
  requirement: 'oadrCreatePartyRegistration succeeds with a registrationID and the venID of the client certificate; the VEN\'s oadrRegisterReport (METADATA) is answered with oadrRegisteredReport 200; a later query names the registration.',
  async run(ctx) {
    const ven = ctx.newVen('n1-0020');
    const registrationId = await register(ctx, ven);
    const registered = expectType(await ctx.send('EiReport', { type: 'oadrRegisterReport', requestId: randomUUID(), venId: ven.venId, reportRequestId: '0', reports: [telemetryMetadata()] }, { as: ven }), 'oadrRegisteredReport');
    expectCode(registered, 200);
    const query = expectType(await ctx.send('EiRegisterParty', { type: 'oadrQueryRegistration', requestId: randomUUID() }, { as: ven }), 'oadrCreatedPartyRegistration');
    expectThat(query.registrationId === registrationId, `the query names registration ${registrationId}, got ${query.registrationId ?? 'none'}`);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
