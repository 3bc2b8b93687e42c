// EiReport scenarios for a VEN under test (R1_3xxx pull, R0_8xxx push), the harness as the VTN.
import { randomUUID } from 'node:crypto';
import { durationFromMs, type OadrCanceledReport, type OadrMessage, type OadrUpdateReport, type ReportRequest } from '../../../../schemas/index.js';
import { CaseFailure, expectThat, NotApplicable } from '../../../harness/case.js';
import type { VenCaseContext } from '../../../harness/ven-target.js';
import { exchange, offered, quiet, reportRequest, venCase, type VenScenario } from './common.js';

const STATUS = 'METADATA_TELEMETRY_STATUS';
const USAGE = 'METADATA_TELEMETRY_USAGE';
const updateFor = (id: string) => (m: OadrMessage): m is OadrUpdateReport => m.type === 'oadrUpdateReport' && m.reports.some((r) => r.reportRequestId === id);

/** Hands out oadrCreateReport; expects oadrCreatedReport 200 listing the requests as pending. */
async function request(ctx: VenCaseContext, requests: readonly ReportRequest[], pending = true): Promise<void> {
  const created = await exchange(ctx, { type: 'oadrCreateReport', requestId: randomUUID(), venId: ctx.vtn.venId, reportRequests: requests }, 'oadrCreatedReport', 'oadrCreatedReport');
  expectThat(created.response.responseCode === 200, `oadrCreatedReport 200, got ${created.response.responseCode} ${created.response.responseDescription ?? ''}`);
  if (pending) for (const r of requests) expectThat(created.pendingReports.includes(r.reportRequestId), `request ${r.reportRequestId} is pending, got ${created.pendingReports.join(', ') || 'none'}`);
}

