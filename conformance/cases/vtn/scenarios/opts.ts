// EiOpt scenarios (P1_20xx pull, P0_70xx push), the harness as the VEN.
import { randomUUID } from 'node:crypto';
import { durationFromMs, type EiTarget, type OptType } from '../../../../schemas/index.js';
import { expectCode, expectThat, expectType } from '../../../harness/case.js';
import type { HarnessVen } from '../../../harness/harness-ven.js';
import { registeredVen, vtnCase, type Scenario } from './common.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Sends an availability opt schedule; expects oadrCreatedOpt 200 echoing the optID. */
async function optSchedule(ven: HarnessVen, optType: OptType, windows: readonly [number, number][], extra: { optId?: string; target?: EiTarget; marketContext?: string; deviceClass?: EiTarget } = {}): Promise<string> {
  const optId = extra.optId ?? `opt-${randomUUID().slice(0, 8)}`;
  const now = Date.now();
  const created = expectType(await ven.send('EiOpt', {
    type: 'oadrCreateOpt', requestId: randomUUID(), optId, optType, optReason: 'x-schedule', venId: ven.venId,
    availability: windows.map(([startIn, length]) => ({ dtstart: { epochMs: now + startIn, microsOfMs: 0 }, duration: durationFromMs(length) })),
    createdDateTime: { epochMs: now, microsOfMs: 0 }, target: extra.target ?? { venIds: [ven.venId] },
    ...(extra.marketContext ? { marketContext: extra.marketContext } : {}), ...(extra.deviceClass ? { deviceClass: extra.deviceClass } : {}),
  }), 'oadrCreatedOpt');
  expectCode(created, 200);
  expectThat(created.optId === optId, `the optID is echoed (${optId}), got ${created.optId}`);
  return optId;
}

async function cancelOpt(ven: HarnessVen, optId: string, expected = 200): Promise<void> {
  const answer = await ven.send('EiOpt', { type: 'oadrCancelOpt', requestId: randomUUID(), optId, venId: ven.venId });
  if (expected === 200) {
    const canceled = expectType(answer, 'oadrCanceledOpt');
    expectCode(canceled, 200);
    expectThat(canceled.optId === optId, `the cancellation echoes optID ${optId}, got ${canceled.optId}`);
  } else {
    expectCode(answer, expected);
  }
}

/** 2010: an opt-in schedule of two availability windows is accepted. */
export const newSchedule: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  await optSchedule(ven, 'optIn', [[DAY, 4 * HOUR], [3 * DAY, 8 * HOUR]]);
};

/** 2015: an open-ended schedule (duration 0) is accepted. */
export const openEndedSchedule: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  await optSchedule(ven, 'optIn', [[DAY, 0]]);
};

/** 2020: a schedule, then its cancellation. */
export const cancelSchedule: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const optId = await optSchedule(ven, 'optIn', [[DAY, 4 * HOUR], [3 * DAY, 8 * HOUR]]);
  await cancelOpt(ven, optId);
};

/** 2030: several schedules with marketContext, eiTarget and deviceClass targeting, each accepted on its own. */
export const multipleTargeted: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const a = await optSchedule(ven, 'optIn', [[DAY, 4 * HOUR], [3 * DAY, 8 * HOUR]], { target: { resourceIds: ['resource-1'] }, marketContext: 'http://flexbridge.example/conformance', deviceClass: { endDeviceAssets: ['Smart_Appliance'] } });
  const b = await optSchedule(ven, 'optOut', [[2 * DAY, 4 * HOUR], [4 * DAY, 8 * HOUR]], { target: { resourceIds: ['resource-2'] } });
  expectThat(a !== b, 'two schedules have two optIDs');
};

/** 2040: two schedules; one is cancelled, the other replaced under the same optID. */
export const multipleWithCancel: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const first = await optSchedule(ven, 'optIn', [[DAY, 4 * HOUR], [3 * DAY, 8 * HOUR]]);
  const second = await optSchedule(ven, 'optOut', [[2 * DAY, 4 * HOUR]], { target: { resourceIds: ['resource-2'] } });
  await cancelOpt(ven, second);
  await optSchedule(ven, 'optIn', [[2 * DAY, 6 * HOUR], [4 * DAY, 8 * HOUR]], { optId: first });
  await cancelOpt(ven, first);
};

