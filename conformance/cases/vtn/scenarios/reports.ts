// EiReport scenarios (R1_3xxx pull, R0_8xxx push), the harness as the VEN.
import { randomUUID } from 'node:crypto';
import { durationFromMs, durationToMs, type OadrCreateReport, type PayloadValue, type ReportName, type ReportRequest } from '../../../../schemas/index.js';
import { expectCode, expectThat, expectType, NotApplicable } from '../../../harness/case.js';
import type { HarnessVen } from '../../../harness/harness-ven.js';
import type { ReportAsk } from '../../../harness/vtn-target.js';
import { harnessMetadata, operator, registeredVen, registerMetadata, vtnCase, vtnOffers, type Scenario } from './common.js';

const MIN = 60_000;
const SPEC = { usage: 'th-telemetry-usage', status: 'th-telemetry-status', history: 'th-history-usage' } as const;

/** A registered VEN with its METADATA registered (the VTN may piggy-back requests; those are left alone). */
async function reportingVen(ctx: Parameters<Scenario>[0], label: string, delivery: Parameters<Scenario>[1]): Promise<HarnessVen> {
  const ven = await registeredVen(ctx, label, delivery);
  await registerMetadata(ven);
  return ven;
}

/** Has the VTN ask for reports; returns the oadrCreateReport that reaches the VEN and its requests in the order asked. */
async function ask(ven: HarnessVen, asks: readonly ReportAsk[]): Promise<{ payload: OadrCreateReport; requests: ReportRequest[] }> {
  const ids = await operator(ven).requestReports!(ven.venId, asks);
  const payload = await ven.next('oadrCreateReport', `oadrCreateReport with ${ids.join(', ')}`, (m) => ids.every((id) => m.reportRequests.some((r) => r.reportRequestId === id)));
  const requests = ids.map((id) => payload.reportRequests.find((r) => r.reportRequestId === id)!);
  asks.forEach((a, i) => {
    const s = requests[i]!.reportSpecifier;
    expectThat(s.reportSpecifierId === a.reportSpecifierId, `request ${i + 1} names reportSpecifierID ${a.reportSpecifierId}, got ${s.reportSpecifierId}`);
    expectThat(durationToMs(s.granularity) === a.granularityMs, `request ${i + 1} has granularity ${a.granularityMs} ms, got ${durationToMs(s.granularity)}`);
    expectThat(durationToMs(s.reportBackDuration) === a.reportBackMs, `request ${i + 1} has reportBackDuration ${a.reportBackMs} ms, got ${durationToMs(s.reportBackDuration)}`);
    expectThat((s.reportInterval !== undefined) === (a.dtstart !== undefined), `request ${i + 1} ${a.dtstart === undefined ? 'is one-shot (no reportInterval)' : 'carries its reportInterval'}`);
    for (const rId of a.rIds ?? []) expectThat(s.specifierPayloads.some((p) => p.rId === rId), `request ${i + 1} asks for rID ${rId}`);
  });
  return { payload, requests };
}

type Reading = { rId: string; value: PayloadValue };
const float = (value: number): PayloadValue => ({ kind: 'float', value });
const status = (loadControlState = false): PayloadValue => ({ kind: 'resourceStatus', online: true, manualOverride: false, ...(loadControlState ? { loadControlState: { levelOffset: { current: 1 } } } : {}) });

/** Sends oadrUpdateReport with one report per request (`intervals` readings each, a minute apart); expects 200 or `expected`. */
async function update(ven: HarnessVen, reports: readonly { request: ReportRequest; name: ReportName; readings: readonly Reading[]; intervals?: number }[], expected = 200): Promise<void> {
  const start = Date.now() - 10 * MIN;
  const answer = await ven.send('EiReport', {
    type: 'oadrUpdateReport', requestId: randomUUID(), venId: ven.venId, reports: reports.map((r) => ({
      reportRequestId: r.request.reportRequestId, reportSpecifierId: r.request.reportSpecifier.reportSpecifierId, reportName: r.name, createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
      dtstart: { epochMs: start, microsOfMs: 0 }, duration: durationFromMs((r.intervals ?? 1) * MIN),
      intervals: Array.from({ length: r.intervals ?? 1 }, (_, i) => ({ dtstart: { epochMs: start + i * MIN, microsOfMs: 0 }, duration: durationFromMs(MIN), payloads: r.readings.map((x) => ({ kind: 'report' as const, rId: x.rId, value: x.value })) })),
    })),
  });
  if (expected === 200) expectCode(expectType(answer, 'oadrUpdatedReport'), 200);
  else expectCode(answer, expected);
}

