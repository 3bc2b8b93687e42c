import { randomUUID } from 'node:crypto';
import { serializePayload, signPayload } from '../../../schemas/index.js';
import { expectCode, expectServed, expectThat, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { register } from './steps.js';

export default {
  id: 'G1_4050_TH_VEN',
  title: 'Tampered XML signature',
  requirement: 'A VEN that registered with oadrXmlSignature sends a signed payload altered after signing: the VTN refuses it with 463 and accepts the untampered one.',
  async run(ctx) {
    const ven = ctx.newVen('g1-4050');
    await register(ctx, ven, { xmlSignature: true });
    const requestId = randomUUID();
    const signed = signPayload(serializePayload({ type: 'oadrRequestEvent', requestId, venId: ven.venId }), { privateKeyPem: ven.keyPem, certificatePem: ven.certPem }, { now: { epochMs: Date.now(), microsOfMs: 0 } });
    const tampered = signed.replace(requestId, randomUUID());
    expectThat(tampered !== signed, 'harness: could not alter the payload');
    expectCode(await ctx.send('EiEvent', tampered, { as: ven }), 463);
    expectServed(await ctx.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }, { as: ven, sign: true }), 'the untampered signed request');
  },
} satisfies ConformanceCase<VtnTarget, VtnCaseContext>;
