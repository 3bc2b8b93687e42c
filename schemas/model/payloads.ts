import type { EiResponse, EiTarget, QualifiedEventId } from './common.js';
import type { ProfileName, TransportName } from './enums.js';
import type { EventResponse, OadrEvent } from './event.js';
import type { OptSchedule } from './opt.js';
import type { KeyValue, OadrExtension, OadrProfile, ServiceSpecificInfo } from './registration.js';
import type { OadrReport, ReportRequest } from './report.js';
import type { Duration } from './time.js';

// One interface per oadrSignedObject child; `type` is the element's local name.

export interface OadrQueryRegistration { readonly type: 'oadrQueryRegistration'; readonly requestId: string }

export interface OadrCreatePartyRegistration {
  readonly type: 'oadrCreatePartyRegistration';
  readonly requestId: string;
  readonly registrationId?: string;
  readonly venId?: string;
  readonly profileName: ProfileName;
  readonly transportName: TransportName;
  readonly transportAddress?: string;
  readonly reportOnly: boolean;
  readonly xmlSignature: boolean;
  readonly venName?: string;
  readonly httpPullModel?: boolean;
}

export interface OadrCreatedPartyRegistration {
  readonly type: 'oadrCreatedPartyRegistration';
  readonly response: EiResponse;
  readonly registrationId?: string;
  readonly venId?: string;
  readonly vtnId: string;
  readonly profiles: readonly OadrProfile[];
  readonly requestedPollFrequency?: Duration;
  readonly serviceSpecificInfo?: readonly ServiceSpecificInfo[];
  readonly extensions?: readonly OadrExtension[];
}

export interface OadrCancelPartyRegistration { readonly type: 'oadrCancelPartyRegistration'; readonly requestId: string; readonly registrationId: string; readonly venId?: string }
export interface OadrCanceledPartyRegistration { readonly type: 'oadrCanceledPartyRegistration'; readonly response: EiResponse; readonly registrationId?: string; readonly venId?: string }
export interface OadrRequestReregistration { readonly type: 'oadrRequestReregistration'; readonly venId: string }

export interface OadrRequestEvent { readonly type: 'oadrRequestEvent'; readonly requestId: string; readonly venId: string; readonly replyLimit?: number }
export interface OadrDistributeEvent { readonly type: 'oadrDistributeEvent'; readonly response?: EiResponse; readonly requestId: string; readonly vtnId: string; readonly events: readonly OadrEvent[] }
export interface OadrCreatedEvent { readonly type: 'oadrCreatedEvent'; readonly response: EiResponse; readonly eventResponses?: readonly EventResponse[]; readonly venId: string }

export interface OadrRegisterReport { readonly type: 'oadrRegisterReport'; readonly requestId: string; readonly reports: readonly OadrReport[]; readonly venId?: string; readonly reportRequestId?: string }
export interface OadrRegisteredReport { readonly type: 'oadrRegisteredReport'; readonly response: EiResponse; readonly reportRequests?: readonly ReportRequest[]; readonly venId?: string }
export interface OadrCreateReport { readonly type: 'oadrCreateReport'; readonly requestId: string; readonly reportRequests: readonly ReportRequest[]; readonly venId?: string }
export interface OadrCreatedReport { readonly type: 'oadrCreatedReport'; readonly response: EiResponse; readonly pendingReports: readonly string[]; readonly venId?: string }
export interface OadrUpdateReport { readonly type: 'oadrUpdateReport'; readonly requestId: string; readonly reports: readonly OadrReport[]; readonly venId?: string }
export interface OadrUpdatedReport { readonly type: 'oadrUpdatedReport'; readonly response: EiResponse; readonly cancelReport?: Omit<OadrCancelReport, 'type'>; readonly venId?: string }
export interface OadrCancelReport { readonly type: 'oadrCancelReport'; readonly requestId: string; readonly reportRequestIds: readonly string[]; readonly reportToFollow: boolean; readonly venId?: string }
export interface OadrCanceledReport { readonly type: 'oadrCanceledReport'; readonly response: EiResponse; readonly pendingReports: readonly string[]; readonly venId?: string }

export interface OadrCreateOpt extends OptSchedule { readonly type: 'oadrCreateOpt'; readonly requestId: string }
export interface OadrCreatedOpt { readonly type: 'oadrCreatedOpt'; readonly response: EiResponse; readonly optId: string }
export interface OadrCancelOpt { readonly type: 'oadrCancelOpt'; readonly requestId: string; readonly optId: string; readonly venId: string }
export interface OadrCanceledOpt { readonly type: 'oadrCanceledOpt'; readonly response: EiResponse; readonly optId?: string }

export interface OadrPoll { readonly type: 'oadrPoll'; readonly venId: string }
export interface OadrResponse { readonly type: 'oadrResponse'; readonly response: EiResponse; readonly venId?: string }

export type OadrMessage =
  | OadrQueryRegistration | OadrCreatePartyRegistration | OadrCreatedPartyRegistration
  | OadrCancelPartyRegistration | OadrCanceledPartyRegistration | OadrRequestReregistration
  | OadrRequestEvent | OadrDistributeEvent | OadrCreatedEvent
  | OadrRegisterReport | OadrRegisteredReport | OadrCreateReport | OadrCreatedReport
  | OadrUpdateReport | OadrUpdatedReport | OadrCancelReport | OadrCanceledReport
  | OadrCreateOpt | OadrCreatedOpt | OadrCancelOpt | OadrCanceledOpt
  | OadrPoll | OadrResponse;

export type OadrMessageType = OadrMessage['type'];
export type MessageOf<T extends OadrMessageType> = Extract<OadrMessage, { type: T }>;

export const OADR_MESSAGE_TYPES = [
  'oadrQueryRegistration', 'oadrCreatePartyRegistration', 'oadrCreatedPartyRegistration',
  'oadrCancelPartyRegistration', 'oadrCanceledPartyRegistration', 'oadrRequestReregistration',
  'oadrRequestEvent', 'oadrDistributeEvent', 'oadrCreatedEvent',
  'oadrRegisterReport', 'oadrRegisteredReport', 'oadrCreateReport', 'oadrCreatedReport',
  'oadrUpdateReport', 'oadrUpdatedReport', 'oadrCancelReport', 'oadrCanceledReport',
  'oadrCreateOpt', 'oadrCreatedOpt', 'oadrCancelOpt', 'oadrCanceledOpt',
  'oadrPoll', 'oadrResponse',
] as const satisfies readonly OadrMessageType[];

export type { EiTarget, QualifiedEventId, KeyValue };
