import type { CalendarProperties, EiTarget, QualifiedEventId } from './common.js';
import type { OptReason, OptType } from './enums.js';
import type { DateTime } from './time.js';

/** ei:EiOptType extended by oadrCreateOpt: an opt-in/out for one event, or an availability schedule. */
export interface OptSchedule {
  readonly optId: string;
  readonly optType: OptType;
  readonly optReason: OptReason;
  readonly marketContext?: string;
  readonly venId: string;
  /** xcal:vavailability: the windows the opt applies to (absent for an event opt). */
  readonly availability?: readonly CalendarProperties[];
  readonly createdDateTime: DateTime;
  readonly qualifiedEventId?: QualifiedEventId;
  readonly target: EiTarget;
  readonly deviceClass?: EiTarget;
}
