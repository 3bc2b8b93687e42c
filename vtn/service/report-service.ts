import { addDuration, durationFromMs, durationToMs, ResponseCode, type OadrCanceledReport, type OadrCancelReport, type OadrCreatedReport, type OadrCreateReport, type OadrRegisteredReport, type OadrRegisterReport, type OadrReport, type OadrResponse, type OadrUpdatedReport, type OadrUpdateReport, type ReportRequest } from '../../schemas/index.js';
import type { ReadingRecord, VenRecord } from '../store/records.js';
import { type RequestContext, type ServiceDeps, type Tx } from './context.js';
import { registeredVen } from './ven-identity.js';
import { VtnRequestError } from '../errors.js';

const TELEMETRY: Record<string, string> = { METADATA_TELEMETRY_USAGE: 'TELEMETRY_USAGE', METADATA_TELEMETRY_STATUS: 'TELEMETRY_STATUS' };

/** The request the VTN makes for a METADATA report it wants data of (every data point it offers). */
function requestFor(deps: ServiceDeps, report: OadrReport): ReportRequest | undefined {
  if (!report.reportName || !(report.reportName in TELEMETRY) || !report.descriptions?.length) return undefined;
  return {
    reportRequestId: `rr-${deps.newId()}`,
    reportSpecifier: {
      reportSpecifierId: report.reportSpecifierId,
      granularity: durationFromMs(deps.policy.telemetry.granularityMs),
      reportBackDuration: durationFromMs(deps.policy.telemetry.reportBackMs),
      specifierPayloads: report.descriptions.map((d) => ({ rId: d.rId, readingType: d.readingType, ...(d.itemBase ? { itemBase: d.itemBase } : {}) })),
    },
  };
}

export async function registerReport(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrRegisterReport): Promise<OadrRegisteredReport> {
  const ven = await registeredVen(tx, ctx, m.venId);
  const now = deps.clock.now();
  const requests: ReportRequest[] = [];
  const resources = new Set(ven.resourceIds);
  for (const report of m.reports) {
    await tx.putReportRegistration({ venId: ven.venId, reportSpecifierId: report.reportSpecifierId, report, registeredAt: now });
    for (const d of report.descriptions ?? []) for (const id of d.reportDataSource?.resourceIds ?? []) resources.add(id);
    const request = requestFor(deps, report);
    if (request) {
      requests.push(request);
      await tx.putReportRequest({ reportRequestId: request.reportRequestId, venId: ven.venId, request, state: 'requested', createdAt: now });
    }
  }
  if (resources.size !== ven.resourceIds.length) await tx.putVen({ ...ven, resourceIds: [...resources].sort() });
  await tx.appendFeed('reportRegistration', { venId: ven.venId, reportSpecifierIds: m.reports.map((r) => r.reportSpecifierId), requested: requests.map((r) => r.reportRequestId) }, now);
  return { type: 'oadrRegisteredReport', response: { responseCode: 200, responseDescription: 'OK', requestId: m.requestId }, ...(requests.length ? { reportRequests: requests } : {}), venId: ven.venId };
}

export async function createdReport(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCreatedReport): Promise<OadrResponse> {
  const ven = await registeredVen(tx, ctx, m.venId);
  for (const id of m.pendingReports) {
    const request = await tx.getReportRequest(id);
    if (request && request.venId === ven.venId && request.state === 'requested') {
      await tx.setReportRequestState(id, 'created');
      await tx.appendFeed('reportRequest', { venId: ven.venId, reportRequestId: id, state: 'created' }, deps.clock.now());
    }
  }
  return ok(m.response.requestId, ven);
}

function readingsOf(ven: VenRecord, report: OadrReport, now: number): ReadingRecord[] {
  const out: ReadingRecord[] = [];
  let cursor = report.dtstart;
  for (const interval of report.intervals ?? []) {
    const start = interval.dtstart ?? cursor;
    if (!start) throw new VtnRequestError(ResponseCode.invalidData, `report ${report.reportRequestId}: an interval has no dtstart and none can be derived`);
    const duration = interval.duration ?? report.duration;
    const durationMs = duration ? durationToMs(duration, start) : 0;
    for (const payload of interval.payloads) {
      if (payload.kind !== 'report') continue;
      out.push({ venId: ven.venId, reportRequestId: report.reportRequestId, reportSpecifierId: report.reportSpecifierId, rId: payload.rId, dtstart: start.epochMs, durationMs, payload, receivedAt: now });
    }
    cursor = duration ? addDuration(start, duration) : start;
  }
  return out;
}

export async function updateReport(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrUpdateReport): Promise<OadrUpdatedReport> {
  const ven = await registeredVen(tx, ctx, m.venId);
  const now = deps.clock.now();
  let stored = 0;
  for (const report of m.reports) {
    const request = await tx.getReportRequest(report.reportRequestId);
    if (!request || request.venId !== ven.venId) throw new VtnRequestError(ResponseCode.invalidId, `reportRequestID ${report.reportRequestId} was not requested from VEN ${ven.venId}`);
    const readings = readingsOf(ven, report, now);
    stored += await tx.putReadings(readings);
    if (readings.length) {
      await tx.appendFeed('reading', {
        venId: ven.venId, reportRequestId: report.reportRequestId, reportSpecifierId: report.reportSpecifierId,
        // reduce, not a spread: a report may carry more readings than a call takes arguments.
        from: readings.reduce((m, r) => Math.min(m, r.dtstart), Infinity), to: readings.reduce((m, r) => Math.max(m, r.dtstart + r.durationMs), -Infinity), count: readings.length,
      }, now);
    }
  }
  deps.logger.debug('readings stored', { venId: ven.venId, stored });
  return { type: 'oadrUpdatedReport', response: { responseCode: 200, responseDescription: 'OK', requestId: m.requestId }, venId: ven.venId };
}

export async function canceledReport(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCanceledReport): Promise<OadrResponse> {
  const ven = await registeredVen(tx, ctx, m.venId);
  return ok(m.response.requestId, ven);
}

/** The VEN's answer to the VTN's own METADATA registration. */
export async function registeredReport(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrRegisteredReport): Promise<OadrResponse> {
  const ven = await registeredVen(tx, ctx, m.venId);
  if (m.reportRequests?.length) throw new VtnRequestError(ResponseCode.reportNotSupported, 'this VTN offers no reports yet');
  return ok(m.response.requestId, ven);
}

/** A VEN asking for the VTN's reports: the VTN offers none yet. */
export async function createReport(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCreateReport): Promise<OadrCreatedReport> {
  const ven = await registeredVen(tx, ctx, m.venId);
  if (m.reportRequests.length) throw new VtnRequestError(ResponseCode.reportNotSupported, 'this VTN offers no reports yet');
  return { type: 'oadrCreatedReport', response: { responseCode: 200, responseDescription: 'OK', requestId: m.requestId }, pendingReports: [], venId: ven.venId };
}

export async function cancelReport(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCancelReport): Promise<OadrCanceledReport> {
  const ven = await registeredVen(tx, ctx, m.venId);
  throw new VtnRequestError(ResponseCode.invalidId, `reportRequestID ${m.reportRequestIds.join(', ')} names no report this VTN sends to ${ven.venId}`);
}

function ok(requestId: string, ven: VenRecord): OadrResponse {
  return { type: 'oadrResponse', response: { responseCode: 200, responseDescription: 'OK', requestId }, venId: ven.venId };
}
