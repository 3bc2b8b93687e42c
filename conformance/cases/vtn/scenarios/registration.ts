// EiRegisterParty scenarios (N1_00xx pull, N0_50xx push), the harness as the VEN.
import { randomUUID } from 'node:crypto';
import { expectCode, expectThat, expectType } from '../../../harness/case.js';
import type { HarnessVen } from '../../../harness/harness-ven.js';
import { openVen, operator, registeredVen, registerMetadata, vtnCase, type Scenario } from './common.js';

const query = async (ven: HarnessVen) => expectType(await ven.send('EiRegisterParty', { type: 'oadrQueryRegistration', requestId: randomUUID() }), 'oadrCreatedPartyRegistration');

/** 0010: an unregistered VEN's query names the VTN and its profiles, and no registration. */
export const queryUnregistered: Scenario = async (ctx, delivery, label) => {
  const ven = await openVen(ctx, label, delivery);
  const answer = await query(ven);
  expectCode(answer, 200);
  expectThat(answer.vtnId.length > 0, 'the answer names the vtnID');
  const b = answer.profiles.find((p) => p.profileName === '2.0b');
  expectThat(b !== undefined, `the 2.0b profile is offered, got ${answer.profiles.map((p) => p.profileName).join(', ')}`);
  const transport = ven.transportFields().transportName;
  expectThat(b.transports.includes(transport), `the 2.0b profile offers ${transport}, got ${b.transports.join(', ')}`);
  expectThat(answer.registrationId === undefined, `an unregistered VEN has no registrationID, got ${answer.registrationId ?? ''}`);
};

/** 0015: a registered VEN's query names its registration and venID. */
export const queryRegistered: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const answer = await query(ven);
  expectCode(answer, 200);
  expectThat(answer.registrationId === ven.registrationId, `the query names registration ${ven.registrationId}, got ${answer.registrationId ?? 'none'}`);
  expectThat(answer.venId === ven.venId, `the query names venID ${ven.venId}, got ${answer.venId ?? 'none'}`);
};

/**
 * 0020: the bootstrap — registration, the VTN's own METADATA (oadrRegisterReport, answered with
 * oadrRegisteredReport), then the VEN's METADATA answered 200.
 */
export const bootstrap: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const vtnMetadata = await ven.next('oadrRegisterReport', 'its METADATA registration (oadrRegisterReport) after registration');
  expectThat(vtnMetadata.reports.every((r) => r.reportRequestId === '0'), 'METADATA reports carry reportRequestID 0');
  await registerMetadata(ven);
};

/** 0025: a VEN that names its (pre-allocated) venID in the registration keeps it. */
export const preallocatedVenId: Scenario = async (ctx, delivery, label) => {
  const ven = await openVen(ctx, label, delivery);
  const answer = await ven.register({ venId: ven.venId });
  expectThat(answer.venId === ven.venId, `the pre-allocated venID ${ven.venId} is kept, got ${answer.venId ?? 'none'}`);
};

/** 0030: the VEN cancels its registration; afterwards its payloads are refused. */
export const venCancels: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const cancelled = expectType(await ven.send('EiRegisterParty', { type: 'oadrCancelPartyRegistration', requestId: randomUUID(), registrationId: ven.registrationId!, venId: ven.venId }), 'oadrCanceledPartyRegistration');
  expectCode(cancelled, 200);
  expectThat(cancelled.registrationId === ven.registrationId, 'the cancellation names the registration');
  expectCode(await ven.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId }), 463);
};

