import type { OadrCreatePartyRegistration, OadrMessage, OadrRegisterReport } from '../../../schemas/index.js';
import { expectThat, type ConformanceCase } from '../../harness/case.js';
import type { VenCaseContext, VenTarget } from '../../harness/ven-target.js';

export default {
  id: 'N1_0020_TH_VTN',
  title: 'VEN registers and offers its report metadata',
  requirement: 'The VEN registers with oadrCreatePartyRegistration for profile 2.0b over simpleHttp (pull: httpPullModel true), then offers its METADATA reports with oadrRegisterReport using the venID the VTN assigned.',
  async run(ctx) {
    const registration = await ctx.vtn.waitFor('oadrCreatePartyRegistration', (m: OadrMessage): m is OadrCreatePartyRegistration => m.type === 'oadrCreatePartyRegistration');
    expectThat(registration.profileName === '2.0b', `profileName 2.0b, got ${registration.profileName}`);
    expectThat(registration.transportName === 'simpleHttp', `transportName simpleHttp, got ${registration.transportName}`);
    expectThat(registration.httpPullModel !== false, 'a pull VEN registers with httpPullModel true');
    const metadata = await ctx.vtn.waitFor('oadrRegisterReport', (m: OadrMessage): m is OadrRegisterReport => m.type === 'oadrRegisterReport');
    expectThat(metadata.venId === ctx.vtn.venId, `the report names the assigned venID ${ctx.vtn.venId}, got ${metadata.venId ?? 'none'}`);
    expectThat(metadata.reports.every((r) => (r.reportName ?? '').startsWith('METADATA_')), `only METADATA reports are registered, got ${metadata.reports.map((r) => r.reportName).join(', ')}`);
  },
} satisfies ConformanceCase<VenTarget, VenCaseContext>;
