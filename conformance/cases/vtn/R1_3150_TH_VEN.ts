import { randomUUID } from 'node:crypto';
import { durationFromMs } from '../../../schemas/index.js';
import { expectCode, expectThat, expectType, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register, telemetryMetadata } from './steps.js';

export default {
  id: 'R1_3150_TH_VEN',
  title: 'TELEMETRY_USAGE: metadata, the VTN\'s request, created, update',
  requirement: 'After the VEN registers METADATA_TELEMETRY_USAGE the VTN requests the report (in oadrRegisteredReport or later); the VEN\'s oadrCreatedReport and oadrUpdateReport with readings are answered 200.',
  async run(ctx) {
    const ven = ctx.newVen('r1-3150');
    await register(ctx, ven);
    const registered = expectType(await ctx.send('EiReport', { type: 'oadrRegisterReport', requestId: randomUUID(), venId: ven.venId, reportRequestId: '0', reports: [telemetryMetadata()] }, { as: ven }), 'oadrRegisteredReport');
    expectCode(registered, 200);
    let requests = registered.reportRequests ?? [];
    if (requests.length === 0) {
      const polled = await ctx.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId }, { as: ven });
      requests = polled.type === 'oadrCreateReport' ? polled.reportRequests : [];
    }
    const request = requests.find((r) => r.reportSpecifier.reportSpecifierId === 'conformance-usage');
    expectThat(request !== undefined, 'the VTN requests the offered TELEMETRY_USAGE report');
    expectCode(expectType(await ctx.send('EiReport', { type: 'oadrCreatedReport', response: { responseCode: 200, requestId: randomUUID() }, pendingReports: [request.reportRequestId], venId: ven.venId }, { as: ven }), 'oadrResponse'), 200);
    const start = Date.now() - 3_600_000;
    const updated = expectType(await ctx.send('EiReport', {
      type: 'oadrUpdateReport', requestId: randomUUID(), venId: ven.venId, reports: [{
        reportRequestId: request.reportRequestId, reportSpecifierId: 'conformance-usage', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
        intervals: [0, 1].map((i) => ({ dtstart: { epochMs: start + i * 900_000, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report' as const, rId: 'power', value: { kind: 'float' as const, value: 1200 + i } }] })),
      }],
    }, { as: ven }), 'oadrUpdatedReport');
    expectCode(updated, 200);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
