import { DATA_QUALITIES, READING_TYPES, REPORT_NAMES, REPORT_TYPES } from '../model/enums.js';
import type { ReportStreamPayload } from '../model/common.js';
import type {
  OadrCancelReport, OadrCanceledReport, OadrCreateReport, OadrCreatedReport, OadrRegisterReport,
  OadrRegisteredReport, OadrUpdateReport, OadrUpdatedReport,
} from '../model/payloads.js';
import type { OadrReport, ReportDescription, ReportRequest } from '../model/report.js';
import {
  dropUndefined, readCalendarProperties, readEiResponse, readIntervals, readOptItemBase, readPayloadValue,
  readTarget, serializeOpaque, writeCalendarProperties, writeEiResponse, writeIntervals, writeItemBase,
  writePayloadValue, writeTargetContent,
} from './common-codec.js';
import type { ElementReader } from './xml-reader.js';
import type { ElementWriter } from './xml-writer.js';

function readStreamPayloads(i: ElementReader): ReportStreamPayload[] {
  const payloads: ReportStreamPayload[] = [];
  for (const child of i.elements()) {
    if (child.is('oadr', 'oadrReportPayload')) {
      payloads.push(dropUndefined({
        kind: 'report' as const,
        rId: child.str('ei', 'rID'),
        confidence: child.optUint('ei', 'confidence'),
        accuracy: child.optFloat('ei', 'accuracy'),
        value: readPayloadValue(child),
        dataQuality: child.opt('oadr', 'oadrDataQuality')?.asEnumeration(DATA_QUALITIES, true),
      }));
    } else if (child.is('oadr', 'oadrGBPayload')) {
      payloads.push({ kind: 'greenButton', feed: { xml: serializeOpaque(child.one('atom', 'feed')) } });
    }
  }
  return payloads;
}

function writeStreamPayload(w: ElementWriter, p: ReportStreamPayload): void {
  switch (p.kind) {
    case 'report':
      w.el('oadr', 'oadrReportPayload', (e) => {
        e.text('ei', 'rID', p.rId).text('ei', 'confidence', p.confidence).text('ei', 'accuracy', p.accuracy);
        writePayloadValue(e, p.value);
        e.text('oadr', 'oadrDataQuality', p.dataQuality);
      });
      return;
    case 'greenButton':
      w.el('oadr', 'oadrGBPayload', (e) => e.fragment(p.feed.xml));
      return;
    default: {
      const never: never = p;
      throw new Error(`unknown stream payload ${JSON.stringify(never)}`);
    }
  }
}

function readDescription(r: ElementReader): ReportDescription {
  const sampling = r.opt('oadr', 'oadrSamplingRate');
  return dropUndefined({
    rId: r.str('ei', 'rID'),
    reportSubject: r.opt('ei', 'reportSubject') && readTarget(r.one('ei', 'reportSubject')),
    reportDataSource: r.opt('ei', 'reportDataSource') && readTarget(r.one('ei', 'reportDataSource')),
    reportType: r.enumeration('ei', 'reportType', REPORT_TYPES, true),
    itemBase: readOptItemBase(r),
    readingType: r.enumeration('ei', 'readingType', READING_TYPES, true),
    marketContext: r.opt('emix', 'marketContext')?.token(),
    samplingRate: sampling && {
      minPeriod: sampling.one('oadr', 'oadrMinPeriod').asDuration(),
      maxPeriod: sampling.one('oadr', 'oadrMaxPeriod').asDuration(),
      onChange: sampling.bool('oadr', 'oadrOnChange'),
    },
  });
}

function writeDescription(w: ElementWriter, d: ReportDescription): void {
  w.el('oadr', 'oadrReportDescription', (e) => {
    e.text('ei', 'rID', d.rId);
    e.optEl('ei', 'reportSubject', d.reportSubject, writeTargetContent);
    e.optEl('ei', 'reportDataSource', d.reportDataSource, writeTargetContent);
    e.text('ei', 'reportType', d.reportType);
    writeItemBase(e, d.itemBase);
    e.text('ei', 'readingType', d.readingType).text('emix', 'marketContext', d.marketContext);
    e.optEl('oadr', 'oadrSamplingRate', d.samplingRate, (s, rate) => s.durationValue('oadr', 'oadrMinPeriod', rate.minPeriod).durationValue('oadr', 'oadrMaxPeriod', rate.maxPeriod).text('oadr', 'oadrOnChange', rate.onChange));
  });
}