/** 3010: a one-shot TELEMETRY_STATUS request (granularity and reportBackDuration 0); the status report is accepted. */
export const oneShotStatus: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.status, granularityMs: 0, reportBackMs: 0 }]);
  await update(ven, [{ request: requests[0]!, name: 'TELEMETRY_STATUS', readings: [{ rId: 'status', value: status() }] }]);
};

/** 3020: a periodic TELEMETRY_STATUS request (1 min, over 5 min); two reports are accepted. */
export const periodicStatus: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.status, granularityMs: MIN, reportBackMs: MIN, dtstart: Date.now(), durationMs: 5 * MIN }]);
  for (let i = 0; i < 2; i++) await update(ven, [{ request: requests[0]!, name: 'TELEMETRY_STATUS', readings: [{ rId: 'status', value: status() }] }]);
};

/** 3025: a delayed periodic request (on change, starting in 2 min); the loadControlState report is accepted. */
export const delayedPeriodic: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.status, granularityMs: 0, reportBackMs: MIN, dtstart: Date.now() + 2 * MIN, durationMs: 5 * MIN }]);
  await update(ven, [{ request: requests[0]!, name: 'TELEMETRY_STATUS', readings: [{ rId: 'status', value: status(true) }] }]);
};

/** 3027: a request with a zero-length reporting window; the one report is accepted. */
export const shortDuration: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.status, granularityMs: MIN, reportBackMs: MIN, dtstart: Date.now(), durationMs: 0 }]);
  await update(ven, [{ request: requests[0]!, name: 'TELEMETRY_STATUS', readings: [{ rId: 'status', value: status() }] }]);
};

/** 3030: two requests (status and usage, one-shot) in one oadrCreateReport; a report for each is accepted. */
export const multipleRequests: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { payload, requests } = await ask(ven, [{ reportSpecifierId: SPEC.status, granularityMs: 0, reportBackMs: 0 }, { reportSpecifierId: SPEC.usage, rIds: ['power', 'energy'], granularityMs: MIN, reportBackMs: 0 }]);
  expectThat(payload.reportRequests.length >= 2, 'both requests travel in one oadrCreateReport');
  await update(ven, [{ request: requests[0]!, name: 'TELEMETRY_STATUS', readings: [{ rId: 'status', value: status() }] }]);
  await update(ven, [{ request: requests[1]!, name: 'TELEMETRY_USAGE', readings: [{ rId: 'power', value: float(1200) }, { rId: 'energy', value: float(20) }] }]);
};

/** Periodic usage request, then the VTN cancels it; returns the cancellation the VEN got. */
async function requestThenCancel(ven: HarnessVen, reportToFollow: boolean, durationMs: number) {
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.usage, rIds: ['power'], granularityMs: MIN, reportBackMs: MIN, dtstart: Date.now(), durationMs }]);
  await update(ven, [{ request: requests[0]!, name: 'TELEMETRY_USAGE', readings: [{ rId: 'power', value: float(1000) }] }]);
  await operator(ven).cancelReports!(ven.venId, [requests[0]!.reportRequestId], reportToFollow);
  return { request: requests[0]!, cancel: () => ven.next('oadrCancelReport', `oadrCancelReport for ${requests[0]!.reportRequestId}`, (m) => m.reportRequestIds.includes(requests[0]!.reportRequestId)) };
}

/** 3040: the VTN cancels a periodic report; the cancellation names it and does not ask for a last report. */
export const cancelReport: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { cancel } = await requestThenCancel(ven, false, 5 * MIN);
  const m = await cancel();
  expectThat(!m.reportToFollow, 'reportToFollow is false');
};

/** 3045: the VTN cancels an open-ended report with reportToFollow; the VEN's last report is accepted. */
export const cancelWithReportToFollow: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { request, cancel } = await requestThenCancel(ven, true, 0);
  const m = await cancel();
  expectThat(m.reportToFollow, 'reportToFollow is true');
  await update(ven, [{ request, name: 'TELEMETRY_USAGE', readings: [{ rId: 'power', value: float(900) }] }]);
};

