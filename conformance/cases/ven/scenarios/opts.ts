// EiOpt scenarios for a VEN under test (P1_20xx pull, P0_70xx push): the VEN sends opt schedules when told to.
import { durationToMs, type OadrCancelOpt, type OadrCreateOpt, type OadrMessage } from '../../../../schemas/index.js';
import { CaseFailure, expectThat } from '../../../harness/case.js';
import type { VenCaseContext } from '../../../harness/ven-target.js';
import { control, venCase, type VenScenario } from './common.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const isCreate = (m: OadrMessage): m is OadrCreateOpt => m.type === 'oadrCreateOpt';

async function sendSchedule(ctx: VenCaseContext, opt: Parameters<ReturnType<typeof control>['createOpt']>[0]): Promise<OadrCreateOpt> {
  const since = Date.now();
  const optId = await control(ctx).createOpt(opt);
  const sent = await ctx.vtn.waitFor(`oadrCreateOpt ${optId}`, (m): m is OadrCreateOpt => isCreate(m) && m.optId === optId, 15_000, since);
  expectThat(sent.venId === ctx.vtn.venId, `the opt names the VEN's venID ${ctx.vtn.venId}, got ${sent.venId}`);
  expectThat(sent.optType === opt.optType, `optType ${opt.optType}, got ${sent.optType}`);
  expectThat((sent.availability ?? []).length === (opt.availability ?? []).length, `${(opt.availability ?? []).length} availability windows, got ${(sent.availability ?? []).length}`);
  return sent;
}

const windows = (...w: [number, number][]) => w.map(([startIn, durationMs]) => ({ dtstart: Date.now() + startIn, durationMs }));

/** 2010: an optIn schedule of two availability windows. */
export const newSchedule: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  await sendSchedule(ctx, { optType: 'optIn', availability: windows([DAY, 4 * HOUR], [3 * DAY, 8 * HOUR]) });
};

/** 2015: an open-ended schedule (one window of duration 0). */
export const openEnded: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const sent = await sendSchedule(ctx, { optType: 'optIn', availability: windows([DAY, 0]) });
  expectThat(durationToMs(sent.availability![0]!.duration) === 0, 'the window is open-ended (duration 0)');
};

/** 2020: a schedule, then its cancellation naming the optID. */
export const cancelSchedule: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const sent = await sendSchedule(ctx, { optType: 'optIn', availability: windows([DAY, 4 * HOUR], [3 * DAY, 8 * HOUR]) });
  const since = Date.now();
  await control(ctx).cancelOpt(sent.optId);
  await ctx.vtn.waitFor(`oadrCancelOpt ${sent.optId}`, (m): m is OadrCancelOpt => m.type === 'oadrCancelOpt' && m.optId === sent.optId, 15_000, since);
};

/** 2030: two schedules with marketContext, eiTarget and deviceClass targeting. */
export const multipleTargeted: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const a = await sendSchedule(ctx, { optType: 'optIn', availability: windows([DAY, 4 * HOUR], [3 * DAY, 8 * HOUR]), resourceIds: ['resource-1'], marketContext: 'http://flexbridge.example/conformance', deviceClass: { endDeviceAssets: ['Smart_Appliance'] } });
  expectThat(a.marketContext === 'http://flexbridge.example/conformance', `the opt carries its marketContext, got ${a.marketContext ?? 'none'}`);
  expectThat((a.target.resourceIds ?? []).includes('resource-1'), 'the opt carries its eiTarget');
  expectThat((a.deviceClass?.endDeviceAssets ?? []).includes('Smart_Appliance'), 'the opt carries its deviceClass');
  const b = await sendSchedule(ctx, { optType: 'optOut', availability: windows([2 * DAY, 4 * HOUR]), resourceIds: ['resource-2'] });
  expectThat(a.optId !== b.optId, 'two schedules, two optIDs');
};

