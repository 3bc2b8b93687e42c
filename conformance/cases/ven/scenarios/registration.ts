// EiRegisterParty scenarios for a VEN under test (N1_00xx pull, N0_50xx push), the harness as the VTN.
import { randomUUID } from 'node:crypto';
import { parsePayload, serializePayload, type OadrCreatePartyRegistration, type OadrMessage } from '../../../../schemas/index.js';
import { CaseFailure, expectThat } from '../../../harness/case.js';
import { control, exchange, quiet, venCase, type VenScenario } from './common.js';

const isRegistration = (m: OadrMessage): m is OadrCreatePartyRegistration => m.type === 'oadrCreatePartyRegistration';

/** 0010: the VEN asks what the VTN offers (oadrQueryRegistration) before it registers. */
export const query: VenScenario = async (ctx) => {
  await ctx.vtn.waitFor('oadrQueryRegistration', (m): m is OadrMessage => m.type === 'oadrQueryRegistration');
  const first = ctx.vtn.received.findIndex((r) => r.message.type === 'oadrQueryRegistration');
  const registration = ctx.vtn.received.findIndex((r) => r.message.type === 'oadrCreatePartyRegistration');
  expectThat(registration === -1 || first < registration, 'the query comes before the registration');
};

/** 0015: a registered VEN queries its registration. */
export const queryWhileRegistered: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const since = Date.now();
  await control(ctx).queryRegistration();
  await ctx.vtn.waitFor('oadrQueryRegistration while registered', (m): m is OadrMessage => m.type === 'oadrQueryRegistration', 15_000, since);
};

/**
 * 0020: the bootstrap — registration for 2.0b over simpleHttp (pull or push as the VEN runs), its
 * METADATA with the assigned venID, and its oadrRegisteredReport to the VTN's own METADATA.
 */
export const bootstrap: VenScenario = async (ctx) => {
  const registration = await ctx.vtn.waitFor('oadrCreatePartyRegistration', isRegistration);
  expectThat(registration.profileName === '2.0b', `profileName 2.0b, got ${registration.profileName}`);
  expectThat(registration.transportName === 'simpleHttp', `transportName simpleHttp, got ${registration.transportName}`);
  if (ctx.delivery === 'pull') expectThat(registration.httpPullModel !== false, 'a pull VEN registers with httpPullModel true');
  else expectThat(registration.httpPullModel === false && /^https:\/\//.test(registration.transportAddress ?? ''), `a push VEN registers with httpPullModel false and its HTTPS address, got ${registration.httpPullModel}/${registration.transportAddress ?? ''}`);
  const metadata = await ctx.vtn.waitFor('oadrRegisterReport', (m): m is Extract<OadrMessage, { type: 'oadrRegisterReport' }> => m.type === 'oadrRegisterReport');
  expectThat(metadata.venId === ctx.vtn.venId, `the report names the assigned venID ${ctx.vtn.venId}, got ${metadata.venId ?? 'none'}`);
  expectThat(metadata.reports.every((r) => (r.reportName ?? '').startsWith('METADATA_') && r.reportRequestId === '0'), `only METADATA reports (reportRequestID 0) are registered, got ${metadata.reports.map((r) => r.reportName).join(', ')}`);
  await ctx.vtn.ready();
  const registered = await exchange(ctx, { type: 'oadrRegisterReport', requestId: randomUUID(), venId: ctx.vtn.venId, reportRequestId: '0', reports: [] }, 'oadrRegisteredReport', 'oadrRegisteredReport to the VTN\'s METADATA');
  expectThat(registered.response.responseCode === 200, `oadrRegisteredReport 200, got ${registered.response.responseCode}`);
};

/** 0025: a VEN with a pre-allocated venID names it in its registration. */
export const preallocated: VenScenario = async (ctx) => {
  const registration = await ctx.vtn.waitFor('oadrCreatePartyRegistration', isRegistration);
  expectThat(registration.venId !== undefined && registration.venId.startsWith('preallocated-'), `the registration names the pre-allocated venID, got ${registration.venId ?? 'none'}`);
};

/** 0030: the VEN cancels its registration (oadrCancelPartyRegistration naming it) and stops polling. */
export const venCancels: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const registrationId = ctx.vtn.registrationId;
  const since = Date.now();
  await control(ctx).cancelRegistration();
  const cancel = await ctx.vtn.waitFor('oadrCancelPartyRegistration', (m): m is Extract<OadrMessage, { type: 'oadrCancelPartyRegistration' }> => m.type === 'oadrCancelPartyRegistration', 15_000, since);
  expectThat(cancel.registrationId === registrationId, `the cancellation names registration ${registrationId}, got ${cancel.registrationId}`);
  await quiet(ctx, 'a poll after cancelling its registration', (m) => m.type === 'oadrPoll', 3_000);
};