export function readReport(r: ElementReader): OadrReport {
  const intervals = r.opt('strm', 'intervals');
  const descriptions = r.all('oadr', 'oadrReportDescription').map(readDescription);
  return dropUndefined({
    dtstart: r.optDtstart(),
    duration: r.optDurationProp('xcal', 'duration'),
    intervals: intervals && readIntervals(intervals, readStreamPayloads),
    eiReportId: r.optStr('ei', 'eiReportID'),
    descriptions: descriptions.length > 0 ? descriptions : undefined,
    reportRequestId: r.str('ei', 'reportRequestID'),
    reportSpecifierId: r.str('ei', 'reportSpecifierID'),
    reportName: r.opt('ei', 'reportName')?.asEnumeration(REPORT_NAMES, true),
    createdDateTime: r.dateTime('ei', 'createdDateTime'),
  });
}

function writeReport(w: ElementWriter, report: OadrReport): void {
  w.el('oadr', 'oadrReport', (e) => {
    e.dtstart(report.dtstart).durationProp('xcal', 'duration', report.duration);
    if (report.intervals) writeIntervals(e, report.intervals, writeStreamPayload);
    e.text('ei', 'eiReportID', report.eiReportId);
    for (const d of report.descriptions ?? []) writeDescription(e, d);
    e.text('ei', 'reportRequestID', report.reportRequestId).text('ei', 'reportSpecifierID', report.reportSpecifierId)
      .text('ei', 'reportName', report.reportName).dateTime('ei', 'createdDateTime', report.createdDateTime);
  });
}

function readReportRequest(r: ElementReader): ReportRequest {
  const s = r.one('ei', 'reportSpecifier');
  const interval = s.opt('ei', 'reportInterval');
  return {
    reportRequestId: r.str('ei', 'reportRequestID'),
    reportSpecifier: dropUndefined({
      reportSpecifierId: s.str('ei', 'reportSpecifierID'),
      granularity: s.durationProp('xcal', 'granularity'),
      reportBackDuration: s.durationProp('ei', 'reportBackDuration'),
      reportInterval: interval && readCalendarProperties(interval),
      specifierPayloads: s.all('ei', 'specifierPayload').map((p) => dropUndefined({
        rId: p.str('ei', 'rID'),
        itemBase: readOptItemBase(p),
        readingType: p.enumeration('ei', 'readingType', READING_TYPES, true),
      })),
    }),
  };
}

function writeReportRequest(w: ElementWriter, request: ReportRequest): void {
  w.el('oadr', 'oadrReportRequest', (e) => {
    const s = request.reportSpecifier;
    e.text('ei', 'reportRequestID', request.reportRequestId);
    e.el('ei', 'reportSpecifier', (x) => {
      x.text('ei', 'reportSpecifierID', s.reportSpecifierId).durationProp('xcal', 'granularity', s.granularity).durationProp('ei', 'reportBackDuration', s.reportBackDuration);
      x.optEl('ei', 'reportInterval', s.reportInterval, writeCalendarProperties);
      for (const p of s.specifierPayloads) {
        x.el('ei', 'specifierPayload', (sp) => {
          sp.text('ei', 'rID', p.rId);
          writeItemBase(sp, p.itemBase);
          sp.text('ei', 'readingType', p.readingType);
        });
      }
    });
  });
}

const pending = (r: ElementReader): string[] => r.one('oadr', 'oadrPendingReports').all('ei', 'reportRequestID').map((x) => x.text());
const writePending = (w: ElementWriter, ids: readonly string[]): void => { w.el('oadr', 'oadrPendingReports', (p) => p.texts('ei', 'reportRequestID', ids)); };

export function readRegisterReport(r: ElementReader): OadrRegisterReport {
  return dropUndefined({ type: 'oadrRegisterReport' as const, requestId: r.str('pyld', 'requestID'), reports: r.all('oadr', 'oadrReport').map(readReport), venId: r.optStr('ei', 'venID'), reportRequestId: r.optStr('ei', 'reportRequestID') });
}

export function writeRegisterReport(w: ElementWriter, m: OadrRegisterReport): void {
  w.text('pyld', 'requestID', m.requestId);
  for (const report of m.reports) writeReport(w, report);
  w.text('ei', 'venID', m.venId).text('ei', 'reportRequestID', m.reportRequestId);
}