/** 2040: two schedules; one cancelled, the other replaced under its optID. */
export const multipleWithCancel: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const a = await sendSchedule(ctx, { optType: 'optIn', availability: windows([DAY, 4 * HOUR], [3 * DAY, 8 * HOUR]) });
  const b = await sendSchedule(ctx, { optType: 'optOut', availability: windows([2 * DAY, 4 * HOUR]), resourceIds: ['resource-2'] });
  const since = Date.now();
  await control(ctx).cancelOpt(b.optId);
  await ctx.vtn.waitFor(`oadrCancelOpt ${b.optId}`, (m): m is OadrCancelOpt => m.type === 'oadrCancelOpt' && m.optId === b.optId, 15_000, since);
  const replaced = await sendSchedule(ctx, { optType: 'optIn', optId: a.optId, availability: windows([2 * DAY, 6 * HOUR], [4 * DAY, 8 * HOUR]) });
  expectThat(replaced.optId === a.optId, 'the replacement keeps the optID');
};

/** 2050: the VTN refuses an opt (452): the VEN reports the refusal instead of taking the opt as made. */
export const optNegative: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  ctx.vtn.override = (m) => (m.type === 'oadrCreateOpt' ? { type: 'oadrCreatedOpt', response: { responseCode: 452, responseDescription: 'invalid opt', requestId: m.requestId }, optId: m.optId } : undefined);
  try {
    await control(ctx).createOpt({ optType: 'optOut', availability: windows([DAY, HOUR]) });
  } catch {
    return;
  }
  throw new CaseFailure('the VTN refused the opt with 452, yet the VEN reported it as made');
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  venCase({
    id: 'P0_7010_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Opt - New Opt Schedule',
    requirement: 'Told to, the VEN sends oadrCreateOpt with an optIn schedule of two availability windows under its venID.',
    run: newSchedule,
  }),
  venCase({
    id: 'P0_7015_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Opt - Open Ended Opt Schedule',
    requirement: 'Told to, the VEN sends an open-ended opt schedule (one window of duration 0).',
    run: openEnded,
  }),
  venCase({
    id: 'P0_7020_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Opt - Cancel Opt Schedule',
    requirement: 'Told to, the VEN sends a schedule and then oadrCancelOpt naming its optID.',
    run: cancelSchedule,
  }),
  venCase({
    id: 'P0_7030_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Opt - Multiple Opt Schedules, Targeting',
    requirement: 'Told to, the VEN sends two schedules carrying marketContext, eiTarget and deviceClass, under two optIDs.',
    run: multipleTargeted,
  }),
  venCase({
    id: 'P0_7040_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Opt - Multiple Opt Scheduled with Cancel',
    requirement: 'Told to, the VEN sends two schedules, cancels one and replaces the other under its optID.',
    run: multipleWithCancel,
  }),
  venCase({
    id: 'P0_7050_TH_VTN', delivery: 'push', control: true,
    title: 'VEN Opt - Negative Test Scenario',
    requirement: 'An opt the VTN refuses (452) is reported as refused, not taken as made.',
    run: optNegative,
  }),
  venCase({
    id: 'P1_2010_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Opt - New Opt Schedule',
    requirement: 'Told to, the VEN sends oadrCreateOpt with an optIn schedule of two availability windows under its venID.',
    run: newSchedule,
  }),
  venCase({
    id: 'P1_2015_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Opt - Open Ended Opt Schedule',
    requirement: 'Told to, the VEN sends an open-ended opt schedule (one window of duration 0).',
    run: openEnded,
  }),
  venCase({
    id: 'P1_2020_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Opt - Cancel Opt Schedule',
    requirement: 'Told to, the VEN sends a schedule and then oadrCancelOpt naming its optID.',
    run: cancelSchedule,
  }),
  venCase({
    id: 'P1_2030_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Opt - Multiple Opt Schedules, Targeting',
    requirement: 'Told to, the VEN sends two schedules carrying marketContext, eiTarget and deviceClass, under two optIDs.',
    run: multipleTargeted,
  }),
  venCase({
    id: 'P1_2040_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Opt - Multiple Opt Scheduled with Cancel',
    requirement: 'Told to, the VEN sends two schedules, cancels one and replaces the other under its optID.',
    run: multipleWithCancel,
  }),
  venCase({
    id: 'P1_2050_TH_VTN', delivery: 'pull', control: true,
    title: 'VEN Opt - Negative Test Scenario',
    requirement: 'An opt the VTN refuses (452) is reported as refused, not taken as made.',
    run: optNegative,
  }),
];
