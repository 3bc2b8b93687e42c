import { randomUUID } from 'node:crypto';
import { durationFromMs } from '../../../schemas/index.js';
import { expectCode, expectThat, expectType, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'P1_2010_TH_VEN',
  title: 'New opt schedule, then its cancellation',
  requirement: 'oadrCreateOpt with an availability schedule is answered with oadrCreatedOpt 200 echoing the optID; oadrCancelOpt of it is answered with oadrCanceledOpt 200.',
  async run(ctx) {
    const ven = ctx.newVen('p1-2010');
    await register(ctx, ven);
    const optId = `opt-${randomUUID().slice(0, 8)}`;
    const created = expectType(await ctx.send('EiOpt', {
      type: 'oadrCreateOpt', requestId: randomUUID(), optId, optType: 'optOut', optReason: 'x-schedule', venId: ven.venId,
      availability: [{ dtstart: { epochMs: Date.now() + 86_400_000, microsOfMs: 0 }, duration: durationFromMs(3_600_000) }],
      createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, target: { venIds: [ven.venId] },
    }, { as: ven }), 'oadrCreatedOpt');
    expectCode(created, 200);
    expectThat(created.optId === optId, `the optID is echoed (${optId}), got ${created.optId}`);
    expectCode(expectType(await ctx.send('EiOpt', { type: 'oadrCancelOpt', requestId: randomUUID(), optId, venId: ven.venId }, { as: ven }), 'oadrCanceledOpt'), 200);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
