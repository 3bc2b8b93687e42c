// EiEvent scenarios (E1_10xx pull, E0_60xx push), the harness as the VEN.
import { randomUUID } from 'node:crypto';
import { expectCode, expectThat, expectType } from '../../../harness/case.js';
import { answerEvents, distributeOf, expectParticipation, issue, operator, registeredVen, vtnCase, type Scenario } from './common.js';

const firstValue = (e: { signals: readonly { intervals: readonly { payloads: readonly { kind: string; value?: unknown }[] }[] }[] }): unknown => e.signals[0]?.intervals[0]?.payloads[0]?.value;

/** 1010: with no event for the VEN, oadrRequestEvent gets an empty oadrDistributeEvent. */
export const emptyDistribute: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const answer = expectType(await ven.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }), 'oadrDistributeEvent');
  expectCode(answer, 200);
  expectThat(answer.events.length === 0, `no events for a new VEN, got ${answer.events.length}`);
};

/** Issues an event of the given signal and checks what reaches the VEN, then answers optIn. */
function signalEvent(signal: 'ELECTRICITY_PRICE' | 'LOAD_DISPATCH', signalType: string, baseline = false): Scenario {
  return async (ctx, delivery, label) => {
    const ven = await registeredVen(ctx, label, delivery);
    const eventId = await issue(ven, signal === 'ELECTRICITY_PRICE' ? 3.14 : 40, { signal, baseline });
    const { distribute, event } = await distributeOf(ven, eventId, 0);
    expectThat(event.signals[0]?.signalName === signal && event.signals[0].signalType === signalType, `the event carries ${signal}/${signalType}, got ${event.signals[0]?.signalName}/${event.signals[0]?.signalType}`);
    expectThat(event.signals[0]!.intervals.every((i, n) => i.uid === String(n)), 'interval uids count from 0');
    expectThat(event.responseRequired === 'always', 'the event asks for a response');
    if (baseline) {
      expectThat(event.baseline !== undefined, 'the event carries its eiEventBaseline');
      expectThat(event.baseline.intervals.length === 2 && event.baseline.dtstart.epochMs < event.activePeriod.dtstart.epochMs, 'the baseline has its two intervals, before the event');
    }
    await answerEvents(ven, distribute, [{ event, optType: 'optIn' }]);
    await expectParticipation(ven, eventId, 'optIn');
  };
}

/** 1020: an ELECTRICITY_PRICE event (price) reaches the VEN as modificationNumber 0, and the optIn is accepted. */
export const priceEvent = signalEvent('ELECTRICITY_PRICE', 'price');
/** 1025: a LOAD_DISPATCH setpoint event. */
export const dispatchEvent = signalEvent('LOAD_DISPATCH', 'setpoint');
/** 1027: an event with a baseline. */
export const baselineEvent = signalEvent('ELECTRICITY_PRICE', 'price', true);

/** 1030: two distribute sequences — a new event, then its modification with modificationNumber + 1, each answered. */
export const twoSequences: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const eventId = await issue(ven, 1);
  const first = await distributeOf(ven, eventId, 0);
  await answerEvents(ven, first.distribute, [{ event: first.event, optType: 'optIn' }]);
  await operator(ven).modifyEvent!(ven.venId, eventId, 3);
  const second = await distributeOf(ven, eventId, 1);
  expectThat(firstValue(second.event) === 3, `the modified event carries the new value 3, got ${JSON.stringify(firstValue(second.event))}`);
  expectThat(second.event.descriptor.createdDateTime.epochMs === first.event.descriptor.createdDateTime.epochMs, 'a modification keeps createdDateTime');
  await answerEvents(ven, second.distribute, [{ event: second.event, optType: 'optIn' }]);
};

