/**
 * Causes of transmission (IEC 60870-5-101 §7.2.3, used unchanged by 104): one table for the codec,
 * both stations and the tests. The interrogation answers run from `interrogated` (station
 * interrogation, 20) through the sixteen group interrogations (21–36).
 */
export const COT = {
  periodic: 1,
  background: 2,
  spontaneous: 3,
  initialised: 4,
  request: 5,
  activation: 6,
  activationCon: 7,
  deactivation: 8,
  deactivationCon: 9,
  activationTerm: 10,
  interrogated: 20,
  interrogatedGroup16: 36,
  unknownType: 44,
  unknownCause: 45,
  unknownCommonAddress: 46,
  unknownIoa: 47,
} as const;
export type CauseOfTransmission = (typeof COT)[keyof typeof COT];
