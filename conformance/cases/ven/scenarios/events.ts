// EiEvent scenarios for a VEN under test (E1_10xx pull, E0_60xx push), the harness as the VTN.
import { randomUUID } from 'node:crypto';
import type { OadrCreateOpt, OadrMessage } from '../../../../schemas/index.js';
import { expectThat } from '../../../harness/case.js';
import type { ScriptedVtn } from '../../../harness/ven-target.js';
import { answers, control, distribute, event, expectAnswer, quiet, venCase, type VenScenario } from './common.js';

/** 1010: an empty distribute needs no answer; the VEN carries on. */
export const emptyDistribute: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  ctx.vtn.events = [];
  await ctx.vtn.deliver(ctx.vtn.distribute());
  await quiet(ctx, 'an oadrCreatedEvent for an empty distribute', (m) => m.type === 'oadrCreatedEvent' && (m.eventResponses ?? []).length > 0, 3_000);
  if (ctx.delivery === 'pull') {
    const since = Date.now();
    await ctx.vtn.waitFor('a poll after the empty distribute', (m): m is OadrMessage => m.type === 'oadrPoll', 5_000, since);
  }
};

function oneEvent(options: Parameters<typeof event>[2]): VenScenario {
  return async (ctx) => {
    await ctx.vtn.ready();
    const id = `th-${randomUUID().slice(0, 8)}`;
    expectAnswer(await distribute(ctx, [event(id, 0, options)]), id);
  };
}

/** 1020: an ELECTRICITY_PRICE event is answered with oadrCreatedEvent 200 and an optType. */
export const priceEvent = oneEvent({ signalName: 'ELECTRICITY_PRICE', signalType: 'price', value: 3.14 });
/** 1025: a LOAD_DISPATCH setpoint event. */
export const dispatchEvent = oneEvent({ signalName: 'LOAD_DISPATCH', signalType: 'setpoint', value: 40 });
/** 1027: an event with a baseline. */
export const baselineEvent = oneEvent({ signalName: 'ELECTRICITY_PRICE', signalType: 'price', value: 3.14, baseline: true });

/** 1030: a new event, then its modification: each version is answered. */
export const twoSequences: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const id = `th-${randomUUID().slice(0, 8)}`;
  expectAnswer(await distribute(ctx, [event(id, 0)]), id);
  expectAnswer(await distribute(ctx, [event(id, 1, { value: 3 })]), id);
};

/** 1040: a distribute with a SIMPLE and a price event is answered for both. */
export const mixedEvents: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const a = `th-${randomUUID().slice(0, 8)}`;
  const b = `th-${randomUUID().slice(0, 8)}`;
  ctx.vtn.events = [event(a, 0, { value: 2 }), event(b, 0, { signalName: 'ELECTRICITY_PRICE', signalType: 'price', value: 3.13, startInMs: 7_200_000 })];
  const since = Date.now();
  const pushed = await ctx.vtn.deliver(ctx.vtn.distribute());
  for (const id of [a, b]) {
    const created = pushed && answers(id, 0)(pushed) ? pushed : await ctx.vtn.waitFor(`oadrCreatedEvent for ${id}`, answers(id, 0), 15_000, since);
    expectAnswer(created, id);
  }
};

/** 1050: the VEN asks for its events with oadrRequestEvent (an event is waiting when it starts) and answers what it gets. */
const waiting = `th-waiting-${randomUUID().slice(0, 8)}`;
export const requestEvent: VenScenario = Object.assign(async (ctx: Parameters<VenScenario>[0]) => {
  await ctx.vtn.waitFor('oadrRequestEvent', (m): m is OadrMessage => m.type === 'oadrRequestEvent');
  expectAnswer(await ctx.vtn.waitFor(`oadrCreatedEvent for ${waiting}`, answers(waiting, 0)), waiting);
}, { beforeStart: (vtn: ScriptedVtn) => { vtn.events = [event(waiting, 0)]; } });

/** 1060: the VEN opts one resource out of an event with oadrCreateOpt naming the event. */
export const createOptQualification: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const id = `th-${randomUUID().slice(0, 8)}`;
  expectAnswer(await distribute(ctx, [event(id, 0, { resourceIds: ['resource-1', 'resource-2'] })]), id);
  const since = Date.now();
  await control(ctx).createOpt({ optType: 'optOut', eventId: id, resourceIds: ['resource-2'] });
  const opt = await ctx.vtn.waitFor('oadrCreateOpt for the event', (m): m is OadrCreateOpt => m.type === 'oadrCreateOpt', 15_000, since);
  expectThat(opt.qualifiedEventId?.eventId === id && opt.qualifiedEventId.modificationNumber === 0, `the opt names event ${id} #0, got ${JSON.stringify(opt.qualifiedEventId ?? null)}`);
  expectThat(opt.optType === 'optOut', `optOut, got ${opt.optType}`);
  expectThat((opt.target.resourceIds ?? []).includes('resource-2'), `the opt targets resource-2, got ${JSON.stringify(opt.target)}`);
};