/** 1040: one oadrCreatedEvent answering two events (a SIMPLE and a price event), one in and one out. */
export const mixedCreatedEvent: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const simple = await issue(ven, 2);
  const price = await issue(ven, 3.13, { signal: 'ELECTRICITY_PRICE', startInMs: 7_200_000 });
  const both = await ven.next('oadrDistributeEvent', 'a distribute with both events', (d) => [simple, price].every((id) => d.events.some((e) => e.descriptor.eventId === id)));
  const pick = (id: string) => both.events.find((e) => e.descriptor.eventId === id)!;
  await answerEvents(ven, both, [{ event: pick(simple), optType: 'optIn' }, { event: pick(price), optType: 'optOut' }]);
  await expectParticipation(ven, simple, 'optIn');
  await expectParticipation(ven, price, 'optOut');
};

/** 1050: oadrRequestEvent returns the VEN's events (all of them, whatever was delivered before). */
export const requestEvent: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const eventId = await issue(ven, 1);
  const answer = expectType(await ven.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }), 'oadrDistributeEvent');
  expectCode(answer, 200);
  expectThat(answer.events.some((e) => e.descriptor.eventId === eventId), `oadrRequestEvent returns event ${eventId}`);
  expectThat(answer.requestId.length > 0 && answer.vtnId.length > 0, 'the distribute carries requestID and vtnID');
};

/** 1060: an event-scoped oadrCreateOpt (optOut of one resource) is accepted and qualifies the VEN's participation. */
export const createOptQualification: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const eventId = await issue(ven, 1, { resourceIds: ['resource-1', 'resource-2'] });
  const { distribute, event } = await distributeOf(ven, eventId, 0);
  await answerEvents(ven, distribute, [{ event, optType: 'optIn' }]);
  const optId = `opt-${randomUUID().slice(0, 8)}`;
  const created = expectType(await ven.send('EiOpt', {
    type: 'oadrCreateOpt', requestId: randomUUID(), optId, optType: 'optOut', optReason: 'participating', venId: ven.venId,
    createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, qualifiedEventId: { eventId, modificationNumber: 0 }, target: { resourceIds: ['resource-2'] },
  }), 'oadrCreatedOpt');
  expectCode(created, 200);
  expectThat(created.optId === optId, `the optID is echoed (${optId}), got ${created.optId}`);
};

/** 1065: after an event-scoped optIn (oadrCreateOpt), a later oadrCreatedEvent optOut does not take the VEN out. */
export const createOptPrecedence: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const eventId = await issue(ven, 3.14, { signal: 'ELECTRICITY_PRICE', resourceIds: ['resource-1', 'resource-2'] });
  const { distribute, event } = await distributeOf(ven, eventId, 0);
  expectThat((event.target.resourceIds ?? []).length === 2, `the event targets two resources, got ${JSON.stringify(event.target.resourceIds ?? [])}`);
  await answerEvents(ven, distribute, [{ event, optType: 'optIn' }]);
  expectCode(expectType(await ven.send('EiOpt', {
    type: 'oadrCreateOpt', requestId: randomUUID(), optId: `opt-${randomUUID().slice(0, 8)}`, optType: 'optIn', optReason: 'participating', venId: ven.venId,
    createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, qualifiedEventId: { eventId, modificationNumber: 0 }, target: { resourceIds: [event.target.resourceIds![1]!] },
  }), 'oadrCreatedOpt'), 200);
  await answerEvents(ven, distribute, [{ event, optType: 'optOut' }]);
  await expectParticipation(ven, eventId, 'optIn');
};

/** 1070: a VEN refusing an event with a custom signal (460, signal not supported) gets oadrResponse 200. */
export const customSignal: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const eventId = await issue(ven, 1, { signal: 'x-CUSTOM_SIGNAL' });
  const { distribute, event } = await distributeOf(ven, eventId, 0);
  expectThat(event.signals[0]?.signalName === 'x-CUSTOM_SIGNAL', `x-CUSTOM_SIGNAL expected, got ${event.signals[0]?.signalName}`);
  await answerEvents(ven, distribute, [{ event, optType: 'optOut', code: 460 }]);
};