async function vtnCancelsRegistration(ctx: Parameters<VenScenario>[0]): Promise<void> {
  const registrationId = ctx.vtn.registrationId!;
  const answer = await exchange(ctx, { type: 'oadrCancelPartyRegistration', requestId: randomUUID(), registrationId, venId: ctx.vtn.venId }, 'oadrCanceledPartyRegistration', 'oadrCanceledPartyRegistration');
  expectThat(answer.response.responseCode === 200, `the VEN confirms with 200, got ${answer.response.responseCode}`);
  expectThat(answer.registrationId === registrationId, `the confirmation names registration ${registrationId}, got ${answer.registrationId}`);
  ctx.vtn.registrationId = undefined;
}

/** 0040: the VTN cancels the registration: the VEN confirms and stops polling. */
export const vtnCancels: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  await vtnCancelsRegistration(ctx);
  await new Promise((r) => setTimeout(r, 1_000));
  await quiet(ctx, 'a poll after its registration was cancelled', (m) => m.type === 'oadrPoll', 3_000);
};

/** 0050: the VTN asks for re-registration: the VEN registers again. */
export const vtnRequestsReregistration: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const since = Date.now();
  await ctx.vtn.deliver({ type: 'oadrRequestReregistration', venId: ctx.vtn.venId });
  await ctx.vtn.waitFor('oadrCreatePartyRegistration after oadrRequestReregistration', isRegistration, 15_000, since);
};

/** 0060: the registered VEN registers anew (no registrationID). */
export const newRegistration: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const since = Date.now();
  await control(ctx).register(true);
  const again = await ctx.vtn.waitFor('a new oadrCreatePartyRegistration', isRegistration, 15_000, since);
  expectThat(again.registrationId === undefined, `a new registration names no registrationID, got ${again.registrationId ?? ''}`);
};

/** 0065: the registered VEN re-registers under its registrationID. */
export const reregistration: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const registrationId = ctx.vtn.registrationId;
  const since = Date.now();
  await control(ctx).register(false);
  const again = await ctx.vtn.waitFor('a re-registration', isRegistration, 15_000, since);
  expectThat(again.registrationId === registrationId, `re-registration names registration ${registrationId}, got ${again.registrationId ?? 'none'}`);
};

/** 0070: a cancellation naming a registrationID that is not the VEN's is refused with 452; the valid one is confirmed. */
export const registrationNegative: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const wrong = await exchange(ctx, { type: 'oadrCancelPartyRegistration', requestId: randomUUID(), registrationId: 'INVALID_REGISTRATION_ID', venId: ctx.vtn.venId }, 'oadrCanceledPartyRegistration', 'the answer to an invalid cancellation');
  expectThat(wrong.response.responseCode === 452, `an invalid registrationID is refused with 452, got ${wrong.response.responseCode}`);
  await vtnCancelsRegistration(ctx);
};