/** 3050: a cancellation piggy-backed on oadrUpdatedReport (optional for a VTN). */
export const piggyBackCancel: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.usage, rIds: ['power'], granularityMs: MIN, reportBackMs: MIN, dtstart: Date.now(), durationMs: 5 * MIN }]);
  await operator(ven).cancelReports!(ven.venId, [requests[0]!.reportRequestId], false);
  const answer = expectType(await ven.send('EiReport', {
    type: 'oadrUpdateReport', requestId: randomUUID(), venId: ven.venId, reports: [{
      reportRequestId: requests[0]!.reportRequestId, reportSpecifierId: SPEC.usage, reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
      intervals: [{ dtstart: { epochMs: Date.now() - MIN, microsOfMs: 0 }, duration: durationFromMs(MIN), payloads: [{ kind: 'report', rId: 'power', value: float(800) }] }],
    }],
  }), 'oadrUpdatedReport');
  expectCode(answer, 200);
  if (answer.cancelReport?.reportRequestIds.includes(requests[0]!.reportRequestId)) return;
  await ven.next('oadrCancelReport', 'the cancellation', (m) => m.reportRequestIds.includes(requests[0]!.reportRequestId));
  throw new NotApplicable('the VTN sends report cancellations as oadrCancelReport of their own (R1_3040), not piggy-backed on oadrUpdatedReport (optional)');
};

/** 3060: a report request piggy-backed on oadrRegisteredReport (optional for a VTN); the VEN then reports. */
export const piggyBackRequest: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const registered = expectType(await ven.send('EiReport', { type: 'oadrRegisterReport', requestId: randomUUID(), venId: ven.venId, reportRequestId: '0', reports: harnessMetadata() }), 'oadrRegisteredReport');
  expectCode(registered, 200);
  const request = registered.reportRequests?.[0];
  if (!request) throw new NotApplicable('the VTN does not piggy-back report requests on oadrRegisteredReport (optional)');
  expectCode(expectType(await ven.send('EiReport', { type: 'oadrCreatedReport', response: { responseCode: 200, requestId: randomUUID() }, pendingReports: [request.reportRequestId], venId: ven.venId }), 'oadrResponse'), 200);
  const name: ReportName = request.reportSpecifier.reportSpecifierId === SPEC.status ? 'TELEMETRY_STATUS' : 'TELEMETRY_USAGE';
  await update(ven, [{ request, name, readings: request.reportSpecifier.specifierPayloads.map((p) => ({ rId: p.rId, value: p.rId === 'status' ? status() : float(1100) })) }]);
};

/**
 * 3070–3120: the VEN asks for the VTN's own reports (in oadrCreateReport, or piggy-backed on its
 * oadrRegisteredReport) and gets them. Not applicable when the VTN offers none.
 */
function vtnReporting(kind: 'oneShot' | 'periodic' | 'multiple' | 'cancel' | 'piggyBack'): Scenario {
  return async (ctx, delivery, label) => {
    const ven = await registeredVen(ctx, label, delivery);
    const offered = await vtnOffers(ven);
    const periodic = kind !== 'oneShot' && kind !== 'multiple';
    const requests: ReportRequest[] = (kind === 'multiple' ? offered.slice(0, 2) : offered.slice(0, 1)).map((r, i) => ({
      reportRequestId: `th-rr-${i}-${randomUUID().slice(0, 6)}`,
      reportSpecifier: {
        reportSpecifierId: r.reportSpecifierId, granularity: durationFromMs(periodic ? MIN : 0), reportBackDuration: durationFromMs(periodic ? MIN : 0),
        ...(periodic ? { reportInterval: { dtstart: { epochMs: Date.now(), microsOfMs: 0 }, duration: durationFromMs(5 * MIN) } } : {}),
        specifierPayloads: [{ rId: r.descriptions![0]!.rId, readingType: r.descriptions![0]!.readingType }],
      },
    }));
    if (kind === 'piggyBack') {
      expectCode(await ven.send('EiReport', { type: 'oadrRegisteredReport', response: { responseCode: 200, requestId: randomUUID() }, reportRequests: requests, venId: ven.venId }), 200);
    } else {
      expectCode(expectType(await ven.send('EiReport', { type: 'oadrCreateReport', requestId: randomUUID(), venId: ven.venId, reportRequests: requests }), 'oadrCreatedReport'), 200);
    }
    await ven.next('oadrUpdateReport', 'the requested report (oadrUpdateReport)', (m) => m.reports.some((r) => requests.some((q) => q.reportRequestId === r.reportRequestId)), 90_000);
    if (kind === 'cancel') {
      expectCode(expectType(await ven.send('EiReport', { type: 'oadrCancelReport', requestId: randomUUID(), venId: ven.venId, reportRequestIds: [requests[0]!.reportRequestId], reportToFollow: false }), 'oadrCanceledReport'), 200);
    }
  };
}
export const vtnOneShot = vtnReporting('oneShot');
export const vtnPeriodic = vtnReporting('periodic');
export const vtnMultiple = vtnReporting('multiple');
export const vtnCancel = vtnReporting('cancel');
export const vtnPiggyBack = vtnReporting('piggyBack');