export function readRegisteredReport(r: ElementReader): OadrRegisteredReport {
  const requests = r.all('oadr', 'oadrReportRequest').map(readReportRequest);
  return dropUndefined({ type: 'oadrRegisteredReport' as const, response: readEiResponse(r.one('ei', 'eiResponse')), reportRequests: requests.length > 0 ? requests : undefined, venId: r.optStr('ei', 'venID') });
}

export function writeRegisteredReport(w: ElementWriter, m: OadrRegisteredReport): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response));
  for (const request of m.reportRequests ?? []) writeReportRequest(w, request);
  w.text('ei', 'venID', m.venId);
}

export function readCreateReport(r: ElementReader): OadrCreateReport {
  return dropUndefined({ type: 'oadrCreateReport' as const, requestId: r.str('pyld', 'requestID'), reportRequests: r.all('oadr', 'oadrReportRequest').map(readReportRequest), venId: r.optStr('ei', 'venID') });
}

export function writeCreateReport(w: ElementWriter, m: OadrCreateReport): void {
  w.text('pyld', 'requestID', m.requestId);
  for (const request of m.reportRequests) writeReportRequest(w, request);
  w.text('ei', 'venID', m.venId);
}

export function readCreatedReport(r: ElementReader): OadrCreatedReport {
  return dropUndefined({ type: 'oadrCreatedReport' as const, response: readEiResponse(r.one('ei', 'eiResponse')), pendingReports: pending(r), venId: r.optStr('ei', 'venID') });
}

export function writeCreatedReport(w: ElementWriter, m: OadrCreatedReport): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response));
  writePending(w, m.pendingReports);
  w.text('ei', 'venID', m.venId);
}

export function readUpdateReport(r: ElementReader): OadrUpdateReport {
  return dropUndefined({ type: 'oadrUpdateReport' as const, requestId: r.str('pyld', 'requestID'), reports: r.all('oadr', 'oadrReport').map(readReport), venId: r.optStr('ei', 'venID') });
}

export function writeUpdateReport(w: ElementWriter, m: OadrUpdateReport): void {
  w.text('pyld', 'requestID', m.requestId);
  for (const report of m.reports) writeReport(w, report);
  w.text('ei', 'venID', m.venId);
}

export function readCancelReport(r: ElementReader): OadrCancelReport {
  return dropUndefined({
    type: 'oadrCancelReport' as const,
    requestId: r.str('pyld', 'requestID'),
    reportRequestIds: r.all('ei', 'reportRequestID').map((x) => x.text()),
    reportToFollow: r.bool('pyld', 'reportToFollow'),
    venId: r.optStr('ei', 'venID'),
  });
}

export function writeCancelReport(w: ElementWriter, m: Omit<OadrCancelReport, 'type'>): void {
  w.text('pyld', 'requestID', m.requestId).texts('ei', 'reportRequestID', m.reportRequestIds).text('pyld', 'reportToFollow', m.reportToFollow).text('ei', 'venID', m.venId);
}

export function readUpdatedReport(r: ElementReader): OadrUpdatedReport {
  const cancel = r.opt('oadr', 'oadrCancelReport');
  let cancelReport: OadrUpdatedReport['cancelReport'];
  if (cancel) {
    const { type: _type, ...rest } = readCancelReport(cancel);
    cancelReport = rest;
  }
  return dropUndefined({ type: 'oadrUpdatedReport' as const, response: readEiResponse(r.one('ei', 'eiResponse')), cancelReport, venId: r.optStr('ei', 'venID') });
}

export function writeUpdatedReport(w: ElementWriter, m: OadrUpdatedReport): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response));
  w.optEl('oadr', 'oadrCancelReport', m.cancelReport, writeCancelReport);
  w.text('ei', 'venID', m.venId);
}

export function readCanceledReport(r: ElementReader): OadrCanceledReport {
  return dropUndefined({ type: 'oadrCanceledReport' as const, response: readEiResponse(r.one('ei', 'eiResponse')), pendingReports: pending(r), venId: r.optStr('ei', 'venID') });
}

export function writeCanceledReport(w: ElementWriter, m: OadrCanceledReport): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response));
  writePending(w, m.pendingReports);
  w.text('ei', 'venID', m.venId);
}