/** 0080: once unregistered, the VEN neither polls nor accepts payloads (no answer, or 463). */
export const payloadWhileUnregistered: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  await vtnCancelsRegistration(ctx);
  await new Promise((r) => setTimeout(r, 1_000));
  if (ctx.delivery === 'pull') {
    await quiet(ctx, 'a poll while unregistered', (m) => m.type === 'oadrPoll', 3_000);
    return;
  }
  ctx.vtn.events = [];
  const outcome = await ctx.vtn.postRaw('EiEvent', serializePayload(ctx.vtn.distribute()));
  if ('error' in outcome || outcome.status !== 200) return;
  const reply = parsePayload(outcome.body).message;
  const code = 'response' in reply ? (reply as { response?: { responseCode: number } }).response?.responseCode : undefined;
  if (code !== 463) throw new CaseFailure(`an unregistered VEN should refuse a payload with 463 (or not answer), got ${reply.type} ${code ?? ''}`);
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  venCase({
    id: 'N0_5010_TH_VTN', delivery: 'push',
    title: 'VEN Registration - Query',
    requirement: 'Before registering, the VEN asks what the VTN offers with oadrQueryRegistration.',
    run: query,
  }),
  venCase({
    id: 'N0_5015_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Registration - Query While Registered',
    requirement: 'A registered VEN, told to, queries its registration with oadrQueryRegistration.',
    run: queryWhileRegistered,
  }),
  venCase({
    id: 'N0_5020_TH_VTN', delivery: 'push',
    title: 'VEN Registration - Bootstrap Sequence',
    requirement: 'The VEN registers for 2.0b over simpleHttp (httpPullModel and oadrTransportAddress as it runs), registers its METADATA reports (reportRequestID 0) under the assigned venID, and answers the VTN\'s METADATA with oadrRegisteredReport 200.',
    run: bootstrap,
  }),
  venCase({
    id: 'N0_5025_TH_VTN', delivery: 'push', preallocate: true,
    title: 'VEN Registration - Pre-allocated VEN ID',
    requirement: 'A VEN configured with a pre-allocated venID names it in oadrCreatePartyRegistration.',
    run: preallocated,
  }),
  venCase({
    id: 'N0_5030_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Registration - Cancel Registration',
    requirement: 'Told to, the VEN cancels its registration with oadrCancelPartyRegistration naming it, and stops polling.',
    run: venCancels,
  }),
  venCase({
    id: 'N0_5040_TH_VTN', delivery: 'push',
    title: 'VTN Registration - Cancel Registration',
    requirement: 'The VTN cancels the registration: the VEN answers oadrCanceledPartyRegistration 200 naming it and stops polling.',
    run: vtnCancels,
  }),
  venCase({
    id: 'N0_5050_TH_VTN', delivery: 'push',
    title: 'VTN Registration - Request Re-Registration',
    requirement: 'After oadrRequestReregistration the VEN registers again with oadrCreatePartyRegistration.',
    run: vtnRequestsReregistration,
  }),
  venCase({
    id: 'N0_5060_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Registration - New Registration while Registered',
    requirement: 'Told to, a registered VEN registers anew, without a registrationID.',
    run: newRegistration,
  }),
  venCase({
    id: 'N0_5065_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Registration - Re-Registration',
    requirement: 'Told to, a registered VEN re-registers under its registrationID.',
    run: reregistration,
  }),
  venCase({
    id: 'N0_5070_TH_VTN', delivery: 'push',
    title: 'VTN Registration - Negative Test Scenarios',
    requirement: 'A cancellation naming a registrationID that is not the VEN\'s is answered with 452; the valid cancellation is confirmed with 200.',
    run: registrationNegative,
  }),
  venCase({
    id: 'N0_5080_TH_VTN', delivery: 'push',
    title: 'VEN Registration - Payload While Unregistered',
    requirement: 'Once its registration is cancelled the VEN does not poll, and a payload pushed to it gets no answer or 463.',
    run: payloadWhileUnregistered,
  }),
  venCase({
    id: 'N1_0010_TH_VTN', delivery: 'pull',
    title: 'VEN Registration - Query',
    requirement: 'Before registering, the VEN asks what the VTN offers with oadrQueryRegistration.',
    run: query,
  }),
  venCase({
    id: 'N1_0015_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Registration - Query While Registered',
    requirement: 'A registered VEN, told to, queries its registration with oadrQueryRegistration.',
    run: queryWhileRegistered,
  }),
  venCase({
    id: 'N1_0020_TH_VTN', delivery: 'pull',
    title: 'VEN Registration - Bootstrap Sequence',
    requirement: 'The VEN registers for 2.0b over simpleHttp (httpPullModel and oadrTransportAddress as it runs), registers its METADATA reports (reportRequestID 0) under the assigned venID, and answers the VTN\'s METADATA with oadrRegisteredReport 200.',
    run: bootstrap,
  }),
  venCase({
    id: 'N1_0025_TH_VTN', delivery: 'pull', preallocate: true,
    title: 'VEN Registration - Pre-allocated VEN ID',
    requirement: 'A VEN configured with a pre-allocated venID names it in oadrCreatePartyRegistration.',
    run: preallocated,
  }),
  venCase({
    id: 'N1_0030_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Registration - Cancel Registration',
    requirement: 'Told to, the VEN cancels its registration with oadrCancelPartyRegistration naming it, and stops polling.',
    run: venCancels,
  }),
  venCase({
    id: 'N1_0040_TH_VTN', delivery: 'pull',
    title: 'VTN Registration - Cancel Registration',
    requirement: 'The VTN cancels the registration: the VEN answers oadrCanceledPartyRegistration 200 naming it and stops polling.',
    run: vtnCancels,
  }),
  venCase({
    id: 'N1_0050_TH_VTN', delivery: 'pull',
    title: 'VTN Registration - Request Re-Registration',
    requirement: 'After oadrRequestReregistration the VEN registers again with oadrCreatePartyRegistration.',
    run: vtnRequestsReregistration,
  }),
  venCase({
    id: 'N1_0060_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Registration - New Registration while Registered',
    requirement: 'Told to, a registered VEN registers anew, without a registrationID.',
    run: newRegistration,
  }),
  venCase({
    id: 'N1_0065_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Registration - Re-Registration',
    requirement: 'Told to, a registered VEN re-registers under its registrationID.',
    run: reregistration,
  }),
  venCase({
    id: 'N1_0070_TH_VTN', delivery: 'pull',
    title: 'VTN Registration - Negative Test Scenarios',
    requirement: 'A cancellation naming a registrationID that is not the VEN\'s is answered with 452; the valid cancellation is confirmed with 200.',
    run: registrationNegative,
  }),
  venCase({
    id: 'N1_0080_TH_VTN', delivery: 'pull',
    title: 'VEN Registration - Payload While Unregistered',
    requirement: 'Once its registration is cancelled the VEN does not poll, and a payload pushed to it gets no answer or 463.',
    run: payloadWhileUnregistered,
  }),
];
