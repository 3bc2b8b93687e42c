// The VEN case list (the harness plays the VTN): the 2.0b certification list, pull then push, then FlexBridge's own cases.
import { caseIndex, type ConformanceCase } from '../../harness/case.js';
import type { VenCaseContext, VenTarget } from '../../harness/ven-target.js';
import { cases as eventsCases } from './scenarios/events.js';
import { cases as generalCases } from './scenarios/general.js';
import { cases as registrationCases } from './scenarios/registration.js';
import { cases as optsCases } from './scenarios/opts.js';
import { cases as reportsCases } from './scenarios/reports.js';

type VenCase = ConformanceCase<VenTarget, VenCaseContext>;

/** Every case by its ID: each scenario module exports its cases as data. */
const pick = caseIndex(eventsCases, generalCases, registrationCases, optsCases, reportsCases);

/** Simple HTTP pull: the VEN polls the harness VTN. */
export const pullVenCases: readonly VenCase[] = pick(
  'N1_0010_TH_VTN', 'N1_0015_TH_VTN', 'N1_0020_TH_VTN', 'N1_0025_TH_VTN', 'N1_0030_TH_VTN', 'N1_0040_TH_VTN',
  'N1_0050_TH_VTN', 'N1_0060_TH_VTN', 'N1_0065_TH_VTN', 'N1_0070_TH_VTN', 'N1_0080_TH_VTN', 'E1_1010_TH_VTN',
  'E1_1020_TH_VTN', 'E1_1025_TH_VTN', 'E1_1027_TH_VTN', 'E1_1030_TH_VTN', 'E1_1040_TH_VTN', 'E1_1050_TH_VTN',
  'E1_1060_TH_VTN', 'E1_1065_TH_VTN', 'E1_1070_TH_VTN', 'E1_1080_TH_VTN', 'P1_2010_TH_VTN', 'P1_2015_TH_VTN',
  'P1_2020_TH_VTN', 'P1_2030_TH_VTN', 'P1_2040_TH_VTN', 'P1_2050_TH_VTN', 'R1_3010_TH_VTN', 'R1_3020_TH_VTN',
  'R1_3025_TH_VTN', 'R1_3027_TH_VTN', 'R1_3030_TH_VTN', 'R1_3040_TH_VTN', 'R1_3045_TH_VTN', 'R1_3050_TH_VTN',
  'R1_3060_TH_VTN', 'R1_3070_TH_VTN', 'R1_3080_TH_VTN', 'R1_3090_TH_VTN', 'R1_3100_TH_VTN', 'R1_3120_TH_VTN',
  'R1_3130_TH_VTN', 'R1_3140_TH_VTN', 'R1_3150_TH_VTN', 'R1_3160_TH_VTN', 'R1_3170_TH_VTN', 'R1_3180_TH_VTN',
  'R1_3190_TH_VTN', 'G1_4010_TH_VTN', 'G1_4011_TH_VTN', 'G1_4015_TH_VTN',
);

/** Simple HTTP push: the VEN listens and the harness VTN posts to it. */
export const pushVenCases: readonly VenCase[] = pick(
  'N0_5010_TH_VTN', 'N0_5015_TH_VTN', 'N0_5020_TH_VTN', 'N0_5025_TH_VTN', 'N0_5030_TH_VTN', 'N0_5040_TH_VTN',
  'N0_5050_TH_VTN', 'N0_5060_TH_VTN', 'N0_5065_TH_VTN', 'N0_5070_TH_VTN', 'N0_5080_TH_VTN', 'E0_6010_TH_VTN',
  'E0_6020_TH_VTN', 'E0_6025_TH_VTN', 'E0_6027_TH_VTN', 'E0_6030_TH_VTN', 'E0_6040_TH_VTN', 'E0_6050_TH_VTN',
  'E0_6060_TH_VTN', 'E0_6065_TH_VTN', 'E0_6070_TH_VTN', 'E0_6080_TH_VTN', 'P0_7010_TH_VTN', 'P0_7015_TH_VTN',
  'P0_7020_TH_VTN', 'P0_7030_TH_VTN', 'P0_7040_TH_VTN', 'P0_7050_TH_VTN', 'R0_8010_TH_VTN', 'R0_8020_TH_VTN',
  'R0_8025_TH_VTN', 'R0_8027_TH_VTN', 'R0_8030_TH_VTN', 'R0_8040_TH_VTN', 'R0_8045_TH_VTN', 'R0_8050_TH_VTN',
  'R0_8060_TH_VTN', 'R0_8070_TH_VTN', 'R0_8080_TH_VTN', 'R0_8090_TH_VTN', 'R0_8100_TH_VTN', 'R0_8120_TH_VTN',
  'R0_8130_TH_VTN', 'R0_8140_TH_VTN', 'R0_8150_TH_VTN', 'R0_8160_TH_VTN', 'R0_8170_TH_VTN', 'R0_8180_TH_VTN',
  'R0_8190_TH_VTN', 'G0_9010_TH_VTN',
);

/** Cases beyond the certification list's numbering: sequencing and hostile answers. */
export const extraVenCases: readonly VenCase[] = pick(
  'XE_0010_TH_VTN', 'XE_0020_TH_VTN', 'XS_0020_TH_VTN',
);

export const venCases: readonly VenCase[] = [...pullVenCases, ...pushVenCases, ...extraVenCases];