/** 1080: IDs are case-sensitive — an oadrCreatedEvent with the venID's case swapped is refused with 452. */
export const caseSensitivity: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const eventId = await issue(ven, 1);
  const { distribute, event } = await distributeOf(ven, eventId, 0);
  const swapped = [...ven.venId].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  expectThat(swapped !== ven.venId, 'harness error: the venID has no letters to swap');
  const answer = await ven.send('EiEvent', {
    type: 'oadrCreatedEvent', venId: swapped, response: { responseCode: 200, requestId: distribute.requestId },
    eventResponses: [{ responseCode: 200, requestId: distribute.requestId, qualifiedEventId: { eventId, modificationNumber: event.descriptor.modificationNumber }, optType: 'optIn' }],
  });
  expectCode(answer, 452);
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  vtnCase({
    id: 'E0_6010_TH_VEN', delivery: 'push',
    title: 'VTN Event - Empty',
    requirement: 'With no event for the VEN, oadrRequestEvent is answered with an oadrDistributeEvent 200 holding no event.',
    run: emptyDistribute,
  }),
  vtnCase({
    id: 'E0_6020_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VTN Event - Electricity Price Event',
    requirement: 'An ELECTRICITY_PRICE (price) event reaches the VEN with modificationNumber 0, interval uids from 0 and responseRequired always; the VEN\'s optIn is answered 200 and the VTN holds the VEN as opted in.',
    run: priceEvent,
  }),
  vtnCase({
    id: 'E0_6025_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VTN Event - Load Dispatch Event',
    requirement: 'A LOAD_DISPATCH (setpoint) event reaches the VEN and its optIn is answered 200.',
    run: dispatchEvent,
  }),
  vtnCase({
    id: 'E0_6027_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VTN Event - Event with Baseline',
    requirement: 'An event with an eiEventBaseline reaches the VEN with its baseline intervals (before the event) and its optIn is answered 200.',
    run: baselineEvent,
  }),
  vtnCase({
    id: 'E0_6030_TH_VEN', delivery: 'push', needs: ['issueEvent', 'modifyEvent'],
    title: 'VTN Event - Two Dist Event Sequences',
    requirement: 'A new event and then its modification reach the VEN as two distribute sequences: same eventID, modificationNumber 0 then 1, the new values, createdDateTime kept; both answers are accepted.',
    run: twoSequences,
  }),
  vtnCase({
    id: 'E0_6040_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VTN Event - x Created Events, Mixed Simple/Complex',
    requirement: 'One oadrCreatedEvent answering two events (a SIMPLE and an ELECTRICITY_PRICE event, one optIn, one optOut) is answered 200 and each answer is held.',
    run: mixedCreatedEvent,
  }),
  vtnCase({
    id: 'E0_6050_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VEN Event - Use of oadrRequestEvent',
    requirement: 'oadrRequestEvent returns an oadrDistributeEvent with the VEN\'s events, requestID and vtnID.',
    run: requestEvent,
  }),
  vtnCase({
    id: 'E0_6060_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VEN CreateOpt Qualification',
    requirement: 'An oadrCreateOpt naming an event (qualifiedEventID) and one of its resources is answered with oadrCreatedOpt 200 echoing the optID.',
    run: createOptQualification,
  }),
  vtnCase({
    id: 'E0_6065_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VEN Ignore oadrCreatedEvent',
    requirement: 'After an event-scoped optIn by oadrCreateOpt, a later oadrCreatedEvent optOut does not take the VEN out of the event: the opt takes precedence.',
    run: createOptPrecedence,
  }),
  vtnCase({
    id: 'E0_6070_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VTN Event - Negative Test, Custom Event Signal',
    requirement: 'An event with a custom signal (x-CUSTOM_SIGNAL) reaches the VEN; the VEN\'s eventResponse 460 (signal not supported) is answered with oadrResponse 200.',
    run: customSignal,
  }),
  vtnCase({
    id: 'E0_6080_TH_VEN', delivery: 'push', needs: ['issueEvent'],
    title: 'VTN/VEN Event - Negative Test, Case Sensitivity',
    requirement: 'IDs are case-sensitive: an oadrCreatedEvent whose venID differs from the assigned one only in case is refused with 452.',
    run: caseSensitivity,
  }),
  vtnCase({
    id: 'E1_1010_TH_VEN', delivery: 'pull',
    title: 'VTN Event - Empty',
    requirement: 'With no event for the VEN, oadrRequestEvent is answered with an oadrDistributeEvent 200 holding no event.',
    run: emptyDistribute,
  }),
  vtnCase({
    id: 'E1_1020_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VTN Event - Electricity Price Event',
    requirement: 'An ELECTRICITY_PRICE (price) event reaches the VEN with modificationNumber 0, interval uids from 0 and responseRequired always; the VEN\'s optIn is answered 200 and the VTN holds the VEN as opted in.',
    run: priceEvent,
  }),
  vtnCase({
    id: 'E1_1025_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VTN Event - Load Dispatch Event',
    requirement: 'A LOAD_DISPATCH (setpoint) event reaches the VEN and its optIn is answered 200.',
    run: dispatchEvent,
  }),
  vtnCase({
    id: 'E1_1027_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VTN Event - Event with Baseline',
    requirement: 'An event with an eiEventBaseline reaches the VEN with its baseline intervals (before the event) and its optIn is answered 200.',
    run: baselineEvent,
  }),
  vtnCase({
    id: 'E1_1030_TH_VEN', delivery: 'pull', needs: ['issueEvent', 'modifyEvent'],
    title: 'VTN Event - Two Dist Event Sequences',
    requirement: 'A new event and then its modification reach the VEN as two distribute sequences: same eventID, modificationNumber 0 then 1, the new values, createdDateTime kept; both answers are accepted.',
    run: twoSequences,
  }),
  vtnCase({
    id: 'E1_1040_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VTN Event - x Created Events, Mixed Simple/Complex',
    requirement: 'One oadrCreatedEvent answering two events (a SIMPLE and an ELECTRICITY_PRICE event, one optIn, one optOut) is answered 200 and each answer is held.',
    run: mixedCreatedEvent,
  }),
  vtnCase({
    id: 'E1_1050_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VEN Event - Use of oadrRequestEvent',
    requirement: 'oadrRequestEvent returns an oadrDistributeEvent with the VEN\'s events, requestID and vtnID.',
    run: requestEvent,
  }),
  vtnCase({
    id: 'E1_1060_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VEN CreateOpt Qualification',
    requirement: 'An oadrCreateOpt naming an event (qualifiedEventID) and one of its resources is answered with oadrCreatedOpt 200 echoing the optID.',
    run: createOptQualification,
  }),
  vtnCase({
    id: 'E1_1065_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VEN Ignore oadrCreatedEvent',
    requirement: 'After an event-scoped optIn by oadrCreateOpt, a later oadrCreatedEvent optOut does not take the VEN out of the event: the opt takes precedence.',
    run: createOptPrecedence,
  }),
  vtnCase({
    id: 'E1_1070_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VTN Event - Negative Test, Custom Event Signal',
    requirement: 'An event with a custom signal (x-CUSTOM_SIGNAL) reaches the VEN; the VEN\'s eventResponse 460 (signal not supported) is answered with oadrResponse 200.',
    run: customSignal,
  }),
  vtnCase({
    id: 'E1_1080_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
    title: 'VTN/VEN Event - Negative Test, Case Sensitivity',
    requirement: 'IDs are case-sensitive: an oadrCreatedEvent whose venID differs from the assigned one only in case is refused with 452.',
    run: caseSensitivity,
  }),
];
