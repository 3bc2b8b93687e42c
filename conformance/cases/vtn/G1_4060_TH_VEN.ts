import { randomUUID } from 'node:crypto';
import { serializePayload, signPayload } from '../../../schemas/index.js';
import { expectCode, expectServed, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'G1_4060_TH_VEN',
  title: 'Replayed signed payload',
  requirement: 'The same signed payload (same ReplayProtect nonce) sent twice is served once and refused with 463 the second time.',
  async run(ctx) {
    const ven = ctx.newVen('g1-4060');
    await register(ctx, ven, { xmlSignature: true });
    const signed = signPayload(serializePayload({ type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }), { privateKeyPem: ven.keyPem, certificatePem: ven.certPem }, { now: { epochMs: Date.now(), microsOfMs: 0 } });
    expectServed(await ctx.send('EiEvent', signed, { as: ven }), 'the first copy');
    expectCode(await ctx.send('EiEvent', signed, { as: ven }), 463);
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
