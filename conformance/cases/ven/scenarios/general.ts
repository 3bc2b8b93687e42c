// General and security scenarios for a VEN under test (G1_40xx pull, G0_9010 push), the harness as the VTN.
import { randomUUID } from 'node:crypto';
import { OPENADR_SUITES, type OadrMessage, type OadrPoll } from '../../../../schemas/index.js';
import { expectThat, NotApplicable } from '../../../harness/case.js';
import { answers, event, offered, reportRequest, venCase, type VenScenario } from './common.js';

const ALLIANCE_SUITES: readonly string[] = OPENADR_SUITES;
const isPoll = (m: OadrMessage): m is OadrPoll => m.type === 'oadrPoll';

/** 4010/9010: every connection the VEN opens to the VTN is TLS 1.2 with an Alliance suite (and its client certificate, which the harness requires). */
export const cipherAndCertificates: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  expectThat(ctx.vtn.tls.length > 0, 'the VEN connected');
  for (const t of ctx.vtn.tls) {
    expectThat(t.protocol === 'TLSv1.2', `TLS 1.2, got ${t.protocol}`);
    expectThat(ALLIANCE_SUITES.includes(t.cipher), `an Alliance suite (${ALLIANCE_SUITES.join(' or ')}), got ${t.cipher}`);
  }
};

/** 4011: with nothing queued the VEN's polls get oadrResponse, and it keeps polling at the requested frequency. */
export const emptyPoll: VenScenario = async (ctx) => {
  if (ctx.delivery !== 'pull') throw new NotApplicable('a push VEN does not poll');
  await ctx.vtn.ready();
  const since = Date.now();
  await ctx.vtn.waitFor('three polls (pollFreq 1 s)', (m): m is OadrPoll => isPoll(m) && ctx.vtn.received.filter((r) => r.at >= since && isPoll(r.message)).length >= 3, 10_000, since);
};

/** 4015: payloads queued together (an event, a report request, a re-registration request) are all taken by polling. */
export const dequeue: VenScenario = async (ctx) => {
  if (ctx.delivery !== 'pull') throw new NotApplicable('a push VEN does not poll');
  const usage = await offered(ctx, 'METADATA_TELEMETRY_USAGE');
  await ctx.vtn.ready();
  const id = `th-${randomUUID().slice(0, 8)}`;
  ctx.vtn.events = [event(id, 0)];
  const since = Date.now();
  ctx.vtn.queue.push(ctx.vtn.distribute());
  ctx.vtn.queue.push({ type: 'oadrCreateReport', requestId: randomUUID(), venId: ctx.vtn.venId, reportRequests: [reportRequest(usage, usage.minPeriodMs, 0)] });
  ctx.vtn.queue.push({ type: 'oadrRequestReregistration', venId: ctx.vtn.venId });
  await ctx.vtn.waitFor(`oadrCreatedEvent for ${id}`, answers(id, 0), 15_000, since);
  await ctx.vtn.waitFor('oadrCreatedReport', (m): m is OadrMessage => m.type === 'oadrCreatedReport', 15_000, since);
  await ctx.vtn.waitFor('oadrCreatePartyRegistration (re-registration)', (m): m is OadrMessage => m.type === 'oadrCreatePartyRegistration', 15_000, since);
  expectThat(ctx.vtn.queue.length === 0, `the queue is drained, ${ctx.vtn.queue.length} left`);
};

/** XS_0020: a poll answered with a schema-invalid payload does not stop the VEN polling. */
export const schemaInvalidAnswer: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  let broken = false;
  ctx.vtn.override = (m) => {
    if (m.type !== 'oadrPoll' || broken) return undefined;
    broken = true;
    return '<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject><oadrDistributeEvent/></oadrSignedObject></oadrPayload>';
  };
  const since = Date.now();
  await ctx.vtn.waitFor('two polls after the invalid answer', (m): m is OadrPoll => isPoll(m) && ctx.vtn.received.filter((r) => r.at >= since && isPoll(r.message)).length >= 3, 15_000, since);
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  venCase({
    id: 'G0_9010_TH_VTN', delivery: 'push',
    title: 'Security - Cipher and X.509 Cert support',
    requirement: 'Every connection the VEN opens to the VTN is TLS 1.2 with an OpenADR Alliance suite and the VEN\'s certificate from the CA.',
    run: cipherAndCertificates,
  }),
  venCase({
    id: 'G1_4010_TH_VTN', delivery: 'pull',
    title: 'Security - Cipher and X.509 Cert support',
    requirement: 'Every connection the VEN opens to the VTN is TLS 1.2 with an OpenADR Alliance suite and the VEN\'s certificate from the CA.',
    run: cipherAndCertificates,
  }),
  venCase({
    id: 'G1_4011_TH_VTN', delivery: 'pull',
    title: 'VEN - Empty oadrPoll',
    requirement: 'With nothing queued, the VEN\'s polls get oadrResponse and it keeps polling at the requested frequency.',
    run: emptyPoll,
  }),
  venCase({
    id: 'G1_4015_TH_VTN', delivery: 'pull',
    title: 'VEN - De-Queue using oadrPoll',
    requirement: 'Payloads queued together (a distribute, a report request, a re-registration request) are all taken by polling and handled.',
    run: dequeue,
  }),
  venCase({
    id: 'XS_0020_TH_VTN', delivery: 'pull',
    title: 'FlexBridge security - schema-invalid answer from the VTN',
    requirement: 'A poll answered with a payload that is not schema-valid 2.0b does not stop the VEN: it keeps polling.',
    run: schemaInvalidAnswer,
  }),
];
