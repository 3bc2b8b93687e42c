// EiRegisterParty scenarios (N1_00xx pull, N0_50xx push), the harness as the VEN.
import { randomUUID } from 'node:crypto';
import { expectCode, expectThat, expectType } from '../../../harness/case.js';
import type { HarnessVen } from '../../../harness/harness-ven.js';
import { openVen, operator, registeredVen, registerMetadata, type Scenario } from './common.js';

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