/** 3130: a HISTORY_USAGE request for the last hour; the history report is accepted. */
export const historyUsage: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.history, granularityMs: 0, reportBackMs: 0, dtstart: Date.now() - 60 * MIN, durationMs: 60 * MIN }]);
  await update(ven, [{ request: requests[0]!, name: 'HISTORY_USAGE', readings: [{ rId: 'energy-history', value: float(15) }], intervals: 6 }]);
};

/** 3140: a HISTORY_USAGE request for a subset (one rID, the last 30 min). */
export const historySubset: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.history, rIds: ['energy-history'], granularityMs: 0, reportBackMs: 0, dtstart: Date.now() - 30 * MIN, durationMs: 30 * MIN }]);
  await update(ven, [{ request: requests[0]!, name: 'HISTORY_USAGE', readings: [{ rId: 'energy-history', value: float(7) }], intervals: 3 }]);
};

/** 3150: a one-shot TELEMETRY_USAGE request for power and energy; the report is accepted. */
export const telemetryOneShot: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.usage, rIds: ['power', 'energy'], granularityMs: MIN, reportBackMs: 0 }]);
  await update(ven, [{ request: requests[0]!, name: 'TELEMETRY_USAGE', readings: [{ rId: 'power', value: float(1500) }, { rId: 'energy', value: float(25) }] }]);
};

/** 3160: a periodic TELEMETRY_USAGE request (1 min samples, reported every 2 min); two reports are accepted. */
export const telemetryPeriodic: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.usage, rIds: ['power'], granularityMs: MIN, reportBackMs: 2 * MIN, dtstart: Date.now() + 15_000, durationMs: 10 * MIN }]);
  for (let i = 0; i < 2; i++) await update(ven, [{ request: requests[0]!, name: 'TELEMETRY_USAGE', readings: [{ rId: 'power', value: float(1400 + i) }], intervals: 2 }]);
};

/** 3170: the VTN asks for the VEN's METADATA; the VEN's new oadrRegisterReport is answered 200. */
export const metadataRequest: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  await ask(ven, [{ reportSpecifierId: 'METADATA', granularityMs: 0, reportBackMs: 0 }]);
  await registerMetadata(ven);
};

/** 3180: two requests in one payload, answered by one oadrUpdateReport carrying both reports. */
export const samePayloadMultiple: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const { requests } = await ask(ven, [{ reportSpecifierId: SPEC.usage, rIds: ['power'], granularityMs: MIN, reportBackMs: MIN, dtstart: Date.now(), durationMs: 5 * MIN }, { reportSpecifierId: SPEC.status, granularityMs: MIN, reportBackMs: MIN, dtstart: Date.now(), durationMs: 5 * MIN }]);
  for (let i = 0; i < 2; i++) {
    await update(ven, [
      { request: requests[0]!, name: 'TELEMETRY_USAGE', readings: [{ rId: 'power', value: float(1000 + i) }] },
      { request: requests[1]!, name: 'TELEMETRY_STATUS', readings: [{ rId: 'status', value: status() }] },
    ]);
  }
};

