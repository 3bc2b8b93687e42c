/** Enumerations of the 2.0b schema. Where the XSD unions an enumeration with EiExtensionTokenType, `x-…` values are allowed too. */

export type ExtensionToken = `x-${string}`;

export const EVENT_STATUSES = ['none', 'far', 'near', 'active', 'completed', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const SIGNAL_NAMES = ['SIMPLE', 'simple', 'ELECTRICITY_PRICE', 'ENERGY_PRICE', 'DEMAND_CHARGE', 'BID_PRICE', 'BID_LOAD', 'BID_ENERGY', 'CHARGE_STATE', 'LOAD_DISPATCH', 'LOAD_CONTROL'] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number] | ExtensionToken;

export const SIGNAL_TYPES = ['delta', 'level', 'multiplier', 'price', 'priceMultiplier', 'priceRelative', 'setpoint', 'x-loadControlCapacity', 'x-loadControlLevelOffset', 'x-loadControlPercentOffset', 'x-loadControlSetpoint'] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export const OPT_TYPES = ['optIn', 'optOut'] as const;
export type OptType = (typeof OPT_TYPES)[number];

export const OPT_REASONS = ['economic', 'emergency', 'mustRun', 'notParticipating', 'outageRunStatus', 'overrideStatus', 'participating', 'x-schedule'] as const;
export type OptReason = (typeof OPT_REASONS)[number] | ExtensionToken;

export const REPORT_NAMES = ['METADATA_HISTORY_USAGE', 'HISTORY_USAGE', 'METADATA_HISTORY_GREENBUTTON', 'HISTORY_GREENBUTTON', 'METADATA_TELEMETRY_USAGE', 'TELEMETRY_USAGE', 'METADATA_TELEMETRY_STATUS', 'TELEMETRY_STATUS'] as const;
export type ReportName = (typeof REPORT_NAMES)[number] | ExtensionToken;

export const REPORT_TYPES = ['reading', 'usage', 'demand', 'setPoint', 'deltaUsage', 'deltaSetPoint', 'deltaDemand', 'baseline', 'deviation', 'avgUsage', 'avgDemand', 'operatingState', 'upRegulationCapacityAvailable', 'downRegulationCapacityAvailable', 'regulationSetpoint', 'storedEnergy', 'targetEnergyStorage', 'availableEnergyStorage', 'price', 'level', 'powerFactor', 'percentUsage', 'percentDemand', 'x-resourceStatus'] as const;
export type ReportType = (typeof REPORT_TYPES)[number] | ExtensionToken;

export const READING_TYPES = ['Direct Read', 'Net', 'Allocated', 'Estimated', 'Summed', 'Derived', 'Mean', 'Peak', 'Hybrid', 'Contract', 'Projected', 'x-RMS', 'x-notApplicable'] as const;
export type ReadingType = (typeof READING_TYPES)[number] | ExtensionToken;

export const RESPONSE_REQUIRED = ['always', 'never'] as const;
export type ResponseRequired = (typeof RESPONSE_REQUIRED)[number];

export const PROFILE_NAMES = ['2.0a', '2.0b'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const TRANSPORT_NAMES = ['simpleHttp', 'xmpp'] as const;
export type TransportName = (typeof TRANSPORT_NAMES)[number];

export const SERVICE_NAMES = ['EiEvent', 'EiOpt', 'EiReport', 'EiRegisterParty', 'OadrPoll'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const SI_SCALE_CODES = ['p', 'n', 'micro', 'm', 'c', 'd', 'k', 'M', 'G', 'T', 'none'] as const;
export type SiScaleCode = (typeof SI_SCALE_CODES)[number];

export const DATA_QUALITIES = ['No Quality - No Value', 'No New Value - Previous Value Used', 'Quality Bad - Non Specific', 'Quality Bad - Configuration Error', 'Quality Bad - Not Connected', 'Quality Bad - Device Failure', 'Quality Bad - Sensor Failure', 'Quality Bad - Last Known Value', 'Quality Bad - Comm Failure', 'Quality Bad - Out of Service', 'Quality Uncertain - Non Specific', 'Quality Uncertain - Last Usable Value', 'Quality Uncertain - Sensor Not Accurate', 'Quality Uncertain - EU Units Exceeded', 'Quality Uncertain - Sub Normal', 'Quality Good - Non Specific', 'Quality Good - Local Override', 'Quality Limit - Field/Not', 'Quality Limit - Field/Low', 'Quality Limit - Field/High', 'Quality Limit - Field/Constant'] as const;
export type DataQuality = (typeof DATA_QUALITIES)[number] | ExtensionToken;