/** 0040: the VTN cancels the registration; the VEN answers oadrCanceledPartyRegistration and is no longer served. */
export const vtnCancels: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  await operator(ven).cancelRegistration!(ven.venId);
  const cancel = await ven.next('oadrCancelPartyRegistration', 'oadrCancelPartyRegistration');
  expectThat(cancel.registrationId === ven.registrationId, `the cancellation names registration ${ven.registrationId}, got ${cancel.registrationId}`);
  // The harness VEN answered (in the push response, or as a request of its own when polling).
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await ven.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId });
    if (answer.type === 'oadrResponse' && answer.response.responseCode === 463) return;
    expectThat(Date.now() < deadline, `after the VEN confirmed the cancellation its polls should be refused with 463, got ${answer.type}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** 0050: the VTN asks for re-registration; the VEN answers and registers again, keeping its registration. */
export const vtnRequestsReregistration: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const first = ven.registrationId;
  await operator(ven).requestReregistration!(ven.venId);
  await ven.next('oadrRequestReregistration', 'oadrRequestReregistration');
  if (delivery === 'pull') expectCode(expectType(await ven.send('EiRegisterParty', { type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId: ven.venId }), 'oadrResponse'), 200);
  await ven.register({ registrationId: first!, venId: ven.venId });
  expectThat(ven.registrationId === first, `re-registration keeps registration ${first}, got ${ven.registrationId}`);
};

/** 0060: a registered VEN registers anew (no registrationID): it succeeds and the VEN is served. */
export const newRegistrationWhileRegistered: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  await ven.register();
  const answer = await query(ven);
  expectThat(answer.registrationId === ven.registrationId, `the query names the newest registration ${ven.registrationId}, got ${answer.registrationId ?? 'none'}`);
};

/** 0065: re-registration with the registrationID keeps it, and report metadata is exchanged again. */
export const reregistration: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const first = ven.registrationId!;
  await ven.register({ registrationId: first, venId: ven.venId });
  expectThat(ven.registrationId === first, `re-registration keeps registration ${first}, got ${ven.registrationId}`);
  await registerMetadata(ven);
};

/** 0070: invalid registration payloads are refused with 452; the valid cancellation then succeeds. */
export const registrationNegative: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  expectCode(await ven.send('EiRegisterParty', { type: 'oadrCancelPartyRegistration', requestId: randomUUID(), registrationId: 'INVALID_REGISTRATION_ID', venId: ven.venId }), 452);
  expectCode(await ven.send('EiRegisterParty', {
    type: 'oadrCreatePartyRegistration', requestId: randomUUID(), registrationId: 'INVALID_REGISTRATION_ID', venId: ven.venId, profileName: '2.0b', reportOnly: false, xmlSignature: false, ...ven.transportFields(),
  }), 452);
  expectCode(await ven.send('EiRegisterParty', { type: 'oadrCancelPartyRegistration', requestId: randomUUID(), registrationId: ven.registrationId!, venId: 'INVALID_VEN_ID' }), 452);
  expectCode(expectType(await ven.send('EiRegisterParty', { type: 'oadrCancelPartyRegistration', requestId: randomUUID(), registrationId: ven.registrationId!, venId: ven.venId }), 'oadrCanceledPartyRegistration'), 200);
};

/** 0080: payloads from a VEN that is not registered are refused (463). */
export const payloadWhileUnregistered: Scenario = async (ctx, delivery, label) => {
  const ven = await openVen(ctx, label, delivery);
  expectCode(await ven.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId }), 463);
  expectCode(await ven.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }), 463);
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  vtnCase({
    id: 'N0_5010_TH_VEN', delivery: 'push',
    title: 'VEN Registration - Query',
    requirement: 'An unregistered VEN\'s oadrQueryRegistration is answered with oadrCreatedPartyRegistration 200 naming the vtnID and the 2.0b profile with the VEN\'s transport, and no registrationID.',
    run: queryUnregistered,
  }),
  vtnCase({
    id: 'N0_5015_TH_VEN', delivery: 'push',
    title: 'VEN Registration - Query While Registered',
    requirement: 'A registered VEN\'s oadrQueryRegistration names its registrationID and venID.',
    run: queryRegistered,
  }),
  vtnCase({
    id: 'N0_5020_TH_VEN', delivery: 'push',
    title: 'VEN Registration - Bootstrap Sequence',
    requirement: 'Registration succeeds with a registrationID and the certificate\'s venID; the VTN then registers its own METADATA (oadrRegisterReport, reportRequestID 0) with the VEN, and the VEN\'s METADATA is answered with oadrRegisteredReport 200.',
    run: bootstrap,
  }),
  vtnCase({
    id: 'N0_5025_TH_VEN', delivery: 'push',
    title: 'VEN Registration - Pre-allocated VEN ID',
    requirement: 'A VEN that names its pre-allocated venID in oadrCreatePartyRegistration is registered under that venID.',
    run: preallocatedVenId,
  }),
  vtnCase({
    id: 'N0_5030_TH_VEN', delivery: 'push',
    title: 'VEN Registration - Cancel Registration',
    requirement: 'oadrCancelPartyRegistration from the VEN is answered with oadrCanceledPartyRegistration 200 naming the registration; later payloads are refused with 463.',
    run: venCancels,
  }),
  vtnCase({
    id: 'N0_5040_TH_VEN', delivery: 'push', needs: ['cancelRegistration'],
    title: 'VTN Registration - Cancel Registration',
    requirement: 'A cancellation the VTN starts reaches the VEN as oadrCancelPartyRegistration naming its registration; once the VEN confirms, its payloads are refused with 463.',
    run: vtnCancels,
  }),
  vtnCase({
    id: 'N0_5050_TH_VEN', delivery: 'push', needs: ['requestReregistration'],
    title: 'VTN Registration - Request Re-Registration',
    requirement: 'oadrRequestReregistration reaches the VEN; its re-registration with the registrationID succeeds and keeps the registration.',
    run: vtnRequestsReregistration,
  }),
  vtnCase({
    id: 'N0_5060_TH_VEN', delivery: 'push',
    title: 'VEN Registration - New Registration while Registered',
    requirement: 'A registered VEN that registers again without a registrationID is registered, and a query names the registration it was given.',
    run: newRegistrationWhileRegistered,
  }),
  vtnCase({
    id: 'N0_5065_TH_VEN', delivery: 'push',
    title: 'VEN Registration - Re-Registration',
    requirement: 'Re-registration naming the registrationID keeps it, and the VEN\'s METADATA is accepted again.',
    run: reregistration,
  }),
  vtnCase({
    id: 'N0_5070_TH_VEN', delivery: 'push',
    title: 'VTN Registration - Negative Test Scenarios',
    requirement: 'A cancellation or registration naming a registrationID the VTN never issued, or an unknown venID, is refused with 452; the valid cancellation then succeeds.',
    run: registrationNegative,
  }),
  vtnCase({
    id: 'N0_5080_TH_VEN', delivery: 'push',
    title: 'VEN Registration - Payload While Unregistered',
    requirement: 'oadrPoll and oadrRequestEvent from a VEN that is not registered are refused with 463.',
    run: payloadWhileUnregistered,
  }),
  vtnCase({
    id: 'N1_0010_TH_VEN', delivery: 'pull',
    title: 'VEN Registration - Query',
    requirement: 'An unregistered VEN\'s oadrQueryRegistration is answered with oadrCreatedPartyRegistration 200 naming the vtnID and the 2.0b profile with the VEN\'s transport, and no registrationID.',
    run: queryUnregistered,
  }),
  vtnCase({
    id: 'N1_0015_TH_VEN', delivery: 'pull',
    title: 'VEN Registration - Query While Registered',
    requirement: 'A registered VEN\'s oadrQueryRegistration names its registrationID and venID.',
    run: queryRegistered,
  }),
  vtnCase({
    id: 'N1_0020_TH_VEN', delivery: 'pull',
    title: 'VEN Registration - Bootstrap Sequence',
    requirement: 'Registration succeeds with a registrationID and the certificate\'s venID; the VTN then registers its own METADATA (oadrRegisterReport, reportRequestID 0) with the VEN, and the VEN\'s METADATA is answered with oadrRegisteredReport 200.',
    run: bootstrap,
  }),
  vtnCase({
    id: 'N1_0025_TH_VEN', delivery: 'pull',
    title: 'VEN Registration - Pre-allocated VEN ID',
    requirement: 'A VEN that names its pre-allocated venID in oadrCreatePartyRegistration is registered under that venID.',
    run: preallocatedVenId,
  }),
  vtnCase({
    id: 'N1_0030_TH_VEN', delivery: 'pull',
    title: 'VEN Registration - Cancel Registration',
    requirement: 'oadrCancelPartyRegistration from the VEN is answered with oadrCanceledPartyRegistration 200 naming the registration; later payloads are refused with 463.',
    run: venCancels,
  }),
  vtnCase({
    id: 'N1_0040_TH_VEN', delivery: 'pull', needs: ['cancelRegistration'],
    title: 'VTN Registration - Cancel Registration',
    requirement: 'A cancellation the VTN starts reaches the VEN as oadrCancelPartyRegistration naming its registration; once the VEN confirms, its payloads are refused with 463.',
    run: vtnCancels,
  }),
  vtnCase({
    id: 'N1_0050_TH_VEN', delivery: 'pull', needs: ['requestReregistration'],
    title: 'VTN Registration - Request Re-Registration',
    requirement: 'oadrRequestReregistration reaches the VEN; its re-registration with the registrationID succeeds and keeps the registration.',
    run: vtnRequestsReregistration,
  }),
  vtnCase({
    id: 'N1_0060_TH_VEN', delivery: 'pull',
    title: 'VEN Registration - New Registration while Registered',
    requirement: 'A registered VEN that registers again without a registrationID is registered, and a query names the registration it was given.',
    run: newRegistrationWhileRegistered,
  }),
  vtnCase({
    id: 'N1_0065_TH_VEN', delivery: 'pull',
    title: 'VEN Registration - Re-Registration',
    requirement: 'Re-registration naming the registrationID keeps it, and the VEN\'s METADATA is accepted again.',
    run: reregistration,
  }),
  vtnCase({
    id: 'N1_0070_TH_VEN', delivery: 'pull',
    title: 'VTN Registration - Negative Test Scenarios',
    requirement: 'A cancellation or registration naming a registrationID the VTN never issued, or an unknown venID, is refused with 452; the valid cancellation then succeeds.',
    run: registrationNegative,
  }),
  vtnCase({
    id: 'N1_0080_TH_VEN', delivery: 'pull',
    title: 'VEN Registration - Payload While Unregistered',
    requirement: 'oadrPoll and oadrRequestEvent from a VEN that is not registered are refused with 463.',
    run: payloadWhileUnregistered,
  }),
];