/** 1070: an event whose only signal the VEN does not support is answered with 460. */
export const customSignal: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const id = `th-${randomUUID().slice(0, 8)}`;
  expectAnswer(await distribute(ctx, [event(id, 0, { signalName: 'x-CUSTOM_SIGNAL' })]), id, 460);
};

/** 1080: IDs are case-sensitive: a distribute whose vtnID differs from the VTN's only in case is refused with 452. */
export const caseSensitivity: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const id = `th-${randomUUID().slice(0, 8)}`;
  const swapped = [...ctx.vtn.vtnId].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  const created = await distribute(ctx, [event(id, 0)], { vtnId: swapped });
  const code = (created.eventResponses ?? []).find((r) => r.qualifiedEventId.eventId === id)?.responseCode;
  expectThat(created.response.responseCode === 452 || code === 452, `the VEN refuses the wrong-case vtnID with 452, got ${created.response.responseCode}/${code ?? 'none'}`);
};

/** XE_0010: an older modificationNumber after a newer one is not accepted as a new version. */
export const outOfOrder: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const id = `th-${randomUUID().slice(0, 8)}`;
  expectAnswer(await distribute(ctx, [event(id, 2)]), id);
  ctx.vtn.events = [event(id, 1, { value: 3 })];
  const since = Date.now();
  const pushed = await ctx.vtn.deliver(ctx.vtn.distribute());
  await new Promise((r) => setTimeout(r, 3_000));
  const replies = [...(pushed ? [pushed] : []), ...ctx.vtn.received.filter((r) => r.at >= since).map((r) => r.message)];
  const accepted = replies.some((m) => m.type === 'oadrCreatedEvent' && (m.eventResponses ?? []).some((e) => e.qualifiedEventId.eventId === id && e.qualifiedEventId.modificationNumber === 1 && e.responseCode === 200));
  expectThat(!accepted, 'the VEN accepted an older modificationNumber as a new version');
};

