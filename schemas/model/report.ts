import type { CalendarProperties, EiTarget, Interval, ItemBase, ReportStreamPayload } from './common.js';
import type { ReadingType, ReportName, ReportType } from './enums.js';
import type { DateTime, Duration } from './time.js';

export interface SamplingRate {
  readonly minPeriod: Duration;
  readonly maxPeriod: Duration;
  readonly onChange: boolean;
}

/** oadr:oadrReportDescription: one data point (rID) a METADATA report offers. */
export interface ReportDescription {
  readonly rId: string;
  readonly reportSubject?: EiTarget;
  readonly reportDataSource?: EiTarget;
  readonly reportType: ReportType;
  readonly itemBase?: ItemBase;
  readonly readingType: ReadingType;
  readonly marketContext?: string;
  readonly samplingRate?: SamplingRate;
}

/** oadr:oadrReport: metadata (descriptions) or data (intervals). */
export interface OadrReport {
  readonly dtstart?: DateTime;
  readonly duration?: Duration;
  readonly intervals?: readonly Interval<ReportStreamPayload>[];
  readonly eiReportId?: string;
  readonly descriptions?: readonly ReportDescription[];
  /** 2.0b: a VEN's own METADATA report carries reportRequestID 0. */
  readonly reportRequestId: string;
  readonly reportSpecifierId: string;
  readonly reportName?: ReportName;
  readonly createdDateTime: DateTime;
}

export interface SpecifierPayload {
  readonly rId: string;
  readonly itemBase?: ItemBase;
  readonly readingType: ReadingType;
}

export interface ReportSpecifier {
  readonly reportSpecifierId: string;
  readonly granularity: Duration;
  readonly reportBackDuration: Duration;
  readonly reportInterval?: CalendarProperties;
  readonly specifierPayloads: readonly SpecifierPayload[];
}

export interface ReportRequest {
  readonly reportRequestId: string;
  readonly reportSpecifier: ReportSpecifier;
}