/** 3190: reports naming a request the VTN never made, and cancelling a report the VTN does not send, are refused with 452. */
export const reportNegative: Scenario = async (ctx, delivery, label) => {
  const ven = await reportingVen(ctx, label, delivery);
  const bogus: ReportRequest = { reportRequestId: 'INVALID_REPORT_REQUEST_ID', reportSpecifier: { reportSpecifierId: SPEC.usage, granularity: durationFromMs(MIN), reportBackDuration: durationFromMs(0), specifierPayloads: [{ rId: 'power', readingType: 'Direct Read' }] } };
  await update(ven, [{ request: bogus, name: 'TELEMETRY_USAGE', readings: [{ rId: 'power', value: float(1) }] }], 452);
  expectCode(await ven.send('EiReport', { type: 'oadrCancelReport', requestId: randomUUID(), venId: ven.venId, reportRequestIds: ['INVALID_REPORT_REQUEST_ID'], reportToFollow: false }), 452);
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  vtnCase({
    id: 'R0_8010_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - One Shot Report',
    requirement: 'A one-shot TELEMETRY_STATUS request (granularity 0, reportBackDuration 0, no reportInterval) reaches the VEN in oadrCreateReport; the status report is answered with oadrUpdatedReport 200.',
    run: oneShotStatus,
  }),
  vtnCase({
    id: 'R0_8020_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Periodic Report',
    requirement: 'A periodic TELEMETRY_STATUS request (1 min over 5 min) carries its granularity, reportBackDuration and reportInterval; two reports are accepted.',
    run: periodicStatus,
  }),
  vtnCase({
    id: 'R0_8025_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Delayed Periodic Report, loadControlState',
    requirement: 'A periodic request starting in 2 min (on change) reaches the VEN; a status report with loadControlState is accepted.',
    run: delayedPeriodic,
  }),
  vtnCase({
    id: 'R0_8027_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Short Duration',
    requirement: 'A request with a zero-length reportInterval reaches the VEN and its report is accepted.',
    run: shortDuration,
  }),
  vtnCase({
    id: 'R0_8030_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Multiple Report Request Payloads',
    requirement: 'Two requests (TELEMETRY_STATUS and TELEMETRY_USAGE, one-shot) travel in one oadrCreateReport; a report for each is accepted.',
    run: multipleRequests,
  }),
  vtnCase({
    id: 'R0_8040_TH_VEN', delivery: 'push', needs: ['requestReports', 'cancelReports'],
    title: 'VEN Reporting - Cancel Report',
    requirement: 'The VTN cancels a periodic report: oadrCancelReport names the reportRequestID with reportToFollow false.',
    run: cancelReport,
  }),
  vtnCase({
    id: 'R0_8045_TH_VEN', delivery: 'push', needs: ['requestReports', 'cancelReports'],
    title: 'VEN Reporting - Cancel Open Ended Report, reportToFollow',
    requirement: 'The VTN cancels an open-ended report with reportToFollow true; the VEN\'s last report is accepted.',
    run: cancelWithReportToFollow,
  }),
  vtnCase({
    id: 'R0_8050_TH_VEN', delivery: 'push', needs: ['requestReports', 'cancelReports'],
    title: 'VEN Reporting - piggy back Cancellation',
    requirement: 'A report cancellation piggy-backed on oadrUpdatedReport names the request (a VTN that cancels with a separate oadrCancelReport does not offer this optional form).',
    run: piggyBackCancel,
  }),
  vtnCase({
    id: 'R0_8060_TH_VEN', delivery: 'push',
    title: 'VEN Reporting - piggy back request',
    requirement: 'A report request piggy-backed on oadrRegisteredReport is accepted by the VEN (oadrCreatedReport 200) and its report is answered 200 (optional for a VTN).',
    run: piggyBackRequest,
  }),
  vtnCase({
    id: 'R0_8070_TH_VEN', delivery: 'push',
    title: 'VTN Reporting - One Shot Report',
    requirement: 'The VEN asks for a one-shot report the VTN offered in its METADATA; oadrCreatedReport 200 and then the report arrive.',
    run: vtnOneShot,
  }),
  vtnCase({
    id: 'R0_8080_TH_VEN', delivery: 'push',
    title: 'VTN Reporting - Periodic Report',
    requirement: 'The VEN asks for a periodic report the VTN offered; it is created and reports arrive.',
    run: vtnPeriodic,
  }),
  vtnCase({
    id: 'R0_8090_TH_VEN', delivery: 'push',
    title: 'VTN Reporting - Multiple Report Request Payloads',
    requirement: 'The VEN asks for two of the VTN\'s reports in one payload; both are created and reported.',
    run: vtnMultiple,
  }),
  vtnCase({
    id: 'R0_8100_TH_VEN', delivery: 'push',
    title: 'VTN Reporting - Cancel Report',
    requirement: 'The VEN cancels a periodic report of the VTN\'s; oadrCanceledReport 200.',
    run: vtnCancel,
  }),
  vtnCase({
    id: 'R0_8120_TH_VEN', delivery: 'push',
    title: 'VTN Reporting - piggy back request',
    requirement: 'The VEN asks for one of the VTN\'s reports in its oadrRegisteredReport; the report arrives.',
    run: vtnPiggyBack,
  }),
  vtnCase({
    id: 'R0_8130_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Historical Usage Report (Optional)',
    requirement: 'A HISTORY_USAGE request for the last hour reaches the VEN; the history report is accepted.',
    run: historyUsage,
  }),
  vtnCase({
    id: 'R0_8140_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Historical Usage Report Subset (Optional)',
    requirement: 'A HISTORY_USAGE request for one rID over the last 30 min reaches the VEN; the report is accepted.',
    run: historySubset,
  }),
  vtnCase({
    id: 'R0_8150_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Telemetry Usage, One Shot',
    requirement: 'A one-shot TELEMETRY_USAGE request for power and energy reaches the VEN; the report is accepted.',
    run: telemetryOneShot,
  }),
  vtnCase({
    id: 'R0_8160_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Telemetry Usage, Periodic',
    requirement: 'A periodic TELEMETRY_USAGE request (1 min samples, every 2 min over 10 min) reaches the VEN; two reports are accepted.',
    run: telemetryPeriodic,
  }),
  vtnCase({
    id: 'R0_8170_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Metadata Report Request',
    requirement: 'The VTN asks for the VEN\'s METADATA (reportSpecifierID METADATA); the VEN\'s new oadrRegisterReport is answered 200.',
    run: metadataRequest,
  }),
  vtnCase({
    id: 'R0_8180_TH_VEN', delivery: 'push', needs: ['requestReports'],
    title: 'VEN Reporting - Same Payload, Multiple Requests and Updates',
    requirement: 'Two requests in one payload; each of two oadrUpdateReport payloads carries a report for both and is answered 200.',
    run: samePayloadMultiple,
  }),
  vtnCase({
    id: 'R0_8190_TH_VEN', delivery: 'push',
    title: 'VEN Reporting - Negative Test Scenarios',
    requirement: 'A report naming a reportRequestID the VTN never issued, and cancelling a report the VTN does not send, are refused with 452.',
    run: reportNegative,
  }),
  vtnCase({
    id: 'R1_3010_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - One Shot Report',
    requirement: 'A one-shot TELEMETRY_STATUS request (granularity 0, reportBackDuration 0, no reportInterval) reaches the VEN in oadrCreateReport; the status report is answered with oadrUpdatedReport 200.',
    run: oneShotStatus,
  }),
  vtnCase({
    id: 'R1_3020_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Periodic Report',
    requirement: 'A periodic TELEMETRY_STATUS request (1 min over 5 min) carries its granularity, reportBackDuration and reportInterval; two reports are accepted.',
    run: periodicStatus,
  }),
  vtnCase({
    id: 'R1_3025_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Delayed Periodic Report, loadControlState',
    requirement: 'A periodic request starting in 2 min (on change) reaches the VEN; a status report with loadControlState is accepted.',
    run: delayedPeriodic,
  }),
  vtnCase({
    id: 'R1_3027_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Short Duration',
    requirement: 'A request with a zero-length reportInterval reaches the VEN and its report is accepted.',
    run: shortDuration,
  }),
  vtnCase({
    id: 'R1_3030_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Multiple Report Request Payloads',
    requirement: 'Two requests (TELEMETRY_STATUS and TELEMETRY_USAGE, one-shot) travel in one oadrCreateReport; a report for each is accepted.',
    run: multipleRequests,
  }),
  vtnCase({
    id: 'R1_3040_TH_VEN', delivery: 'pull', needs: ['requestReports', 'cancelReports'],
    title: 'VEN Reporting - Cancel Report',
    requirement: 'The VTN cancels a periodic report: oadrCancelReport names the reportRequestID with reportToFollow false.',
    run: cancelReport,
  }),
  vtnCase({
    id: 'R1_3045_TH_VEN', delivery: 'pull', needs: ['requestReports', 'cancelReports'],
    title: 'VEN Reporting - Cancel Open Ended Report, reportToFollow',
    requirement: 'The VTN cancels an open-ended report with reportToFollow true; the VEN\'s last report is accepted.',
    run: cancelWithReportToFollow,
  }),
  vtnCase({
    id: 'R1_3050_TH_VEN', delivery: 'pull', needs: ['requestReports', 'cancelReports'],
    title: 'VEN Reporting - piggy back Cancellation',
    requirement: 'A report cancellation piggy-backed on oadrUpdatedReport names the request (a VTN that cancels with a separate oadrCancelReport does not offer this optional form).',
    run: piggyBackCancel,
  }),
  vtnCase({
    id: 'R1_3060_TH_VEN', delivery: 'pull',
    title: 'VEN Reporting - piggy back request',
    requirement: 'A report request piggy-backed on oadrRegisteredReport is accepted by the VEN (oadrCreatedReport 200) and its report is answered 200 (optional for a VTN).',
    run: piggyBackRequest,
  }),
  vtnCase({
    id: 'R1_3070_TH_VEN', delivery: 'pull',
    title: 'VTN Reporting - One Shot Report',
    requirement: 'The VEN asks for a one-shot report the VTN offered in its METADATA; oadrCreatedReport 200 and then the report arrive.',
    run: vtnOneShot,
  }),
  vtnCase({
    id: 'R1_3080_TH_VEN', delivery: 'pull',
    title: 'VTN Reporting - Periodic Report',
    requirement: 'The VEN asks for a periodic report the VTN offered; it is created and reports arrive.',
    run: vtnPeriodic,
  }),
  vtnCase({
    id: 'R1_3090_TH_VEN', delivery: 'pull',
    title: 'VTN Reporting - Multiple Report Request Payloads',
    requirement: 'The VEN asks for two of the VTN\'s reports in one payload; both are created and reported.',
    run: vtnMultiple,
  }),
  vtnCase({
    id: 'R1_3100_TH_VEN', delivery: 'pull',
    title: 'VTN Reporting - Cancel Report',
    requirement: 'The VEN cancels a periodic report of the VTN\'s; oadrCanceledReport 200.',
    run: vtnCancel,
  }),
  vtnCase({
    id: 'R1_3120_TH_VEN', delivery: 'pull',
    title: 'VTN Reporting - piggy back request',
    requirement: 'The VEN asks for one of the VTN\'s reports in its oadrRegisteredReport; the report arrives.',
    run: vtnPiggyBack,
  }),
  vtnCase({
    id: 'R1_3130_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Historical Usage Report (Optional)',
    requirement: 'A HISTORY_USAGE request for the last hour reaches the VEN; the history report is accepted.',
    run: historyUsage,
  }),
  vtnCase({
    id: 'R1_3140_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Historical Usage Report Subset (Optional)',
    requirement: 'A HISTORY_USAGE request for one rID over the last 30 min reaches the VEN; the report is accepted.',
    run: historySubset,
  }),
  vtnCase({
    id: 'R1_3150_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Telemetry Usage, One Shot',
    requirement: 'A one-shot TELEMETRY_USAGE request for power and energy reaches the VEN; the report is accepted.',
    run: telemetryOneShot,
  }),
  vtnCase({
    id: 'R1_3160_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Telemetry Usage, Periodic',
    requirement: 'A periodic TELEMETRY_USAGE request (1 min samples, every 2 min over 10 min) reaches the VEN; two reports are accepted.',
    run: telemetryPeriodic,
  }),
  vtnCase({
    id: 'R1_3170_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Metadata Report Request',
    requirement: 'The VTN asks for the VEN\'s METADATA (reportSpecifierID METADATA); the VEN\'s new oadrRegisterReport is answered 200.',
    run: metadataRequest,
  }),
  vtnCase({
    id: 'R1_3180_TH_VEN', delivery: 'pull', needs: ['requestReports'],
    title: 'VEN Reporting - Same Payload, Multiple Requests and Updates',
    requirement: 'Two requests in one payload; each of two oadrUpdateReport payloads carries a report for both and is answered 200.',
    run: samePayloadMultiple,
  }),
  vtnCase({
    id: 'R1_3190_TH_VEN', delivery: 'pull',
    title: 'VEN Reporting - Negative Test Scenarios',
    requirement: 'A report naming a reportRequestID the VTN never issued, and cancelling a report the VTN does not send, are refused with 452.',
    run: reportNegative,
  }),
];