/** 2050: cancelling an unknown or already cancelled opt is refused with 452, as is an opt naming an unknown event. */
export const optNegative: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  await cancelOpt(ven, 'no-such-opt', 452);
  const optId = await optSchedule(ven, 'optOut', [[DAY, HOUR]]);
  await cancelOpt(ven, optId);
  await cancelOpt(ven, optId, 452);
  expectCode(await ven.send('EiOpt', {
    type: 'oadrCreateOpt', requestId: randomUUID(), optId: `opt-${randomUUID().slice(0, 8)}`, optType: 'optOut', optReason: 'participating', venId: ven.venId,
    createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, qualifiedEventId: { eventId: 'no-such-event', modificationNumber: 0 }, target: { venIds: [ven.venId] },
  }), 452);
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  vtnCase({
    id: 'P0_7010_TH_VEN', delivery: 'push',
    title: 'VEN Opt - New Opt Schedule',
    requirement: 'oadrCreateOpt with an optIn schedule of two availability windows is answered with oadrCreatedOpt 200 echoing the optID.',
    run: newSchedule,
  }),
  vtnCase({
    id: 'P0_7015_TH_VEN', delivery: 'push',
    title: 'VEN Opt - Open Ended Opt Schedule',
    requirement: 'An open-ended opt schedule (one window of duration 0) is accepted.',
    run: openEndedSchedule,
  }),
  vtnCase({
    id: 'P0_7020_TH_VEN', delivery: 'push',
    title: 'VEN Opt - Cancel Opt Schedule',
    requirement: 'An opt schedule and then its oadrCancelOpt are each answered 200 with the optID.',
    run: cancelSchedule,
  }),
  vtnCase({
    id: 'P0_7030_TH_VEN', delivery: 'push',
    title: 'VEN Opt - Multiple Opt Schedules, Targeting',
    requirement: 'Several opt schedules with marketContext, eiTarget and deviceClass targeting are each accepted under their own optID.',
    run: multipleTargeted,
  }),
  vtnCase({
    id: 'P0_7040_TH_VEN', delivery: 'push',
    title: 'VEN Opt - Multiple Opt Scheduled with Cancel',
    requirement: 'Of two schedules one is cancelled and the other replaced under the same optID; every step is answered 200.',
    run: multipleWithCancel,
  }),
  vtnCase({
    id: 'P0_7050_TH_VEN', delivery: 'push',
    title: 'VEN Opt - Negative Test Scenario',
    requirement: 'Cancelling an unknown or already cancelled opt, and an opt naming an unknown event, are refused with 452.',
    run: optNegative,
  }),
  vtnCase({
    id: 'P1_2010_TH_VEN', delivery: 'pull',
    title: 'VEN Opt - New Opt Schedule',
    requirement: 'oadrCreateOpt with an optIn schedule of two availability windows is answered with oadrCreatedOpt 200 echoing the optID.',
    run: newSchedule,
  }),
  vtnCase({
    id: 'P1_2015_TH_VEN', delivery: 'pull',
    title: 'VEN Opt - Open Ended Opt Schedule',
    requirement: 'An open-ended opt schedule (one window of duration 0) is accepted.',
    run: openEndedSchedule,
  }),
  vtnCase({
    id: 'P1_2020_TH_VEN', delivery: 'pull',
    title: 'VEN Opt - Cancel Opt Schedule',
    requirement: 'An opt schedule and then its oadrCancelOpt are each answered 200 with the optID.',
    run: cancelSchedule,
  }),
  vtnCase({
    id: 'P1_2030_TH_VEN', delivery: 'pull',
    title: 'VEN Opt - Multiple Opt Schedules, Targeting',
    requirement: 'Several opt schedules with marketContext, eiTarget and deviceClass targeting are each accepted under their own optID.',
    run: multipleTargeted,
  }),
  vtnCase({
    id: 'P1_2040_TH_VEN', delivery: 'pull',
    title: 'VEN Opt - Multiple Opt Scheduled with Cancel',
    requirement: 'Of two schedules one is cancelled and the other replaced under the same optID; every step is answered 200.',
    run: multipleWithCancel,
  }),
  vtnCase({
    id: 'P1_2050_TH_VEN', delivery: 'pull',
    title: 'VEN Opt - Negative Test Scenario',
    requirement: 'Cancelling an unknown or already cancelled opt, and an opt naming an unknown event, are refused with 452.',
    run: optNegative,
  }),
];
