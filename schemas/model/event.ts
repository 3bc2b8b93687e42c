import type { CalendarProperties, EiResponse, EiTarget, Interval, ItemBase, PayloadValue, QualifiedEventId } from './common.js';
import type { EventStatus, OptType, ResponseRequired, SignalName, SignalType } from './enums.js';
import type { DateTime, Duration } from './time.js';

export interface EventDescriptor {
  readonly eventId: string;
  /** 2.0b: incremented by the VTN on every change of the event. */
  readonly modificationNumber: number;
  readonly modificationDateTime?: DateTime;
  readonly modificationReason?: string;
  /** 0 is the highest priority; absent means 0 per the schema's note. */
  readonly priority?: number;
  readonly marketContext: string;
  readonly createdDateTime: DateTime;
  readonly eventStatus: EventStatus;
  readonly testEvent?: string;
  readonly vtnComment?: string;
}

export interface EventSignal {
  readonly intervals: readonly Interval<PayloadValue>[];
  readonly target?: EiTarget;
  readonly signalName: SignalName;
  readonly signalType: SignalType;
  readonly signalId: string;
  readonly itemBase?: ItemBase;
  readonly currentValue?: number;
}

export interface EventBaseline {
  readonly dtstart: DateTime;
  readonly duration: Duration;
  readonly intervals: readonly Interval<PayloadValue>[];
  readonly baselineId: string;
  readonly resourceIds?: readonly string[];
  readonly baselineName: string;
  readonly itemBase?: ItemBase;
}

/** ei:eiEvent with its oadrResponseRequired, as oadrDistributeEvent carries it. */
export interface OadrEvent {
  readonly descriptor: EventDescriptor;
  readonly activePeriod: CalendarProperties;
  readonly signals: readonly EventSignal[];
  readonly baseline?: EventBaseline;
  readonly target: EiTarget;
  readonly responseRequired: ResponseRequired;
}

/** One VEN's opt decision on one event version (oadrCreatedEvent/eventResponses). */
export interface EventResponse extends EiResponse {
  readonly qualifiedEventId: QualifiedEventId;
  readonly optType: OptType;
}
