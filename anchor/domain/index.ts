// The DR contract of seed 002 §4.5 as pure functions: used by the chaincode, the VTN and the dashboard.
export { type DayProfile, dayOfWeek, isWeekend } from './profile.js';
export { baselineHighLowXofY, requiredBaselineDays, baselineAverage10of10, baselineHigh4of5, baselineMeterBeforeMeterAfter, type Baseline, type EventWindow, type HighLowXofYOptions, type DayOfOptions } from './baseline.js';
export { baselineAccuracy, type BaselineAccuracy, type AccuracyOptions } from './baseline-accuracy.js';
export { updateAvailability, initialAvailability, SEED_AVAILABILITY, type AvailabilityParameters } from './availability.js';
export { allocate, type Allocation, type AllocationCustomer, type CustomerAllocation, type AllocationOptions } from './allocation.js';
export { settle, type Settlement, type RewardOptions } from './reward.js';
export { localDay, localDateOf, localClock, intervalAt, checkTimeZone, gridSlots, toClockGrid, fromClockGrid, sparseToClockGrid, type LocalDay } from '../../src/local-day.js';
export { ContractInputError, InsufficientHistoryError } from '../errors.js';
