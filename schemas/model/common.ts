import type { DataQuality, SiScaleCode } from './enums.js';
import type { DateTime, Duration } from './time.js';

/** ei:eiResponse: the outcome of a request, echoing its requestID. */
export interface EiResponse {
  /** Three-digit code: 200 OK, 4xx errors (see ResponseCode). */
  readonly responseCode: number;
  readonly responseDescription?: string;
  readonly requestId: string;
}

/** gml:FeatureCollection as the 2.0b profile restricts it: one polygon's exterior ring. */
export interface FeatureCollection {
  readonly id?: string;
  readonly polygonId?: string;
  /** Coordinates of the exterior LinearRing, flattened as gml:posList writes them. */
  readonly posList: readonly number[];
}

export interface TransportInterface {
  readonly pointOfReceipt: string;
  readonly pointOfDelivery: string;
}

/** ei:eiTarget: who an event, signal or report is for. Absent lists are empty. */
export interface EiTarget {
  readonly aggregatedPnodes?: readonly string[];
  readonly endDeviceAssets?: readonly string[];
  readonly meterAssets?: readonly string[];
  readonly pnodes?: readonly string[];
  readonly serviceAreas?: readonly FeatureCollection[];
  readonly serviceDeliveryPoints?: readonly string[];
  readonly serviceLocations?: readonly FeatureCollection[];
  readonly transportInterfaces?: readonly TransportInterface[];
  readonly groupIds?: readonly string[];
  readonly groupNames?: readonly string[];
  readonly resourceIds?: readonly string[];
  readonly venIds?: readonly string[];
  readonly partyIds?: readonly string[];
}

export interface QualifiedEventId {
  readonly eventId: string;
  readonly modificationNumber: number;
}

/** A piece of XML the model carries opaquely (Green Button atom feeds), with its namespace declarations. */
export interface OpaqueXml {
  readonly xml: string;
}

export interface PowerAttributes {
  readonly hertz: number;
  readonly voltage: number;
  readonly ac: boolean;
}

/** emix:itemBase and its substitution group: the unit a signal or report value is in. */
export type ItemBase =
  | { readonly kind: 'powerReal' | 'powerApparent' | 'powerReactive'; readonly itemDescription: string; readonly itemUnits: string; readonly siScaleCode: SiScaleCode; readonly powerAttributes: PowerAttributes }
  | { readonly kind: 'energyReal' | 'energyApparent' | 'energyReactive' | 'voltage' | 'current' | 'frequency' | 'Therm' | 'customUnit'; readonly itemDescription: string; readonly itemUnits: string; readonly siScaleCode: SiScaleCode }
  | { readonly kind: 'currency' | 'currencyPerKWh' | 'currencyPerKW' | 'currencyPerThm'; readonly itemDescription: 'currency' | 'currencyPerKW' | 'currencyPerKWh'; readonly itemUnits: string; readonly siScaleCode: SiScaleCode }
  | { readonly kind: 'temperature'; readonly itemDescription: 'temperature'; readonly itemUnits: 'celsius' | 'fahrenheit'; readonly siScaleCode: SiScaleCode }
  | { readonly kind: 'pulseCount'; readonly itemDescription: 'pulse count'; readonly itemUnits: 'count'; readonly pulseFactor: number }
  | { readonly kind: 'greenButtonDataDescription'; readonly feed: OpaqueXml };

export type ItemBaseKind = ItemBase['kind'];

export interface LoadControlStateValue {
  readonly min?: number;
  readonly max?: number;
  readonly current: number;
  readonly normal?: number;
}

export interface LoadControlState {
  readonly capacity?: LoadControlStateValue;
  readonly levelOffset?: LoadControlStateValue;
  readonly percentOffset?: LoadControlStateValue;
  readonly setPoint?: LoadControlStateValue;
}

/** ei:payloadBase substitution group: a float, or a resource's status (TELEMETRY_STATUS). */
export type PayloadValue =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'resourceStatus'; readonly online: boolean; readonly manualOverride: boolean; readonly loadControlState?: LoadControlState };

/** xcal:properties, shared by active periods, report intervals and availability windows. */
export interface CalendarProperties {
  readonly dtstart: DateTime;
  readonly duration: Duration;
  /** tolerance/tolerate/startafter: the randomisation window for the start. */
  readonly startAfter?: Duration;
  readonly notification?: Duration;
  readonly rampUp?: Duration;
  readonly recovery?: Duration;
}

/** ei:interval; its payloads are the stream payloads of the stream it belongs to. */
export interface Interval<P> {
  readonly dtstart?: DateTime;
  readonly duration?: Duration;
  readonly uid?: string;
  readonly payloads: readonly P[];
}

/** oadr:oadrReportPayload: one reading of one data point (rID). */
export interface ReportPayload {
  readonly kind: 'report';
  readonly rId: string;
  readonly confidence?: number;
  readonly accuracy?: number;
  readonly value: PayloadValue;
  readonly dataQuality?: DataQuality;
}

export interface GreenButtonPayload {
  readonly kind: 'greenButton';
  readonly feed: OpaqueXml;
}

export type ReportStreamPayload = ReportPayload | GreenButtonPayload;