async function reports(ctx: VenCaseContext, id: string, count: number, since: number, timeoutMs: number): Promise<OadrUpdateReport[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = ctx.vtn.received.filter((r) => r.at >= since && updateFor(id)(r.message)).map((r) => r.message as OadrUpdateReport);
    if (got.length >= count) return got;
    if (Date.now() > deadline) throw new CaseFailure(`expected ${count} oadrUpdateReport for ${id} within ${timeoutMs} ms, got ${got.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** 3010: a one-shot TELEMETRY_STATUS request gets one status report. */
export const oneShotStatus: VenScenario = async (ctx) => {
  const spec = await offered(ctx, STATUS);
  await ctx.vtn.ready();
  const r = reportRequest(spec, 0, 0);
  const since = Date.now();
  await request(ctx, [r]);
  const [update] = await reports(ctx, r.reportRequestId, 1, since, 15_000);
  expectThat(update!.reports[0]!.reportName === 'TELEMETRY_STATUS', `a TELEMETRY_STATUS report, got ${update!.reports[0]!.reportName}`);
  await quiet(ctx, 'a second report for a one-shot request', updateFor(r.reportRequestId), 3 * spec.minPeriodMs);
};

/** Periodic requests: reports keep coming at the granularity the VEN offers. */
function periodic(name: string, window: 'now' | 'delayed' | 'zero', count: number): VenScenario {
  return async (ctx) => {
    const spec = await offered(ctx, name);
    await ctx.vtn.ready();
    const g = spec.minPeriodMs;
    const start = Date.now() + (window === 'delayed' ? 3 * g : 0);
    const r = reportRequest(spec, window === 'delayed' ? 0 : g, g, { dtstart: start, durationMs: window === 'zero' ? 0 : 20 * g });
    const since = Date.now();
    await request(ctx, [r]);
    const got = await reports(ctx, r.reportRequestId, count, since, 15_000 + 6 * g);
    if (window === 'delayed') {
      const first = ctx.vtn.received.find((x) => x.message === got[0]);
      expectThat(first !== undefined && first.at >= start, `no report before the window starts (${new Date(start).toISOString()})`);
    }
  };
}
/** 3020: a periodic TELEMETRY_STATUS request (granularity = the VEN's minimum): two reports. */
export const periodicStatus = periodic(STATUS, 'now', 2);
/** 3025: a periodic request whose window starts later: nothing before it starts. */
export const delayedPeriodic = periodic(STATUS, 'delayed', 1);
/** 3027: a request with a zero-length window (open-ended): reports come. */
export const shortDuration = periodic(STATUS, 'zero', 1);
/** 3160: a periodic TELEMETRY_USAGE request: two reports. */
export const telemetryPeriodic = periodic(USAGE, 'now', 2);

/** 3030: two one-shot requests (status and usage) in one oadrCreateReport: a report for each. */
export const multipleRequests: VenScenario = async (ctx) => {
  const status = await offered(ctx, STATUS);
  const usage = await offered(ctx, USAGE);
  await ctx.vtn.ready();
  const a = reportRequest(status, 0, 0);
  const b = reportRequest(usage, usage.minPeriodMs, 0);
  const since = Date.now();
  await request(ctx, [a, b]);
  await reports(ctx, a.reportRequestId, 1, since, 15_000);
  await reports(ctx, b.reportRequestId, 1, since, 15_000);
};

/** 3150: a one-shot TELEMETRY_USAGE request: one usage report with the requested data points. */
export const telemetryOneShot: VenScenario = async (ctx) => {
  const usage = await offered(ctx, USAGE);
  await ctx.vtn.ready();
  const r = reportRequest(usage, usage.minPeriodMs, 0);
  const since = Date.now();
  await request(ctx, [r]);
  const [update] = await reports(ctx, r.reportRequestId, 1, since, 15_000);
  const rIds = new Set(update!.reports.flatMap((x) => (x.intervals ?? []).flatMap((i) => i.payloads.map((p) => ('rId' in p ? p.rId : '')))));
  expectThat(usage.rIds.some((id) => rIds.has(id)), `the report carries the requested data points (${usage.rIds.join(', ')}), got ${[...rIds].join(', ')}`);
};

/** Starts a periodic usage report and waits for its first update. */
async function running(ctx: VenCaseContext, durationMs: number): Promise<{ r: ReportRequest; g: number }> {
  const usage = await offered(ctx, USAGE);
  await ctx.vtn.ready();
  const g = usage.minPeriodMs;
  const r = reportRequest(usage, g, g, { dtstart: Date.now(), durationMs });
  const since = Date.now();
  await request(ctx, [r]);
  await reports(ctx, r.reportRequestId, 1, since, 15_000 + 3 * g);
  return { r, g };
}

/** 3040: the VTN cancels a periodic report: oadrCanceledReport 200, and no more reports. */
export const cancelReport: VenScenario = async (ctx) => {
  const { r, g } = await running(ctx, 60 * 60_000);
  const canceled = await exchange(ctx, { type: 'oadrCancelReport', requestId: randomUUID(), venId: ctx.vtn.venId, reportRequestIds: [r.reportRequestId], reportToFollow: false }, 'oadrCanceledReport', 'oadrCanceledReport');
  expectThat(canceled.response.responseCode === 200, `oadrCanceledReport 200, got ${canceled.response.responseCode}`);
  await new Promise((res) => setTimeout(res, 500));
  await quiet(ctx, 'a report after the cancellation', updateFor(r.reportRequestId), 3 * g);
};

/** 3045: the VTN cancels an open-ended report with reportToFollow: the VEN names it pending and sends one last report. */
export const cancelWithReportToFollow: VenScenario = async (ctx) => {
  const { r } = await running(ctx, 0);
  const since = Date.now();
  const canceled = await exchange(ctx, { type: 'oadrCancelReport', requestId: randomUUID(), venId: ctx.vtn.venId, reportRequestIds: [r.reportRequestId], reportToFollow: true }, 'oadrCanceledReport', 'oadrCanceledReport');
  expectThat(canceled.pendingReports.includes(r.reportRequestId), `the report to follow is pending, got ${canceled.pendingReports.join(', ') || 'none'}`);
  await reports(ctx, r.reportRequestId, 1, since, 15_000);
};

/** 3050: a cancellation piggy-backed on oadrUpdatedReport ends the report (the VEN confirms with oadrCanceledReport). */
export const piggyBackCancel: VenScenario = async (ctx) => {
  const usage = await offered(ctx, USAGE);
  await ctx.vtn.ready();
  const g = usage.minPeriodMs;
  const r = reportRequest(usage, g, g, { dtstart: Date.now(), durationMs: 60 * 60_000 });
  let cancelled = false;
  ctx.vtn.override = (m) => {
    if (cancelled || !updateFor(r.reportRequestId)(m)) return undefined;
    cancelled = true;
    return { type: 'oadrUpdatedReport', response: { responseCode: 200, requestId: m.requestId }, cancelReport: { requestId: randomUUID(), reportRequestIds: [r.reportRequestId], reportToFollow: false }, venId: ctx.vtn.venId };
  };
  const since = Date.now();
  await request(ctx, [r]);
  await ctx.vtn.waitFor('oadrCanceledReport after the piggy-backed cancellation', (m): m is OadrCanceledReport => m.type === 'oadrCanceledReport', 15_000 + 3 * g, since);
  await new Promise((res) => setTimeout(res, 500));
  await quiet(ctx, 'a report after the cancellation', updateFor(r.reportRequestId), 3 * g);
};

/** 3060 and 3170: the VTN asks for METADATA; the VEN registers its reports again — and a request piggy-backed on that answer is taken. */
function metadataRequest(piggyBack: boolean): VenScenario {
  return async (ctx) => {
    const usage = await offered(ctx, USAGE);
    await ctx.vtn.ready();
    const r = reportRequest(usage, usage.minPeriodMs, 0);
    if (piggyBack) {
      ctx.vtn.override = (m) => (m.type === 'oadrRegisterReport' && m.reports.length > 0 ? { type: 'oadrRegisteredReport', response: { responseCode: 200, requestId: m.requestId }, reportRequests: [r], venId: ctx.vtn.venId } : undefined);
    }
    const since = Date.now();
    await request(ctx, [{ reportRequestId: `th-meta-${randomUUID().slice(0, 6)}`, reportSpecifier: { reportSpecifierId: 'METADATA', granularity: durationFromMs(0), reportBackDuration: durationFromMs(0), specifierPayloads: [{ rId: 'METADATA', readingType: 'x-notApplicable' }] } }], false);
    await ctx.vtn.waitFor('oadrRegisterReport (its METADATA again)', (m): m is OadrMessage => m.type === 'oadrRegisterReport', 15_000, since);
    if (!piggyBack) return;
    await ctx.vtn.waitFor('oadrCreatedReport for the piggy-backed request', (m): m is OadrMessage => m.type === 'oadrCreatedReport' && m.pendingReports.includes(r.reportRequestId), 15_000, since);
    await reports(ctx, r.reportRequestId, 1, since, 15_000);
  };
}
export const piggyBackRequest = metadataRequest(true);
export const metadata = metadataRequest(false);

/** 3070–3120: the VTN offers reports of its own; a VEN that asks for none of them does not use the optional VTN reporting. */
export const vtnReporting: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const since = Date.now();
  const registered = await exchange(ctx, {
    type: 'oadrRegisterReport', requestId: randomUUID(), venId: ctx.vtn.venId, reportRequestId: '0', reports: [{
      reportRequestId: '0', reportSpecifierId: 'th-vtn-prices', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, duration: durationFromMs(3_600_000),
      descriptions: [{ rId: 'price', reportType: 'price', readingType: 'x-notApplicable', samplingRate: { minPeriod: durationFromMs(60_000), maxPeriod: durationFromMs(3_600_000), onChange: false } }],
    }],
  }, 'oadrRegisteredReport', 'oadrRegisteredReport to the VTN\'s METADATA');
  expectThat(registered.response.responseCode === 200, `oadrRegisteredReport 200, got ${registered.response.responseCode}`);
  await new Promise((r) => setTimeout(r, 2_000));
  const asked = (registered.reportRequests ?? []).length > 0 || ctx.vtn.received.some((r) => r.at >= since && r.message.type === 'oadrCreateReport');
  if (!asked) throw new NotApplicable('the VEN asks for none of the VTN\'s reports (VTN reporting is optional in 2.0b)');
  throw new CaseFailure('the VEN asked for a VTN report: the harness VTN does not serve reports of its own yet');
};

/** 3130/3140: HISTORY_USAGE, when the VEN offers it. */
export const history: VenScenario = async (ctx) => {
  const spec = await offered(ctx, 'METADATA_HISTORY_USAGE');
  await ctx.vtn.ready();
  const r = reportRequest(spec, 0, 0, { dtstart: Date.now() - 3_600_000, durationMs: 3_600_000 });
  const since = Date.now();
  await request(ctx, [r]);
  await reports(ctx, r.reportRequestId, 1, since, 15_000);
};

/** 3180: two periodic requests in one payload: reports for both keep coming. */
export const samePayloadMultiple: VenScenario = async (ctx) => {
  const status = await offered(ctx, STATUS);
  const usage = await offered(ctx, USAGE);
  await ctx.vtn.ready();
  const g = Math.max(status.minPeriodMs, usage.minPeriodMs);
  const a = reportRequest(usage, g, g, { dtstart: Date.now(), durationMs: 20 * g });
  const b = reportRequest(status, g, g, { dtstart: Date.now(), durationMs: 20 * g });
  const since = Date.now();
  await request(ctx, [a, b]);
  await reports(ctx, a.reportRequestId, 2, since, 15_000 + 4 * g);
  await reports(ctx, b.reportRequestId, 2, since, 15_000 + 4 * g);
};

/** 3190: a request for a report the VEN never offered is refused (4xx in oadrCreatedReport). */
export const reportNegative: VenScenario = async (ctx) => {
  await ctx.vtn.ready();
  const r = reportRequest({ specifierId: 'NO_SUCH_REPORT', rIds: ['nothing'] }, 60_000, 0);
  const created = await exchange(ctx, { type: 'oadrCreateReport', requestId: randomUUID(), venId: ctx.vtn.venId, reportRequests: [r] }, 'oadrCreatedReport', 'oadrCreatedReport');
  expectThat(created.response.responseCode >= 400 && created.response.responseCode < 500, `a request for an unknown report is refused with a 4xx code, got ${created.response.responseCode}`);
  expectThat(!created.pendingReports.includes(r.reportRequestId), 'the unknown request is not pending');
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  venCase({
    id: 'R0_8010_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - One Shot Report',
    requirement: 'A one-shot TELEMETRY_STATUS request (granularity and reportBackDuration 0) is accepted (oadrCreatedReport 200, pending) and gets exactly one status report.',
    run: oneShotStatus,
  }),
  venCase({
    id: 'R0_8020_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Periodic Report',
    requirement: 'A periodic TELEMETRY_STATUS request (granularity the VEN\'s minimum sampling period) gets reports at that pace.',
    run: periodicStatus,
  }),
  venCase({
    id: 'R0_8025_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Delayed Periodic Report, loadControlState',
    requirement: 'A periodic request whose reporting window starts later gets no report before the window starts, then reports.',
    run: delayedPeriodic,
  }),
  venCase({
    id: 'R0_8027_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Short Duration',
    requirement: 'A request with a zero-length (open-ended) reporting window gets reports.',
    run: shortDuration,
  }),
  venCase({
    id: 'R0_8030_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Multiple Report Request Payloads',
    requirement: 'Two one-shot requests (status and usage) in one oadrCreateReport are both pending and each gets a report.',
    run: multipleRequests,
  }),
  venCase({
    id: 'R0_8040_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Cancel Report',
    requirement: 'The VTN cancels a periodic report: oadrCanceledReport 200, and no further reports.',
    run: cancelReport,
  }),
  venCase({
    id: 'R0_8045_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Cancel Open Ended Report, reportToFollow',
    requirement: 'Cancelled with reportToFollow, the VEN lists the report as pending and sends one last report.',
    run: cancelWithReportToFollow,
  }),
  venCase({
    id: 'R0_8050_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - piggy back Cancellation',
    requirement: 'A cancellation in the VTN\'s oadrUpdatedReport ends the report: the VEN confirms with oadrCanceledReport and sends no more.',
    run: piggyBackCancel,
  }),
  venCase({
    id: 'R0_8060_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - piggy back request',
    requirement: 'A report request in the VTN\'s oadrRegisteredReport is accepted (oadrCreatedReport) and reported.',
    run: piggyBackRequest,
  }),
  venCase({
    id: 'R0_8070_TH_VTN', delivery: 'push',
    title: 'VTN Reporting - One Shot Report',
    requirement: 'The VEN asks for a one-shot report the VTN offered (VTN reporting, optional for a VEN).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R0_8080_TH_VTN', delivery: 'push',
    title: 'VTN Reporting - Periodic Report',
    requirement: 'The VEN asks for a periodic report the VTN offered (optional).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R0_8090_TH_VTN', delivery: 'push',
    title: 'VTN Reporting - Multiple Report Request Payloads',
    requirement: 'The VEN asks for two of the VTN\'s reports in one payload (optional).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R0_8100_TH_VTN', delivery: 'push',
    title: 'VTN Reporting - Cancel Report',
    requirement: 'The VEN cancels a report of the VTN\'s (optional).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R0_8120_TH_VTN', delivery: 'push',
    title: 'VTN Reporting - piggy back request',
    requirement: 'The VEN asks for a VTN report in its oadrRegisteredReport (optional).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R0_8130_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Historical Usage Report (Optional)',
    requirement: 'A HISTORY_USAGE request for the last hour gets the history (when the VEN offers HISTORY_USAGE).',
    run: history,
  }),
  venCase({
    id: 'R0_8140_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Historical Usage Report Subset (Optional)',
    requirement: 'A HISTORY_USAGE request for a subset gets it (when the VEN offers HISTORY_USAGE).',
    run: history,
  }),
  venCase({
    id: 'R0_8150_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Telemetry Usage, One Shot',
    requirement: 'A one-shot TELEMETRY_USAGE request gets one report with the requested data points.',
    run: telemetryOneShot,
  }),
  venCase({
    id: 'R0_8160_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Telemetry Usage, Periodic',
    requirement: 'A periodic TELEMETRY_USAGE request gets reports at its pace.',
    run: telemetryPeriodic,
  }),
  venCase({
    id: 'R0_8170_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Metadata Report Request',
    requirement: 'A request for METADATA is accepted and the VEN registers its reports again (oadrRegisterReport).',
    run: metadata,
  }),
  venCase({
    id: 'R0_8180_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Same Payload, Multiple Requests and Updates',
    requirement: 'Two periodic requests in one payload both get reports, again and again.',
    run: samePayloadMultiple,
  }),
  venCase({
    id: 'R0_8190_TH_VTN', delivery: 'push',
    title: 'VEN Reporting - Negative Test Scenarios',
    requirement: 'A request for a report the VEN never offered is refused with a 4xx code and is not pending.',
    run: reportNegative,
  }),
  venCase({
    id: 'R1_3010_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - One Shot Report',
    requirement: 'A one-shot TELEMETRY_STATUS request (granularity and reportBackDuration 0) is accepted (oadrCreatedReport 200, pending) and gets exactly one status report.',
    run: oneShotStatus,
  }),
  venCase({
    id: 'R1_3020_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Periodic Report',
    requirement: 'A periodic TELEMETRY_STATUS request (granularity the VEN\'s minimum sampling period) gets reports at that pace.',
    run: periodicStatus,
  }),
  venCase({
    id: 'R1_3025_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Delayed Periodic Report, loadControlState',
    requirement: 'A periodic request whose reporting window starts later gets no report before the window starts, then reports.',
    run: delayedPeriodic,
  }),
  venCase({
    id: 'R1_3027_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Short Duration',
    requirement: 'A request with a zero-length (open-ended) reporting window gets reports.',
    run: shortDuration,
  }),
  venCase({
    id: 'R1_3030_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Multiple Report Request Payloads',
    requirement: 'Two one-shot requests (status and usage) in one oadrCreateReport are both pending and each gets a report.',
    run: multipleRequests,
  }),
  venCase({
    id: 'R1_3040_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Cancel Report',
    requirement: 'The VTN cancels a periodic report: oadrCanceledReport 200, and no further reports.',
    run: cancelReport,
  }),
  venCase({
    id: 'R1_3045_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Cancel Open Ended Report, reportToFollow',
    requirement: 'Cancelled with reportToFollow, the VEN lists the report as pending and sends one last report.',
    run: cancelWithReportToFollow,
  }),
  venCase({
    id: 'R1_3050_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - piggy back Cancellation',
    requirement: 'A cancellation in the VTN\'s oadrUpdatedReport ends the report: the VEN confirms with oadrCanceledReport and sends no more.',
    run: piggyBackCancel,
  }),
  venCase({
    id: 'R1_3060_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - piggy back request',
    requirement: 'A report request in the VTN\'s oadrRegisteredReport is accepted (oadrCreatedReport) and reported.',
    run: piggyBackRequest,
  }),
  venCase({
    id: 'R1_3070_TH_VTN', delivery: 'pull',
    title: 'VTN Reporting - One Shot Report',
    requirement: 'The VEN asks for a one-shot report the VTN offered (VTN reporting, optional for a VEN).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R1_3080_TH_VTN', delivery: 'pull',
    title: 'VTN Reporting - Periodic Report',
    requirement: 'The VEN asks for a periodic report the VTN offered (optional).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R1_3090_TH_VTN', delivery: 'pull',
    title: 'VTN Reporting - Multiple Report Request Payloads',
    requirement: 'The VEN asks for two of the VTN\'s reports in one payload (optional).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R1_3100_TH_VTN', delivery: 'pull',
    title: 'VTN Reporting - Cancel Report',
    requirement: 'The VEN cancels a report of the VTN\'s (optional).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R1_3120_TH_VTN', delivery: 'pull',
    title: 'VTN Reporting - piggy back request',
    requirement: 'The VEN asks for a VTN report in its oadrRegisteredReport (optional).',
    run: vtnReporting,
  }),
  venCase({
    id: 'R1_3130_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Historical Usage Report (Optional)',
    requirement: 'A HISTORY_USAGE request for the last hour gets the history (when the VEN offers HISTORY_USAGE).',
    run: history,
  }),
  venCase({
    id: 'R1_3140_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Historical Usage Report Subset (Optional)',
    requirement: 'A HISTORY_USAGE request for a subset gets it (when the VEN offers HISTORY_USAGE).',
    run: history,
  }),
  venCase({
    id: 'R1_3150_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Telemetry Usage, One Shot',
    requirement: 'A one-shot TELEMETRY_USAGE request gets one report with the requested data points.',
    run: telemetryOneShot,
  }),
  venCase({
    id: 'R1_3160_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Telemetry Usage, Periodic',
    requirement: 'A periodic TELEMETRY_USAGE request gets reports at its pace.',
    run: telemetryPeriodic,
  }),
  venCase({
    id: 'R1_3170_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Metadata Report Request',
    requirement: 'A request for METADATA is accepted and the VEN registers its reports again (oadrRegisterReport).',
    run: metadata,
  }),
  venCase({
    id: 'R1_3180_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Same Payload, Multiple Requests and Updates',
    requirement: 'Two periodic requests in one payload both get reports, again and again.',
    run: samePayloadMultiple,
  }),
  venCase({
    id: 'R1_3190_TH_VTN', delivery: 'pull',
    title: 'VEN Reporting - Negative Test Scenarios',
    requirement: 'A request for a report the VEN never offered is refused with a 4xx code and is not pending.',
    run: reportNegative,
  }),
];
