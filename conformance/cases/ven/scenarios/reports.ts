// EiReport scenarios for a VEN under test (R1_3xxx pull, R0_8xxx push), the harness as the VTN.
import { randomUUID } from 'node:crypto';
import { durationFromMs, type OadrCanceledReport, type OadrMessage, type OadrUpdateReport, type ReportRequest } from '../../../../schemas/index.js';
import { CaseFailure, expectThat, NotApplicable } from '../../../harness/case.js';
import type { VenCaseContext } from '../../../harness/ven-target.js';
import { exchange, offered, quiet, reportRequest, type VenScenario } from './common.js';

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
