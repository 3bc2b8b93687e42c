// Public surface of the VEN library.
export { Ven, type VenOptions, type VenHandlers, type VenEvent, type OptInput, type VenStatus } from './ven.js';
export { Ven3, type Ven3Options } from './openadr3/ven3.js';
export { Vtn3Client, type Vtn3ClientOptions } from './openadr3/vtn3-client.js';
export type { UsageProvider, StatusProvider } from './service/reporting.js';
export type { VtnChannel } from './transport/vtn-channel.js';
export { channelFor, type ChannelFactory, type ChannelHooks } from './transport/open-channel.js';
export { VenStore, type Registration, type Sample } from './store/ven-store.js';
export { VtnClient } from './transport/vtn-client.js';
export { VenError, VtnRefusedError, Vtn3RefusedError, VtnUnavailableError, VenNotRegisteredError, VenConfigError, EmsInputError } from './errors.js';
export { venStatus, signalIntervals, valuesAt, type SignalInterval } from './service/event-state.js';
export { scheduleFlexibleLoads, threeBandPrices, type EmsProblem, type EmsSchedule, type FlexibleAppliance } from './ems/schedule.js';
export { simulateHouseholdDay, seededRandom, type HouseholdDay, type EventInstruction } from './simulator/household.js';
export { loadVenConfig, venConfigSchema, type VenConfig } from './config.js';