/** XE_0020: an event with responseRequired=never gets no oadrCreatedEvent. */
export const responseNever: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const id = `th-${randomUUID().slice(0, 8)}`;
  ctx.vtn.events = [event(id, 0, { responseRequired: 'never' })];
  const pushed = await ctx.vtn.deliver(ctx.vtn.distribute());
  expectThat(!(pushed && answers(id, 0)(pushed)), 'no oadrCreatedEvent in the answer to a responseRequired=never event');
  await quiet(ctx, 'an oadrCreatedEvent for a responseRequired=never event', answers(id, 0), 3_000);
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  venCase({
    id: 'E0_6010_TH_VTN', delivery: 'push',
    title: 'VTN Event - Empty',
    requirement: 'An oadrDistributeEvent without events gets no oadrCreatedEvent, and the VEN carries on.',
    run: emptyDistribute,
  }),
  venCase({
    id: 'E0_6020_TH_VTN', delivery: 'push',
    title: 'VTN Event - Electricity Price Event',
    requirement: 'An ELECTRICITY_PRICE event (responseRequired always) is answered with oadrCreatedEvent: its eventID, modificationNumber 0, responseCode 200 and an optType.',
    run: priceEvent,
  }),
  venCase({
    id: 'E0_6025_TH_VTN', delivery: 'push',
    title: 'VTN Event - Load Dispatch Event',
    requirement: 'A LOAD_DISPATCH setpoint event is answered with oadrCreatedEvent 200 and an optType.',
    run: dispatchEvent,
  }),
  venCase({
    id: 'E0_6027_TH_VTN', delivery: 'push',
    title: 'VTN Event - Event with Baseline',
    requirement: 'An event carrying an eiEventBaseline is answered with oadrCreatedEvent 200 and an optType.',
    run: baselineEvent,
  }),
  venCase({
    id: 'E0_6030_TH_VTN', delivery: 'push',
    title: 'VTN Event - Two Dist Event Sequences',
    requirement: 'A new event and then its modification (modificationNumber 1) are each answered for their version.',
    run: twoSequences,
  }),
  venCase({
    id: 'E0_6040_TH_VTN', delivery: 'push',
    title: 'VTN Event - x Created Events, Mixed Simple/Complex',
    requirement: 'A distribute holding a SIMPLE and an ELECTRICITY_PRICE event is answered for both.',
    run: mixedEvents,
  }),
  venCase({
    id: 'E0_6050_TH_VTN', delivery: 'push',
    title: 'VEN Event - Use of oadrRequestEvent',
    requirement: 'The VEN asks for its events with oadrRequestEvent and answers the events it gets.',
    run: requestEvent,
  }),
  venCase({
    id: 'E0_6060_TH_VTN', delivery: 'push', control: true,
    title: 'VEN CreateOpt Qualification',
    requirement: 'Told to, the VEN opts a resource out of an event with oadrCreateOpt naming the event (qualifiedEventID) and the resource.',
    run: createOptQualification,
  }),
  venCase({
    id: 'E0_6065_TH_VTN', delivery: 'push',
    notApplicable: 'the certification specification runs this case against a VEN only in self-test; it checks the VTN (E1_1065_TH_VEN)',
    title: 'VEN Ignore oadrCreatedEvent',
    requirement: '(VTN-side requirement: an event opt takes precedence over a later oadrCreatedEvent.)',
    run: createOptQualification,
  }),
  venCase({
    id: 'E0_6070_TH_VTN', delivery: 'push',
    title: 'VTN Event - Negative Test, Custom Event Signal',
    requirement: 'An event whose only signal the VEN does not support (x-CUSTOM_SIGNAL) is answered with responseCode 460.',
    run: customSignal,
  }),
  venCase({
    id: 'E0_6080_TH_VTN', delivery: 'push',
    title: 'VTN/VEN Event - Negative Test, Case Sensitivity',
    requirement: 'IDs are case-sensitive: a distribute whose vtnID differs from the VTN\'s only in case is refused with 452.',
    run: caseSensitivity,
  }),
  venCase({
    id: 'E1_1010_TH_VTN', delivery: 'pull',
    title: 'VTN Event - Empty',
    requirement: 'An oadrDistributeEvent without events gets no oadrCreatedEvent, and the VEN carries on.',
    run: emptyDistribute,
  }),
  venCase({
    id: 'E1_1020_TH_VTN', delivery: 'pull',
    title: 'VTN Event - Electricity Price Event',
    requirement: 'An ELECTRICITY_PRICE event (responseRequired always) is answered with oadrCreatedEvent: its eventID, modificationNumber 0, responseCode 200 and an optType.',
    run: priceEvent,
  }),
  venCase({
    id: 'E1_1025_TH_VTN', delivery: 'pull',
    title: 'VTN Event - Load Dispatch Event',
    requirement: 'A LOAD_DISPATCH setpoint event is answered with oadrCreatedEvent 200 and an optType.',
    run: dispatchEvent,
  }),
  venCase({
    id: 'E1_1027_TH_VTN', delivery: 'pull',
    title: 'VTN Event - Event with Baseline',
    requirement: 'An event carrying an eiEventBaseline is answered with oadrCreatedEvent 200 and an optType.',
    run: baselineEvent,
  }),
  venCase({
    id: 'E1_1030_TH_VTN', delivery: 'pull',
    title: 'VTN Event - Two Dist Event Sequences',
    requirement: 'A new event and then its modification (modificationNumber 1) are each answered for their version.',
    run: twoSequences,
  }),
  venCase({
    id: 'E1_1040_TH_VTN', delivery: 'pull',
    title: 'VTN Event - x Created Events, Mixed Simple/Complex',
    requirement: 'A distribute holding a SIMPLE and an ELECTRICITY_PRICE event is answered for both.',
    run: mixedEvents,
  }),
  venCase({
    id: 'E1_1050_TH_VTN', delivery: 'pull',
    title: 'VEN Event - Use of oadrRequestEvent',
    requirement: 'The VEN asks for its events with oadrRequestEvent and answers the events it gets.',
    run: requestEvent,
  }),
  venCase({
    id: 'E1_1060_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN CreateOpt Qualification',
    requirement: 'Told to, the VEN opts a resource out of an event with oadrCreateOpt naming the event (qualifiedEventID) and the resource.',
    run: createOptQualification,
  }),
  venCase({
    id: 'E1_1065_TH_VTN', delivery: 'pull',
    notApplicable: 'the certification specification runs this case against a VEN only in self-test; it checks the VTN (E1_1065_TH_VEN)',
    title: 'VEN Ignore oadrCreatedEvent',
    requirement: '(VTN-side requirement: an event opt takes precedence over a later oadrCreatedEvent.)',
    run: createOptQualification,
  }),
  venCase({
    id: 'E1_1070_TH_VTN', delivery: 'pull',
    title: 'VTN Event - Negative Test, Custom Event Signal',
    requirement: 'An event whose only signal the VEN does not support (x-CUSTOM_SIGNAL) is answered with responseCode 460.',
    run: customSignal,
  }),
  venCase({
    id: 'E1_1080_TH_VTN', delivery: 'pull',
    title: 'VTN/VEN Event - Negative Test, Case Sensitivity',
    requirement: 'IDs are case-sensitive: a distribute whose vtnID differs from the VTN\'s only in case is refused with 452.',
    run: caseSensitivity,
  }),
  venCase({
    id: 'XE_0010_TH_VTN', delivery: 'pull',
    title: 'FlexBridge events - out-of-order modificationNumber',
    requirement: 'After modificationNumber 2 of an event, a distribute with modificationNumber 1 of it is not accepted as a new version.',
    run: outOfOrder,
  }),
  venCase({
    id: 'XE_0020_TH_VTN', delivery: 'pull',
    title: 'FlexBridge events - responseRequired never',
    requirement: 'An event with responseRequired=never gets no oadrCreatedEvent.',
    run: responseNever,
  }),
];
